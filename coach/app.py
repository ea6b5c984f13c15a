"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from coach import __version__
from coach.api import health, search
from coach.services import Services
from coach.settings import Settings, get_settings


def create_app(settings: Settings | None = None, *, services: Services | None = None) -> FastAPI:
    """Build the app; ``services`` lets tests hand in prepared parts."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        built = services or Services.build(settings or get_settings())
        app.state.services = built
        app.state.retriever = built.retriever()
        yield
        if owned:
            built.close()

    app = FastAPI(
        title="blendcoach",
        version=__version__,
        description="AI learning coach for blended corporate training.",
        lifespan=lifespan,
    )
    app.include_router(health.router)
    app.include_router(search.router)
    return app
