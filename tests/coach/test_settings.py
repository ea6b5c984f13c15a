import pytest
from pydantic import ValidationError

from coach.settings import Settings


def test_defaults_are_offline_and_single_process(tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    assert s.db_url == f"sqlite:///{tmp_path.as_posix()}/blendcoach.db"
    assert s.qdrant_url is None and s.workers == 1
    assert s.index_path == tmp_path / "index" / "blendcoach"


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLENDCOACH_QDRANT_URL", "http://127.0.0.1:6333")
    monkeypatch.setenv("BLENDCOACH_CHUNK__WORDS", "120")
    monkeypatch.setenv("BLENDCOACH_SEARCH__DENSE_WEIGHT", "0.4")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.qdrant_url == "http://127.0.0.1:6333"
    assert s.chunk.words == 120 and s.search.dense_weight == 0.4


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"workers": 4}, "Qdrant server"),
        ({"workers": 4, "qdrant_url": "http://q:6333"}, "PostgreSQL"),
        ({"chunk": {"words": 100, "overlap": 60}}, "overlap"),
    ],
)
def test_bad_combinations_fail_at_start_up(kwargs: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValidationError, match=message):
        Settings(_env_file=None, **kwargs)  # type: ignore[call-arg]
