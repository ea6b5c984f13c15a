"""The one Settings object: environment variables ``BLENDCOACH_*`` and an optional ``.env``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator
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
    embedding_model: str = "minilm"
    embedding_batch_size: int = Field(64, ge=1, le=4096)
    languages: tuple[str, ...] = ("en", "fr")
    chunk: ChunkSettings = ChunkSettings()
    search: SearchSettings = SearchSettings()
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1)
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.workers > 1 and self.qdrant_url is None:
            raise ValueError(
                "workers > 1 needs a Qdrant server (BLENDCOACH_QDRANT_URL): the embedded "
                "index is single-process"
            )
        if self.workers > 1 and self.db_url.startswith("sqlite"):
            raise ValueError("workers > 1 needs PostgreSQL (BLENDCOACH_DATABASE_URL)")
        if self.chunk.overlap >= self.chunk.words // 2:
            raise ValueError("chunk.overlap must be less than half of chunk.words")
        if self.chunk.window_words and self.chunk.window_stride > self.chunk.window_words:
            raise ValueError("chunk.window_stride must not exceed chunk.window_words")
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
