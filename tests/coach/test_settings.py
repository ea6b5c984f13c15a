import pytest
from pydantic import ValidationError

from coach.settings import Settings


@pytest.fixture(autouse=True)
def _no_database_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests check the defaults: not the database a test run exports (``make test-pg``)."""
    monkeypatch.delenv("BLENDCOACH_DATABASE_URL", raising=False)


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
        ({"qdrant_shard_number": 6}, "BLENDCOACH_QDRANT_URL"),
        (
            {"qdrant_url": "http://q:6333", "qdrant_write_consistency_factor": 2},
            "cannot exceed qdrant_replication_factor",
        ),
        ({"qdrant_url": "http://q:6333", "qdrant_shard_number": 0}, "greater than or equal"),
    ],
)
def test_bad_combinations_fail_at_start_up(kwargs: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValidationError, match=message):
        Settings(_env_file=None, **kwargs)  # type: ignore[call-arg]


def test_one_redis_url_under_either_name(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(_env_file=None).redis_url is None  # type: ignore[call-arg]
    monkeypatch.setenv("BLENDCOACH_REDIS_URL", "redis://127.0.0.1:6379/0")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.redis_url == s.nudges.redis_url == "redis://127.0.0.1:6379/0"
    monkeypatch.delenv("BLENDCOACH_REDIS_URL")
    monkeypatch.setenv("BLENDCOACH_NUDGES__REDIS_URL", "redis://127.0.0.1:6379/1")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.redis_url == s.nudges.redis_url == "redis://127.0.0.1:6379/1"
    monkeypatch.setenv("BLENDCOACH_REDIS_URL", "redis://127.0.0.1:6379/2")
    with pytest.raises(ValidationError, match="disagree"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_limits_and_health_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (s.limits.per_user, s.limits.per_org, s.limits.window_s) == (300, 6000, 60)
    assert s.limits.max_body_bytes == 1_048_576 and s.log_format == "json"
    assert (s.llm.breaker_failures, s.llm.breaker_cooldown_s) == (5, 30)
    monkeypatch.setenv("BLENDCOACH_LIMITS__PER_USER", "20")
    monkeypatch.setenv("BLENDCOACH_LIMITS__MAX_BODY_BYTES", "65536")
    monkeypatch.setenv("BLENDCOACH_HEALTH__LLM_REQUIRED", "true")
    monkeypatch.setenv("BLENDCOACH_LLM__BREAKER_FAILURES", "0")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.limits.per_user == 20 and s.limits.max_body_bytes == 65536
    assert s.health.llm_required is True and s.llm.breaker_failures == 0


@pytest.mark.filterwarnings("ignore:Payload indexes have no effect:UserWarning")
def test_cluster_settings_reach_the_collection_the_service_creates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``BLENDCOACH_QDRANT_SHARD_NUMBER`` and the others go to ``create_collection`` (an
    in-memory client records the call: no Qdrant server runs here)."""
    from qdrant_client import QdrantClient

    import retrieval.index.client as client_module
    from coach.services import open_index

    made: list[dict[str, object]] = []

    class Recording(QdrantClient):
        def __init__(self, **_: object) -> None:
            super().__init__(location=":memory:")

        def create_collection(self, collection_name: str, **kwargs: object) -> bool:  # type: ignore[override]
            made.append(kwargs)
            return super().create_collection(collection_name, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(client_module, "QdrantClient", Recording)
    monkeypatch.setenv("BLENDCOACH_QDRANT_URL", "http://qdrant:6333")
    monkeypatch.setenv("BLENDCOACH_QDRANT_SHARD_NUMBER", "6")
    monkeypatch.setenv("BLENDCOACH_QDRANT_REPLICATION_FACTOR", "2")
    monkeypatch.setenv("BLENDCOACH_QDRANT_WRITE_CONSISTENCY_FACTOR", "2")
    open_index(Settings(_env_file=None), dim=8)  # type: ignore[call-arg]
    assert [(m["shard_number"], m["replication_factor"]) for m in made] == [(6, 2)]
    assert made[0]["write_consistency_factor"] == 2
