"""The L&D review page: plain HTML, ES modules and CSS under ``static/review/``, no build step.

The page holds a reviewer's token (in sessionStorage, never in a URL the server sees), so
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


@router.get("/review")
def review_page() -> Response:
    """The review page; the reviewer signs in on it with their bearer token."""
    asset = review_asset("index.html")
    assert asset is not None, "static/review/index.html ships with the package"
    return Response(asset.body, media_type=asset.media_type, headers=PAGE_HEADERS)


@router.get("/admin/guard")
def guard_page() -> Response:
    """The admins' view of the runtime guard's verdicts (signs in like the review page)."""
    asset = review_asset("guard.html")
    assert asset is not None, "static/review/guard.html ships with the package"
    return Response(asset.body, media_type=asset.media_type, headers=PAGE_HEADERS)


@router.get("/admin/assistant")
def assistant_page() -> Response:
    """The admin assistant: a chat over the data and the admin guide, actions to confirm."""
    asset = review_asset("assistant.html")
    assert asset is not None, "static/review/assistant.html ships with the package"
    return Response(asset.body, media_type=asset.media_type, headers=PAGE_HEADERS)


@router.get("/manager")
def manager_page() -> Response:
    """Managers: their team, one person, and the application confirmations to give."""
    asset = review_asset("manager.html")
    assert asset is not None, "static/review/manager.html ships with the package"
    return Response(asset.body, media_type=asset.media_type, headers=PAGE_HEADERS)


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
