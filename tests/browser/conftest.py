"""Browser tests: the real app under uvicorn, driven by Playwright with Debian's Chromium.

The app runs once per session on a free 127.0.0.1 port (fake embedder, demo catalog), beside
a tiny "LMS" on another port whose pages embed the widget cross-origin, as a real LMS would.
Playwright never downloads a browser: it drives ``/usr/bin/chromium`` (``.ci/run`` installs
it). Without it the tests skip locally and fail in CI.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from coach.app import create_app
from coach.auth import auth_secret
from coach.pages import DEMO_TOKENS_FILE
from coach.services import Services
from coach.settings import Settings
from retrieval.embedding import FakeEmbedder
from tests.browser.live import TIMEOUT_MS, LiveApp, Lms, listen, wait_until
from tests.conftest import DEMO_CATALOG, _pg_database
from tests.utils.databases import ON_POSTGRESQL
from tests.utils.users import make_user

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _postgresql(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """A copy of the migrated template on PostgreSQL (``make test-pg``), else None."""
    if not ON_POSTGRESQL:
        yield None
        return
    yield from _pg_database(template=request.getfixturevalue("_pg_migrated_template"))


@pytest.fixture(scope="module", autouse=True)
def module_database(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """The database of the apps a module starts with ``Settings(...)`` (read from
    ``BLENDCOACH_DATABASE_URL``): SQLite in their data dir, or one PostgreSQL copy."""
    for url in _postgresql(request):
        with pytest.MonkeyPatch.context() as mp:
            if url is not None:
                mp.setenv("BLENDCOACH_DATABASE_URL", url)
            yield url


@pytest.fixture(scope="session")
def session_database(request: pytest.FixtureRequest) -> Iterator[str | None]:
    yield from _postgresql(request)


@pytest.fixture(scope="session")
def live_app(
    tmp_path_factory: pytest.TempPathFactory, session_database: str | None
) -> Iterator[LiveApp]:
    lms = Lms(listen())
    settings = Settings(
        database_url=session_database,  # outlives each module's database
        data_dir=tmp_path_factory.mktemp("browser") / "var",
        embedding_model="fake",
        demo_pages=True,
        cors_origins=(lms.origin,),
        _env_file=None,  # type: ignore[call-arg]
    )
    services = Services.build(settings, embedder=FakeEmbedder(dim=64))
    services.ingestor().ingest([DEMO_CATALOG])
    sock = listen()
    host, port = sock.getsockname()
    config = uvicorn.Config(create_app(services=services), log_level="warning", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    wait_until(lambda: server.started, "the app")
    secret = auth_secret(settings)
    ana = make_user(services.engine, secret=secret, external_id="ana", display_name="Ana")
    # What `blendcoach demo-users` writes: the demo page signs in with it.
    (settings.data_dir / DEMO_TOKENS_FILE).write_text(
        json.dumps({"ana": {"token": ana.token, "display_name": ana.display_name}})
    )
    yield LiveApp(url=f"http://{host}:{port}", services=services, lms=lms, ana=ana)
    server.should_exit = True
    thread.join(timeout=10)
    lms.close()
    services.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI installs it (.ci/run): never skip there
        pytest.skip(reason)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (own storage) and page; page errors fail the test."""
    context = browser.new_context(viewport={"width": 1100, "height": 800}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    yield page
    context.close()
    assert not errors, errors
