"""LLM settings: nested and flat environment names, offline by default."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from coach.settings import LLMSettings, Settings


def settings() -> Settings:
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_no_endpoint_means_offline() -> None:
    llm = settings().llm
    assert llm.base_url is None and llm.model == "gpt-4o-mini" and llm.api_key is None
    assert (llm.timeout_s, llm.first_token_timeout_s, llm.max_retries) == (30, 10, 2)
    assert (llm.temperature, llm.max_tokens) == (0.2, 600)


def test_nested_environment_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLENDCOACH_LLM__BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("BLENDCOACH_LLM__MODEL", "llama3.1")
    monkeypatch.setenv("BLENDCOACH_LLM__API_KEY", "sk-nested")
    monkeypatch.setenv("BLENDCOACH_LLM__FIRST_TOKEN_TIMEOUT_S", "4")
    monkeypatch.setenv("BLENDCOACH_LLM__MAX_RETRIES", "0")
    llm = settings().llm
    assert llm.base_url == "http://127.0.0.1:11434/v1" and llm.model == "llama3.1"
    assert llm.api_key is not None and llm.api_key.get_secret_value() == "sk-nested"
    assert llm.first_token_timeout_s == 4 and llm.max_retries == 0


def test_flat_environment_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLENDCOACH_LLM_BASE_URL", "https://api.example.test/v1")
    monkeypatch.setenv("BLENDCOACH_LLM_MODEL", "gpt-4.1-mini")
    monkeypatch.setenv("BLENDCOACH_LLM_API_KEY", "sk-flat")
    monkeypatch.setenv("BLENDCOACH_LLM__TIMEOUT_S", "12")
    s = settings()
    assert s.llm.base_url == "https://api.example.test/v1" and s.llm.model == "gpt-4.1-mini"
    assert s.llm.api_key is not None and s.llm.api_key.get_secret_value() == "sk-flat"
    assert s.llm.timeout_s == 12
    assert "sk-flat" not in repr(s) and "llm_api_key" not in s.model_dump()


def test_flat_and_nested_names_must_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLENDCOACH_LLM_MODEL", "a")
    monkeypatch.setenv("BLENDCOACH_LLM__MODEL", "a")
    assert settings().llm.model == "a"
    monkeypatch.setenv("BLENDCOACH_LLM__MODEL", "b")
    with pytest.raises(ValidationError, match="disagree"):
        settings()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base_url": "localhost:8000"}, "http"),
        ({"timeout_s": 0}, "greater than 0"),
        ({"max_retries": -1}, "greater than or equal"),
    ],
)
def test_bad_values_fail_at_start_up(kwargs: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValidationError, match=message):
        LLMSettings(**kwargs)


def test_a_blank_base_url_is_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLENDCOACH_LLM_BASE_URL", "")
    assert settings().llm.base_url is None
