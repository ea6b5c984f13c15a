"""The widget's script files and the demo page."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from coach.app import create_app
from coach.pages import widget_asset_names
from coach.services import Services
from coach.settings import Settings
from retrieval.embedding import FakeEmbedder
from tests.conftest import REPO

LMS = "https://lms.example"


def _app(data_dir: Path, **settings: object) -> Iterator[TestClient]:
    """The app with these settings (nothing ingested: these routes do not need it)."""
    config = Settings(data_dir=data_dir, embedding_model="fake", _env_file=None, **settings)  # type: ignore[call-arg, arg-type]
    services = Services.build(config, embedder=FakeEmbedder(dim=64))
    with TestClient(create_app(services=services)) as client:
        yield client
    services.close()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """Default settings: no demo pages, no CORS."""
    yield from _app(tmp_path_factory.mktemp("plain"))


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Path]]:
    data_dir = tmp_path_factory.mktemp("demo")
    for client in _app(data_dir, demo_pages=True, cors_origins=(LMS,)):
        yield client, data_dir


@pytest.fixture
def demo_client(demo_app: tuple[TestClient, Path]) -> TestClient:
    return demo_app[0]


@pytest.fixture
def demo_dir(demo_app: tuple[TestClient, Path]) -> Iterator[Path]:
    """The demo app's data directory; each test writes the tokens file it needs."""
    yield demo_app[1]
    (demo_app[1] / "demo-tokens.json").unlink(missing_ok=True)


def write_tokens(data_dir: Path, content: object) -> None:
    text = content if isinstance(content, str) else json.dumps(content)
    (data_dir / "demo-tokens.json").write_text(text, encoding="utf-8")


def test_widget_script_is_served_as_javascript_and_cached_briefly(client: TestClient) -> None:
    resp = client.get("/widget.js")
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "text/javascript; charset=utf-8"
    assert resp.headers["cache-control"] == "public, max-age=300"
    assert "data-token" in resp.text
    again = client.get("/widget.js", headers={"If-None-Match": resp.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_widget_modules_are_served_to_any_origin(client: TestClient) -> None:
    names = widget_asset_names()
    assert {"widget/chat.js", "widget/sse.js", "widget/i18n.js", "widget/dom.js"} <= names
    for name in names:
        resp = client.get(f"/{name}", headers={"Origin": "https://lms.example"})
        assert resp.status_code == 200, name
        assert resp.headers["access-control-allow-origin"] == "*"
        assert resp.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/widget/nope.js", "/widget/..", "/widget/%2e%2e%2fpages.py"])
def test_only_widget_files_are_served(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_widget_files_ship_in_the_package() -> None:
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["coach"]
    shipped = {
        p.relative_to(REPO / "coach").as_posix()
        for pat in patterns
        for p in (REPO / "coach").glob(pat)
    }
    assert {f"static/{name}" for name in widget_asset_names()} | {"static/demo.html"} <= shipped


def test_demo_page_is_off_by_default(client: TestClient) -> None:
    assert client.get("/demo").status_code == 404
    assert client.get("/demo?as=ana").status_code == 404


def test_demo_page_signs_in_as_the_chosen_user(demo_client: TestClient, demo_dir: Path) -> None:
    write_tokens(
        demo_dir,
        {
            "ana": {"token": "tok-ana", "display_name": "Ana Martin", "role": "learner"},
            "bob": {"token": "tok-bob"},
        },
    )
    resp = demo_client.get("/demo?as=bob&lang=fr")
    assert resp.status_code == 200
    assert resp.headers["cache-control"] == "no-store"
    assert "script-src" not in resp.headers["content-security-policy"]  # 'self' only
    page = resp.text
    assert (
        '<script src="/widget.js" data-token="tok-bob" data-course="feedback-conversations" '
        'data-lang="fr" defer></script>'
    ) in page
    assert "tok-ana" not in page
    assert '<a href="/demo?as=ana&amp;lang=fr">Ana Martin</a>' in page  # every demo user
    assert '<a href="/demo?as=ana">Ana Martin</a>' in demo_client.get("/demo?as=bob").text
    assert 'data-token="tok-ana"' in demo_client.get("/demo").text  # the first one by default


def test_demo_page_escapes_what_it_reads(demo_client: TestClient, demo_dir: Path) -> None:
    write_tokens(demo_dir, {"eve": {"token": '"><script>alert(1)</script>', "display_name": "<b>"}})
    page = demo_client.get("/demo?as=eve").text
    assert "<script>alert" not in page and "<b>" not in page
    assert "&quot;&gt;&lt;script&gt;" in page


@pytest.mark.parametrize(
    "content",
    [None, "{not json", '["ana"]', {"ana": "tok"}, {"ana": {"token": 42}}],
    ids=["missing", "not-json", "not-an-object", "entry-not-an-object", "token-not-a-string"],
)
def test_demo_page_without_usable_tokens_says_what_to_run(
    demo_client: TestClient, demo_dir: Path, content: object
) -> None:
    if content is not None:
        write_tokens(demo_dir, content)
    resp = demo_client.get("/demo")
    assert resp.status_code == 404
    assert "blendcoach demo-users" in resp.json()["detail"]


def test_demo_page_rejects_an_unknown_user(demo_client: TestClient, demo_dir: Path) -> None:
    write_tokens(demo_dir, {"ana": {"token": "tok-ana"}, "broken": {}})
    resp = demo_client.get("/demo?as=zed")
    assert resp.status_code == 404
    assert resp.json()["detail"] == "unknown demo user; one of: ana"


def test_cors_lets_the_configured_lms_call_the_api(demo_client: TestClient) -> None:
    preflight = {
        "Origin": LMS,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    ok = demo_client.options("/v1/search", headers=preflight)
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == LMS
    assert "authorization" in ok.headers["access-control-allow-headers"].lower()
    other = demo_client.options(
        "/v1/search", headers={**preflight, "Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers
