"""The pages (review, admin, manager, learner): plain HTML, ES modules and CSS under
``static/review/``, no build step.

A page holds its user's token (in sessionStorage, never in a URL the server sees), so
the HTML is never cached and loads nothing from another origin. Its modules carry no
secrets: they are cached briefly and revalidated by ETag, like the widget's.
"""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, HTTPException, Request, Response

from coach.pages import STATIC, Asset

router = APIRouter(tags=["pages"], include_in_schema=False)

REVIEW = STATIC / "review"
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
ASSET_HEADERS = {"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"}
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    # 'self' covers the page's modules, its stylesheet, the API and the widget's shared
    # timeline module; nothing inline, nothing from elsewhere, never framed.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def review_asset(name: str) -> Asset | None:
    """A file of the review page by its name in ``static/review/``, or ``None``.

    Only the names listed in that directory are served (never a path built from the
    request), so ``..`` or an encoded slash cannot reach another file.
    """
    files = {f.name: f for f in REVIEW.iterdir() if f.is_file()}
    file = files.get(name)
    suffix = "." + name.rpartition(".")[2] if "." in name else ""
    if file is None or suffix not in MEDIA_TYPES:
        return None
    body = file.read_bytes()
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    return Asset(body=body, etag=etag, media_type=MEDIA_TYPES[suffix])


LEARNER_SECTIONS = ("path", "reviews", "coach", "skills", "goals", "notifications")
"""The learner page's sections, each at ``/me/SECTION`` (the nudges' deep links)."""


def _page(name: str) -> Response:
    asset = review_asset(name)
    assert asset is not None, f"static/review/{name} ships with the package"
    return Response(asset.body, media_type=asset.media_type, headers=PAGE_HEADERS)


@router.get("/review")
def review_page() -> Response:
    """The review page; the reviewer signs in on it with their bearer token."""
    return _page("index.html")


@router.get("/admin/guard")
def guard_page() -> Response:
    """The admins' view of the runtime guard's verdicts (signs in like the review page)."""
    return _page("guard.html")


@router.get("/admin/assistant")
def assistant_page() -> Response:
    """The admin assistant: a chat over the data and the admin guide, actions to confirm."""
    return _page("assistant.html")


@router.get("/manager")
@router.get("/manager/reports/{user_id}")
def manager_page(user_id: str | None = None) -> Response:
    """Managers: their team, one person (``/manager/reports/ID`` opens them), and the
    application confirmations to give (``/manager#confirm/ID`` opens one)."""
    return _page("manager.html")


@router.get("/me")
@router.get("/me/{section}")
def learner_page(section: str = "path") -> Response:
    """The learner's own page: their path, reviews, coach, skills, goals, notifications.

    The page reads the section and its query (``?step=``, ``?quiz=``...) itself, after
    the learner signs in; an unknown section is 404."""
    if section not in LEARNER_SECTIONS:
        raise HTTPException(status_code=404, detail=f"no learner page section {section!r}")
    return _page("me.html")


@router.get("/review/{name}")
def review_file(request: Request, name: str) -> Response:
    """One of the page's modules or its stylesheet."""
    asset = review_asset(name)
    if asset is None or name.endswith(".html"):
        raise HTTPException(status_code=404, detail="no such review page file")
    headers = {**ASSET_HEADERS, "ETag": asset.etag}
    if request.headers.get("if-none-match") == asset.etag:
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)
