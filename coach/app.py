"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from coach import __version__
from coach.api import (
    admin,
    catalog,
    chat,
    guard,
    handoff,
    health,
    insights,
    managers,
    me,
    nudges,
    org_settings,
    pages,
    paths,
    quizzes,
    review_pages,
    search,
    surveys,
)
from coach.api.errors import install_error_handlers
from coach.handoff.hook import hook_for
from coach.managers.applications import application_confirmations
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
        app.state.chat = built.chat_engine(app.state.retriever)
        app.state.chat.handoff = hook_for(built.settings)  # the LLM detector when one is set
        app.state.quizzes = built.quiz_service(app.state.retriever)
        app.state.paths = built.path_service()
        app.state.application_confirmations = application_confirmations  # Kirkpatrick
        app.state.admin = built.admin_assistant(app.state.retriever, app.state.paths.world)
        yield
        if owned:
            built.close()

    app = FastAPI(
        title="blendcoach",
        version=__version__,
        description="AI learning coach for blended corporate training.",
        lifespan=lifespan,
    )
    cors = (services.settings if services else settings or get_settings()).cors_origins
    if cors:  # the widget on an LMS page calls the API from another origin, with a bearer token
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors),
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(me.router)
    app.include_router(managers.router)
    app.include_router(chat.router)
    app.include_router(handoff.router)
    app.include_router(quizzes.router)
    app.include_router(paths.router)
    app.include_router(catalog.router)
    app.include_router(search.router)
    app.include_router(guard.router)
    app.include_router(admin.router)
    app.include_router(org_settings.router)
    app.include_router(insights.router)
    app.include_router(nudges.router)
    app.include_router(surveys.router)
    app.include_router(pages.router)
    app.include_router(review_pages.router)
    return app
