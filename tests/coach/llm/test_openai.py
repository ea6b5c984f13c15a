"""The OpenAI-compatible chat model through the real client against the scripted server."""

from __future__ import annotations

import socket
import time

import pytest

from coach.llm import ChatMessage, LLMError, make_chat_model
from coach.llm.openai import OpenAIChatModel
from coach.settings import LLMSettings
from tests.utils.fake_openai import FakeOpenAI, Reply

HELLO = [ChatMessage("system", "Be brief."), ChatMessage("user", "Say hello.")]


def model(server: FakeOpenAI, **kwargs: object) -> OpenAIChatModel:
    """A model with test-sized limits: no retries, half a second to the first token."""
    options: dict = {"timeout_s": 1.5, "first_token_timeout_s": 0.5, "max_retries": 0}
    options.update(kwargs)
    return OpenAIChatModel(base_url=server.base_url, model="gpt-test", api_key="sk-test", **options)


def test_streams_deltas_and_sends_the_request_openai_expects(fake_openai: FakeOpenAI) -> None:
    fake_openai.add(Reply.text("Hello there, learner."))
    deltas = list(model(fake_openai).stream(HELLO))
    assert deltas == ["Hello ", "there, ", "learner."]
    (request,) = fake_openai.requests
    assert request.path == "/v1/chat/completions" and request.stream
    assert request.model == "gpt-test"
    assert request.headers["authorization"] == "Bearer sk-test"
    assert request.messages == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Say hello."},
    ]
    assert request.body["temperature"] == 0.2
    assert request.body["max_completion_tokens"] == 600


def test_complete_uses_one_non_streaming_request(fake_openai: FakeOpenAI) -> None:
    fake_openai.add(Reply.text("  A standalone query  "))
    assert model(fake_openai).complete(HELLO) == "A standalone query"
    assert fake_openai.requests[0].stream is False


@pytest.mark.parametrize(
    ("reply", "kind", "status"),
    [
        (Reply.error(500), "http", 500),
        (Reply.error(401, "bad key"), "http", 401),
        (Reply.garbage("json"), "garbage", None),
        (Reply.garbage("html"), "garbage", None),
        (Reply.disconnect("Half a sen"), "connection", None),
        (Reply.text(""), "empty", None),
    ],
)
def test_failures_become_one_error_type(
    fake_openai: FakeOpenAI, reply: Reply, kind: str, status: int | None
) -> None:
    fake_openai.add(reply)
    with pytest.raises(LLMError) as caught:
        list(model(fake_openai).stream(HELLO))
    assert caught.value.kind == kind and caught.value.status == status


def test_non_streaming_garbage_is_an_error_too(fake_openai: FakeOpenAI) -> None:
    fake_openai.add(Reply.garbage("json"))
    with pytest.raises(LLMError, match="garbage"):
        model(fake_openai).complete(HELLO)


def test_connection_refused_is_a_connection_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    chat = OpenAIChatModel(base_url=f"http://127.0.0.1:{port}/v1", model="m", max_retries=0)
    with pytest.raises(LLMError) as caught:
        list(chat.stream(HELLO))
    assert caught.value.kind == "connection"


def test_a_hanging_server_times_out_at_the_first_token_limit(fake_openai: FakeOpenAI) -> None:
    fake_openai.add(Reply.hang(10), Reply.hang(10), Reply.hang(10))
    started = time.monotonic()
    with pytest.raises(LLMError) as caught:
        list(model(fake_openai, max_retries=2).stream(HELLO))
    # Retries included: the limit is wall-clock, not per attempt.
    assert caught.value.kind == "timeout" and "first token" in str(caught.value)
    assert time.monotonic() - started < 0.9


def test_a_slow_stream_is_cut_at_the_total_limit() -> None:
    with FakeOpenAI([Reply.text("word " * 100)], tokens_per_s=20) as server:
        chat = model(server, timeout_s=0.6)
        got: list[str] = []
        started = time.monotonic()
        with pytest.raises(LLMError, match="complete reply"):
            for delta in chat.stream(HELLO):
                got.append(delta)
        assert 3 < len(got) < 30 and time.monotonic() - started < 1.0


def test_retries_a_503_then_answers(fake_openai: FakeOpenAI) -> None:
    fake_openai.add(Reply.error(503), Reply.text("Back again."))
    assert "".join(model(fake_openai, max_retries=2).stream(HELLO)) == "Back again."
    assert len(fake_openai.requests) == 2


def test_client_errors_are_not_retried(fake_openai: FakeOpenAI) -> None:
    fake_openai.add(Reply.error(400), Reply.text("never sent"))
    with pytest.raises(LLMError, match="400"):
        list(model(fake_openai, max_retries=2).stream(HELLO))
    assert len(fake_openai.requests) == 1


def test_factory_is_offline_without_a_base_url(fake_openai: FakeOpenAI) -> None:
    assert make_chat_model(LLMSettings()) is None
    fake_openai.add(Reply.text("Hi."))
    settings = LLMSettings(base_url=fake_openai.base_url, model="m2", api_key="k2")  # type: ignore[arg-type]
    chat = make_chat_model(settings)
    assert chat is not None and chat.name == "m2"
    assert chat.complete(HELLO) == "Hi."
    assert fake_openai.requests[0].headers["authorization"] == "Bearer k2"
