"""The chat widget's script files and the demo page."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse

from coach.api.deps import ServicesDep
from coach.pages import load_demo_users, render_demo_page, widget_asset

router = APIRouter(tags=["pages"], include_in_schema=False)

# Short enough that a new release reaches learners within minutes; the ETag saves the
# download when nothing changed. Any origin may load the files: the modules are fetched in
# CORS mode by LMS pages, and they are public.
WIDGET_HEADERS = {
    "Cache-Control": "public, max-age=300",
    "Access-Control-Allow-Origin": "*",
    "X-Content-Type-Options": "nosniff",
}
# The demo page holds a learner's token: never cached; it loads nothing from elsewhere.
DEMO_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
}


def _widget_file(request: Request, name: str) -> Response:
    asset = widget_asset(name)
    if asset is None:
        raise HTTPException(status_code=404, detail="no such widget file")
    headers = {**WIDGET_HEADERS, "ETag": asset.etag}
    if request.headers.get("if-none-match") == asset.etag:
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


@router.get("/widget.js")
def widget_js(request: Request) -> Response:
    """The script LMS pages embed: ``<script src=".../widget.js" data-token=...>``."""
    return _widget_file(request, "widget.js")


@router.get("/widget/{name}")
def widget_module(request: Request, name: str) -> Response:
    """One of the widget's ES modules."""
    return _widget_file(request, f"widget/{name}")


@router.get("/demo", response_class=HTMLResponse)
def demo(
    services: ServicesDep,
    as_: Annotated[str | None, Query(alias="as", description="Demo user name")] = None,
    lang: Annotated[Literal["en", "fr"] | None, Query(description="Widget language")] = None,
) -> HTMLResponse:
    """A demo course page with the widget, signed in as a demo learner (``demo_pages`` only)."""
    settings = services.settings
    if not settings.demo_pages:
        raise HTTPException(status_code=404, detail="Not Found")
    users = load_demo_users(settings.data_dir)
    if not users:
        raise HTTPException(status_code=404, detail="no demo users: run `blendcoach demo-users`")
    user = users.get(as_ or next(iter(users)))
    if user is None:
        raise HTTPException(
            status_code=404, detail=f"unknown demo user; one of: {', '.join(users)}"
        )
    return HTMLResponse(render_demo_page(users, user, lang), headers=DEMO_HEADERS)
