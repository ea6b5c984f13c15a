"""The storage package's public surface: everything exported exists and says what it does."""

import inspect

from coach import storage


def test_every_exported_member_exists_and_is_documented() -> None:
    assert len(set(storage.__all__)) == len(storage.__all__)
    for name in storage.__all__:
        member = getattr(storage, name)
        if inspect.isfunction(member):
            assert member.__doc__, f"storage.{name} has no docstring"
            params = inspect.signature(member).parameters.values()
            # keyword-only after the session (or the organisation)
            assert all(p.kind is p.KEYWORD_ONLY for p in list(params)[1:]), name
