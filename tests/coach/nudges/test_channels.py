"""Channels against real local servers: e-mail through SMTP, the Teams/Slack webhook.
A server that is down is retried with back-off and the nudge is sent once it is back."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from coach import storage
from coach.nudges.channels import (
    Channel,
    DeliveryError,
    FakeChannel,
    FeedChannel,
    OutgoingMessage,
    SmtpChannel,
    WebhookChannel,
    allowed_webhook,
    make_channels,
    webhook_payload,
)
from coach.nudges.engine import NudgeEngine
from coach.settings import NudgeDeliverySettings
from tests.coach.nudges.conftest import DAY, NOW, Org
from tests.coach.nudges.servers import Hook, free_port, smtp_server, webhook_server

MESSAGE = OutgoingMessage(
    "n-1", "ana@example.test", "Tomorrow: Negotiation at 09:30", "Your session ...",
    "https://coach.example/me/path?session=s1", "en",
)  # fmt: skip
LOCAL = NudgeDeliverySettings(webhook_hosts=("127.0.0.1",), timeout_s=2)


def test_smtp_delivers_a_plain_text_mail_with_the_link() -> None:
    port = free_port()
    with smtp_server(port) as inbox:
        SmtpChannel(LOCAL.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})).send(
            MESSAGE
        )
    (mail,) = inbox.messages
    assert mail["To"] == "ana@example.test" and mail["Subject"] == MESSAGE.subject
    assert "n-1" in mail["Message-ID"]
    assert MESSAGE.url in mail.get_payload(decode=True).decode()


def test_smtp_down_is_a_delivery_error() -> None:
    channel = SmtpChannel(
        LOCAL.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": free_port()})
    )
    with pytest.raises(DeliveryError, match="smtp"):
        channel.send(MESSAGE)


def test_webhook_posts_the_text_payload_teams_and_slack_accept() -> None:
    hook = Hook()
    with webhook_server(hook) as url:
        channel = WebhookChannel(LOCAL)
        channel.send(replace(MESSAGE, address=url))
        channel.close()
    assert hook.requests == [webhook_payload(MESSAGE)]
    assert set(hook.requests[0]) == {"text"} and MESSAGE.url in hook.requests[0]["text"]


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://hooks.slack.com/services/T/B/x", True),
        ("https://acme.webhook.office.com/webhookb2/x", True),
        ("http://hooks.slack.com/services/x", False),  # not https
        ("https://evil.example/hooks.slack.com", False),
        ("https://hooks.slack.com.evil.example/x", False),
    ],
)
def test_webhook_urls_are_limited_to_the_allowed_hosts(url: str, ok: bool) -> None:
    assert allowed_webhook(url, NudgeDeliverySettings().webhook_hosts) is ok


def test_a_refused_webhook_host_is_not_contacted() -> None:
    with pytest.raises(DeliveryError, match="not allowed"):
        WebhookChannel(NudgeDeliverySettings()).send(
            replace(MESSAGE, address="https://evil.example/x")
        )


@pytest.mark.parametrize("make", [FeedChannel, lambda: FakeChannel("fake")])
def test_contract_every_channel_takes_a_message(make: type[Channel]) -> None:
    channel = make()
    channel.send(MESSAGE)
    channel.close()


def test_make_channels_offers_email_only_with_an_smtp_host() -> None:
    assert set(make_channels(NudgeDeliverySettings())) == {"feed", "webhook"}
    with_smtp = make_channels(NudgeDeliverySettings(smtp_host="127.0.0.1"))
    assert set(with_smtp) == {"feed", "webhook", "email"}
    for c in with_smtp.values():
        c.close()


def _deliver_all(nudges: NudgeEngine, db: Engine, at: object) -> dict[str, str]:
    with Session(db) as session:
        ids = list(session.scalars(select(storage.Nudge.id).where(storage.Nudge.channel != "feed")))
    return {i: nudges.deliver(db, nudge_id=i, now=at) for i in ids}  # type: ignore[arg-type]


def test_smtp_and_webhook_down_then_back_each_nudge_sent_once(db_engine: Engine, org: Org) -> None:
    port, hook = free_port(), Hook(fail_first=2)
    with webhook_server(hook) as url:
        settings = LOCAL.model_copy(
            update={"smtp_host": "127.0.0.1", "smtp_port": port, "retry_base_s": 60}
        )
        nudges = NudgeEngine(channels=make_channels(settings), delivery=settings, clock=lambda: NOW)
        with Session(db_engine) as session, session.begin():
            storage.set_nudge_preferences(session, org_id=org.id, user_id=org.ana, webhook_url=url)
            nudges.plan_day(session, org_id=org.id, day=DAY)
        first = NOW + timedelta(hours=12)
        outcomes = _deliver_all(nudges, db_engine, first)  # SMTP down, webhook answers 503
        assert set(outcomes.values()) == {"retry"} and len(outcomes) == 5
        with smtp_server(port) as inbox:
            again = _deliver_all(nudges, db_engine, first + timedelta(minutes=1))
            assert set(again.values()) == {"sent"}
            retried = _deliver_all(nudges, db_engine, first + timedelta(minutes=2))
            assert set(retried.values()) == {"not_due_or_taken"}
        nudges.close()
    assert sorted(m["Subject"] for m in inbox.messages) == [
        "Luc reached level 2 in Spreadsheet modelling",
        "Next step: Excel formulas",
        "Tomorrow: Negotiation at 09:30",
    ]
    assert sorted(r["text"].split("\n")[0] for r in hook.requests) == [
        "Next step: Excel formulas",
        "Tomorrow: Negotiation at 09:30",
    ]
