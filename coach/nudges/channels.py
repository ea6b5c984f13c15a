"""Where a nudge goes: the in-widget feed, e-mail over SMTP, an incoming webhook.

One small base, :class:`Channel` (``send`` one message or raise :class:`DeliveryError`),
and a deterministic :class:`FakeChannel` beside the real ones. Retries, back-off and the
never-twice guarantee live in the delivery job (:mod:`coach.nudges.engine`), not here.
"""

from __future__ import annotations

import smtplib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import urlsplit

import httpx

from coach.settings import NudgeDeliverySettings


class DeliveryError(RuntimeError):
    """The channel could not deliver the message now (the job retries with back-off)."""


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """One nudge as a channel sends it."""

    nudge_id: str
    address: str
    """An e-mail address, a webhook URL, or the user id for the feed."""
    subject: str
    body: str
    url: str
    """The deep link, absolute."""
    language: str = "en"


class Channel(ABC):
    """A way to reach a person."""

    name: str

    @abstractmethod
    def send(self, message: OutgoingMessage) -> None:
        """Deliver ``message`` or raise :class:`DeliveryError`."""

    def close(self) -> None:  # noqa: B027 - most channels hold nothing open
        """Release connections."""


class FeedChannel(Channel):
    """The in-widget notification feed: the stored row marked sent *is* the delivery."""

    name = "feed"

    def send(self, message: OutgoingMessage) -> None:
        return None


class SmtpChannel(Channel):
    """Plain-text e-mail; the Message-ID derives from the nudge id, so a mail client shows
    a resend after a crash between the server's acceptance and our record as one mail."""

    name = "email"

    def __init__(self, settings: NudgeDeliverySettings) -> None:
        if not settings.smtp_host:
            raise ValueError("the e-mail channel needs nudges.smtp_host")
        self.settings = settings

    def send(self, message: OutgoingMessage) -> None:
        s = self.settings
        mail = EmailMessage()
        mail["From"] = s.smtp_sender
        mail["To"] = message.address
        mail["Subject"] = message.subject
        mail["Message-ID"] = make_msgid(idstring=message.nudge_id, domain="blendcoach")
        mail["Content-Language"] = message.language
        mail.set_content(f"{message.body}\n\n{message.url}\n")
        try:
            with smtplib.SMTP(s.smtp_host or "", s.smtp_port, timeout=s.timeout_s) as smtp:
                if s.smtp_starttls:
                    smtp.starttls()
                if s.smtp_username and s.smtp_password:
                    smtp.login(s.smtp_username, s.smtp_password.get_secret_value())
                smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as err:  # timeouts are OSErrors
            raise DeliveryError(f"smtp {s.smtp_host}:{s.smtp_port}: {err}") from err


def webhook_payload(message: OutgoingMessage) -> dict[str, str]:
    """The incoming-webhook body both Slack and Microsoft Teams accept: ``{"text": ...}``."""
    return {"text": f"{message.subject}\n{message.body}\n{message.url}"}


def allowed_webhook(url: str, hosts: tuple[str, ...]) -> bool:
    """Whether ``url`` is https (or http to this machine) on one of ``hosts``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    local = host in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        return False
    return any(host == h or (h.startswith(".") and host.endswith(h)) for h in hosts)


class WebhookChannel(Channel):
    """A POST of :func:`webhook_payload` to the user's incoming-webhook URL."""

    name = "webhook"

    def __init__(self, settings: NudgeDeliverySettings, client: httpx.Client | None = None) -> None:
        self.settings = settings
        self._owned = client is None
        self.client = client or httpx.Client(timeout=settings.timeout_s)

    def close(self) -> None:
        if self._owned:
            self.client.close()

    def send(self, message: OutgoingMessage) -> None:
        if not allowed_webhook(message.address, self.settings.webhook_hosts):
            raise DeliveryError(f"webhook host not allowed: {urlsplit(message.address).hostname}")
        try:
            response = self.client.post(message.address, json=webhook_payload(message))
        except httpx.HTTPError as err:
            raise DeliveryError(f"webhook: {err}") from err
        if response.status_code >= 300:
            raise DeliveryError(f"webhook answered {response.status_code}")


class FakeChannel(Channel):
    """Records what it is given; fails the first ``fail_times`` sends (a server down)."""

    def __init__(self, name: str = "fake", *, fail_times: int = 0) -> None:
        self.name = name
        self.fail_times = fail_times
        self.sent: list[OutgoingMessage] = []
        self.calls = 0

    def send(self, message: OutgoingMessage) -> None:
        self.calls += 1
        if self.calls <= self.fail_times:
            raise DeliveryError(f"{self.name} down (scripted failure {self.calls})")
        self.sent.append(message)


def make_channels(settings: NudgeDeliverySettings) -> dict[str, Channel]:
    """The channels the settings configure: the feed always, e-mail with an SMTP host,
    webhooks (each user brings their own URL)."""
    channels: dict[str, Channel] = {"feed": FeedChannel(), "webhook": WebhookChannel(settings)}
    if settings.smtp_host:
        channels["email"] = SmtpChannel(settings)
    return channels
