"""The chat widget's files and the demo page, read from the package's static files.

The widget is plain JavaScript served as is (no build step). The demo page is an LMS-like
course page that embeds the widget with one script tag, signed in as a demo learner whose
token comes from ``data_dir/demo-tokens.json`` (written by ``blendcoach demo-users``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path
from urllib.parse import urlencode

log = logging.getLogger(__name__)

STATIC = resources.files("coach") / "static"
DEMO_TOKENS_FILE = "demo-tokens.json"
DEMO_COURSE = "feedback-conversations"
DEMO_LANGUAGES = ("en", "fr")


@dataclass(frozen=True, slots=True)
class Asset:
    """One static file, with the ETag browsers revalidate it by."""

    body: bytes
    etag: str
    media_type: str


def widget_asset_names() -> frozenset[str]:
    """The files the widget is made of: ``widget.js`` and its modules under ``widget/``."""
    modules = (f"widget/{f.name}" for f in (STATIC / "widget").iterdir() if f.name.endswith(".js"))
    return frozenset(("widget.js", *modules))


def widget_asset(name: str) -> Asset | None:
    """A widget file by its path under ``static/``, or ``None`` if there is no such file.

    Read on each request (a few kilobytes), so an edited file is served at once.
    """
    if name not in widget_asset_names():
        return None
    body = (STATIC / name).read_bytes()
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    return Asset(body=body, etag=etag, media_type="text/javascript; charset=utf-8")


@dataclass(frozen=True, slots=True)
class DemoUser:
    """A demo learner the demo page can sign in as."""

    name: str
    token: str
    display_name: str


def load_demo_users(data_dir: Path) -> dict[str, DemoUser]:
    """The demo users in ``data_dir/demo-tokens.json``, in file order; ``{}`` if unusable.

    The file maps a user name to an object with at least a ``token``; entries that do not
    fit are skipped, so a stale or hand-edited file never breaks the page.
    """
    path = data_dir / DEMO_TOKENS_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        log.warning("ignoring %s: %s", path, err)
        return {}
    if not isinstance(raw, dict):
        log.warning("ignoring %s: expected an object of user name to {token, ...}", path)
        return {}
    users: dict[str, DemoUser] = {}
    for name, entry in raw.items():
        token = entry.get("token") if isinstance(entry, dict) else None
        if not isinstance(token, str) or not token:
            log.warning("ignoring demo user %r in %s: no token", name, path)
            continue
        display = entry.get("display_name")
        users[name] = DemoUser(name, token, display if isinstance(display, str) else name)
    return users


def render_demo_page(users: dict[str, DemoUser], current: DemoUser, lang: str | None) -> str:
    """The demo course page signed in as ``current``; every value is HTML-escaped."""
    links = []
    for user in users.values():
        query = {"as": user.name} | ({"lang": lang} if lang else {})
        href = escape("/demo?" + urlencode(query))
        current_attr = ' aria-current="page"' if user is current else ""
        links.append(f'<a href="{href}"{current_attr}>{escape(user.display_name)}</a>')
    values = {
        "token": current.token,
        "display_name": current.display_name,
        "course": DEMO_COURSE,
        "lang": lang or "",
    }
    page = (STATIC / "demo.html").read_text(encoding="utf-8")
    for key, value in values.items():
        page = page.replace("{{" + key + "}}", escape(value, quote=True))
    return page.replace("{{user_links}}", " ".join(links))
