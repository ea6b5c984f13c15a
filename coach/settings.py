"""The one Settings object: environment variables ``BLENDCOACH_*`` and an optional ``.env``."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from retrieval.chunking import ChunkingConfig


class ChunkSettings(BaseModel):
    """Chunk and dense-window sizes, in words."""

    words: int = Field(250, ge=20, le=2000)
    overlap: int = Field(40, ge=0)
    window_words: int = Field(40, ge=0)
    window_stride: int = Field(20, ge=1)

    def config(self) -> ChunkingConfig:
        return ChunkingConfig(
            words=self.words,
            overlap=self.overlap,
            window_words=self.window_words,
            window_stride=self.window_stride,
        )


class SearchSettings(BaseModel):
    """Hybrid search fusion."""

    candidates: int = Field(60, ge=5, le=1000)
    # Tuned on the tune split of the shared python book (bench.retrieval).
    dense_weight: float = Field(0.6, ge=0.0, le=1.0)
    module_weight: float = Field(0.15, ge=0.0, le=1.0)
    per_section: int = Field(1, ge=1)
    hnsw_ef: int | None = Field(None, ge=4)


class AuthSettings(BaseModel):
    """Signed API tokens; without a ``secret`` one is generated once in ``data_dir/secret.key``."""

    secret: SecretStr | None = None
    token_days: int = Field(90, ge=1, le=3650)
    """How long a token issued by ``blendcoach users add`` stays valid."""

    @field_validator("secret", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("secret")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError("auth.secret must be at least 32 characters (HS256 key)")
        return value


class GuardSettings(BaseModel):
    """The runtime guard against low-value output (``evals.guard``)."""

    enabled: bool = True
    """Assess every answer, quiz and path before a person sees it (off: nothing checked)."""
    thresholds: Path | None = None
    """A thresholds file in the layout of ``evals/thresholds.yaml`` (default: that file)."""

    @field_validator("thresholds")
    @classmethod
    def _exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"guard.thresholds: no such file: {value}")
        return value


class LLMSettings(BaseModel):
    """The OpenAI-compatible chat endpoint; no ``base_url`` means the offline responder only."""

    base_url: str | None = None
    model: str = "gpt-4o-mini"
    api_key: SecretStr | None = None
    timeout_s: float = Field(30.0, gt=0)
    """Longest wait for a whole reply, retries included."""
    first_token_timeout_s: float = Field(10.0, gt=0)
    """Longest wait for the first token before answering offline (capped by ``timeout_s``)."""
    max_retries: int = Field(2, ge=0, le=10)
    temperature: float = Field(0.2, ge=0.0, le=2.0)
    max_tokens: int = Field(600, ge=1)
    breaker_failures: int = Field(5, ge=0)
    """Consecutive failed calls that open the circuit (answers go offline at once); 0: never."""
    breaker_cooldown_s: float = Field(30.0, gt=0)
    """How long an open circuit stays open before one trial call is let through."""

    @field_validator("base_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _check(self) -> LLMSettings:
        if self.base_url is not None and not self.base_url.startswith(("http://", "https://")):
            raise ValueError(f"llm.base_url must be an http(s) URL, got {self.base_url!r}")
        return self


class NudgeDeliverySettings(BaseModel):
    """How nudges leave the service: the job queue, SMTP and incoming webhooks."""

    redis_url: str | None = None
    """The job queue's Redis (``redis://127.0.0.1:6379/0``); none: jobs run in-process."""
    queue: str = "blendcoach-nudges"
    smtp_host: str | None = None
    """No host: no e-mail channel."""
    smtp_port: int = Field(25, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_sender: str = "blendcoach <nudges@localhost>"
    webhook_hosts: tuple[str, ...] = ("hooks.slack.com", ".webhook.office.com", ".logic.azure.com")
    """Hosts a user's webhook URL may point to (a leading dot: any subdomain)."""
    timeout_s: float = Field(10.0, gt=0)
    max_attempts: int = Field(8, ge=1, le=50)
    """Attempts before a delivery is marked failed (kept, visible, re-queueable)."""
    retry_base_s: float = Field(60.0, gt=0)
    """Back-off: this many seconds after the first failure, doubled each time."""
    retry_max_s: float = Field(3600.0, gt=0)
    lease_s: float = Field(300.0, gt=0)
    """A delivery claimed longer ago than this (its worker died) may be taken again."""


class LimitSettings(BaseModel):
    """Request rates per user and per organisation (a sliding window) and body sizes."""

    window_s: int = Field(60, ge=1, le=86400)
    per_user: int = Field(300, ge=0)
    """Requests one user's tokens may make per window (0: no per-user limit)."""
    per_org: int = Field(6000, ge=0)
    """Requests all of an organisation's users may make per window (0: no limit)."""
    max_body_bytes: int = Field(1_048_576, ge=1024)
    """Largest request body accepted (413 above it)."""
    redis_prefix: str = Field("blendcoach:ratelimit", min_length=1)
    """Prefix of the counters' keys when they live in Redis (``redis_url``)."""
    redis_timeout_s: float = Field(0.25, gt=0)
    """Longest wait for Redis; past it (or Redis down) requests are let through and logged."""


class HealthSettings(BaseModel):
    """``/readyz``: how long each check may take and which ones decide readiness."""

    timeout_s: float = Field(2.0, gt=0)
    llm_required: bool = False
    """Whether an unreachable LLM endpoint makes the service unready. Off by default: the
    ``llm`` check is reported, but the coach answers offline meanwhile, and a failing
    endpoint would otherwise take every replica out of the load balancer at once (true: for
    a deployment that must not serve offline answers)."""


class LrsSettings(BaseModel):
    """Where the xAPI outbox sends statements (``Settings.lrs``, from the ``lrs_*`` fields)."""

    url: str | None = None
    """The LRS's xAPI endpoint (``https://lrs.example.com/xAPI``); none: statements wait in
    the outbox and the ``statements`` endpoint serves them."""
    username: str | None = None
    password: SecretStr | None = None
    batch_size: int = Field(100, ge=1, le=1000)
    timeout_s: float = Field(10.0, gt=0)
    retry_base_s: float = Field(30.0, gt=0)
    """Back-off after a failed send: this many seconds, doubled per attempt."""
    retry_max_s: float = Field(3600.0, gt=0)
    max_attempts: int = Field(20, ge=1, le=1000)
    """Attempts before a row is marked failed (kept, counted, re-queued by ``xapi flush
    --retry-failed``)."""
    flush_every_s: float = Field(30.0, gt=0)
    """How often the worker's ``xapi-flush`` job runs."""
    lease_s: float = Field(300.0, gt=0)
    """A batch claimed longer ago than this (its sender died) may be claimed again."""


class Settings(BaseSettings):
    """blendcoach configuration.

    Every field can be set as ``BLENDCOACH_<NAME>``; nested ones as
    ``BLENDCOACH_CHUNK__WORDS`` and so on.
    """

    model_config = SettingsConfigDict(
        env_prefix="BLENDCOACH_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
    )

    data_dir: Path = Path("var")
    database_url: str | None = None
    qdrant_url: str | None = None
    qdrant_api_key: str | None = None
    qdrant_collection: str = "blendcoach"
    qdrant_shard_number: int | None = Field(None, ge=1, le=1000)
    """Shards of the collection on a Qdrant server or cluster (``BLENDCOACH_QDRANT_SHARD_NUMBER``;
    none: the server's default, one per node). Applies when the service creates the collection;
    an existing one keeps its own (Qdrant changes shards only by resharding)."""
    qdrant_replication_factor: int | None = Field(None, ge=1, le=100)
    """Copies of each shard on a cluster (none: the server's default, 1); 2 survives losing a
    node."""
    qdrant_write_consistency_factor: int | None = Field(None, ge=1, le=100)
    """Replicas that must confirm a write before it is acknowledged (none: 1)."""
    embedding_model: str = "minilm"
    embedding_batch_size: int = Field(64, ge=1, le=4096)
    languages: tuple[str, ...] = ("en", "fr")
    chunk: ChunkSettings = ChunkSettings()
    search: SearchSettings = SearchSettings()
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["json", "text"] = "json"
    """``json``: one JSON object per line with the request id (``text``: Python's default)."""
    redis_url: str | None = None
    """The service's Redis (``redis://127.0.0.1:6379/0``): rate-limit counters and the nudge
    job queue; none: both in-process. Same value as ``nudges.redis_url`` (either name)."""
    auth: AuthSettings = AuthSettings()
    public_url: str | None = None
    """Where learners and the LMS reach the service (xAPI activity ids live under it);
    default ``http://HOST:PORT``."""
    demo_pages: bool = False
    """Serve ``/demo``, a course page signed in as a demo learner (``make run`` turns it on)."""
    planning_date: date | None = None
    """Plan paths as if today were this date (demos with fixed session dates, tests);
    default: the real date."""
    cors_origins: tuple[str, ...] = ()
    """Origins of the pages (LMS) that embed the widget from another host; ``*`` for any."""
    llm: LLMSettings = LLMSettings()
    guard: GuardSettings = GuardSettings()
    nudges: NudgeDeliverySettings = NudgeDeliverySettings()
    limits: LimitSettings = LimitSettings()
    health: HealthSettings = HealthSettings()
    lrs_url: str | None = None
    """An external LRS (``BLENDCOACH_LRS_URL``, its xAPI base: ``.../xAPI``) that the
    outbox forwards every statement to; with ``BLENDCOACH_LRS_USERNAME``/``_PASSWORD``
    (basic auth). ``BLENDCOACH_LRS_BATCH_SIZE`` and the others tune :class:`LrsSettings`."""
    lrs_username: str | None = None
    lrs_password: SecretStr | None = Field(None, repr=False)
    lrs_batch_size: int = Field(100, ge=1, le=1000)
    lrs_timeout_s: float = Field(10.0, gt=0)
    lrs_retry_base_s: float = Field(30.0, gt=0)
    lrs_retry_max_s: float = Field(3600.0, gt=0)
    lrs_max_attempts: int = Field(20, ge=1, le=1000)
    lrs_flush_every_s: float = Field(30.0, gt=0)
    # The flat names the docs use (BLENDCOACH_LLM_BASE_URL, _MODEL, _API_KEY) beside the
    # nested BLENDCOACH_LLM__*; folded into ``llm`` below. A nested model's fields cannot
    # take an alias from the top level, so these are plain prefixed fields.
    llm_base_url: str | None = Field(None, exclude=True, repr=False)
    llm_model: str | None = Field(None, exclude=True, repr=False)
    llm_api_key: SecretStr | None = Field(None, exclude=True, repr=False)

    @property
    def base_url(self) -> str:
        """The service's public URL, without a trailing slash."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.workers > 1 and self.qdrant_url is None:
            raise ValueError(
                "workers > 1 needs a Qdrant server (BLENDCOACH_QDRANT_URL): the embedded "
                "index is single-process"
            )
        if self.workers > 1 and self.db_url.startswith("sqlite"):
            raise ValueError("workers > 1 needs PostgreSQL (BLENDCOACH_DATABASE_URL)")
        sharding = {
            "qdrant_shard_number": self.qdrant_shard_number,
            "qdrant_replication_factor": self.qdrant_replication_factor,
            "qdrant_write_consistency_factor": self.qdrant_write_consistency_factor,
        }
        set_ = [name for name, value in sharding.items() if value is not None]
        if set_ and self.qdrant_url is None:
            raise ValueError(
                f"{', '.join(set_)} apply to a Qdrant server or cluster: set "
                "BLENDCOACH_QDRANT_URL (the embedded index is one shard)"
            )
        factor = self.qdrant_write_consistency_factor
        if factor is not None and factor > (self.qdrant_replication_factor or 1):
            raise ValueError(
                "qdrant_write_consistency_factor cannot exceed qdrant_replication_factor"
            )
        if self.chunk.overlap >= self.chunk.words // 2:
            raise ValueError("chunk.overlap must be less than half of chunk.words")
        if self.chunk.window_words and self.chunk.window_stride > self.chunk.window_words:
            raise ValueError("chunk.window_stride must not exceed chunk.window_words")
        return self

    @property
    def lrs(self) -> LrsSettings:
        """The LRS the xAPI outbox forwards to."""
        return LrsSettings(
            url=self.lrs_url,
            username=self.lrs_username,
            password=self.lrs_password,
            batch_size=self.lrs_batch_size,
            timeout_s=self.lrs_timeout_s,
            retry_base_s=self.lrs_retry_base_s,
            retry_max_s=self.lrs_retry_max_s,
            max_attempts=self.lrs_max_attempts,
            flush_every_s=self.lrs_flush_every_s,
        )

    @model_validator(mode="after")
    def _check_lrs(self) -> Settings:
        url = (self.lrs_url or "").strip()
        self.lrs_url = url.rstrip("/") or None
        if url and not url.startswith(("http://", "https://")):
            raise ValueError(f"BLENDCOACH_LRS_URL must be an http(s) URL, got {url!r}")
        if (self.lrs_username is None) != (self.lrs_password is None):
            raise ValueError("BLENDCOACH_LRS_USERNAME and BLENDCOACH_LRS_PASSWORD go together")
        return self

    @model_validator(mode="after")
    def _fold_flat_llm(self) -> Settings:
        flat = {"base_url": self.llm_base_url, "model": self.llm_model, "api_key": self.llm_api_key}
        flat = {k: v for k, v in flat.items() if v is not None}
        for key, value in flat.items():
            if key in self.llm.model_fields_set and getattr(self.llm, key) != value:
                raise ValueError(
                    f"BLENDCOACH_LLM_{key.upper()} and BLENDCOACH_LLM__{key.upper()} disagree"
                )
        if flat:
            self.llm = LLMSettings.model_validate({**self.llm.model_dump(), **flat})
        return self

    @model_validator(mode="after")
    def _one_redis(self) -> Settings:
        # BLENDCOACH_REDIS_URL and the older BLENDCOACH_NUDGES__REDIS_URL name one Redis.
        nested = self.nudges.redis_url
        if self.redis_url and nested and self.redis_url != nested:
            raise ValueError("BLENDCOACH_REDIS_URL and BLENDCOACH_NUDGES__REDIS_URL disagree")
        url = self.redis_url or nested or None
        self.redis_url = url
        if nested != url:
            self.nudges = self.nudges.model_copy(update={"redis_url": url})
        return self

    @property
    def db_url(self) -> str:
        """The database URL (SQLite in the data directory unless set)."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'blendcoach.db').as_posix()}"

    @property
    def index_path(self) -> Path:
        """Where the embedded Qdrant Edge shard lives."""
        return self.data_dir / "index" / self.qdrant_collection


@lru_cache
def get_settings() -> Settings:
    """Settings read once from the environment."""
    return Settings()
