"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
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
    metrics,
    nudges,
    org_settings,
    pages,
    paths,
    quizzes,
    review_pages,
    search,
    surveys,
    xapi,
)
from coach.api.errors import install_error_handlers
from coach.handoff.hook import hook_for
from coach.limits.http import BodyLimitMiddleware, enforce_rate_limit
from coach.managers.applications import application_confirmations
from coach.observability import Metrics, configure_logging
from coach.observability.middleware import RequestContextMiddleware
from coach.operations import Operations
from coach.services import Services
from coach.settings import Settings, get_settings


def create_app(
    settings: Settings | None = None,
    *,
    services: Services | None = None,
    configure_logs: bool | None = None,
) -> FastAPI:
    """Build the app; ``services`` lets tests hand in prepared parts.

    ``configure_logs``: set up the process's logging (JSON lines with request ids); by
    default only for the app as served, built from the environment (``blendcoach serve``),
    never for one built from given parts inside another program or a test.
    """
    cfg = services.settings if services else settings or get_settings()
    if configure_logs is None:
        configure_logs = settings is None and services is None
    if configure_logs:
        configure_logging(cfg.log_level, cfg.log_format)
    # One registry per app (handed-in services bring theirs): tests never share counters.
    registry = services.metrics if services else Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        built = services or Services.build(cfg, metrics=registry)
        ops = Operations.start(built)  # limiter, readiness checks, LLM and queue metrics
        app.state.limiter, app.state.readiness = ops.limiter, ops.readiness
        app.state.services = built
        app.state.retriever = built.retriever()
        app.state.chat = built.chat_engine(app.state.retriever)
        app.state.chat.handoff = hook_for(built.settings)  # the LLM detector when one is set
        app.state.quizzes = built.quiz_service(app.state.retriever)
        app.state.paths = built.path_service()
        app.state.application_confirmations = application_confirmations  # Kirkpatrick
        app.state.admin = built.admin_assistant(app.state.retriever, app.state.paths.world)
        try:
            yield
        finally:
            await ops.close()
            if owned:
                built.close()

    app = FastAPI(
        title="blendcoach",
        version=__version__,
        description="AI learning coach for blended corporate training.",
        lifespan=lifespan,
        dependencies=[Depends(enforce_rate_limit)],  # 429 per user and organisation
    )
    app.state.metrics = registry
    app.add_middleware(BodyLimitMiddleware, max_bytes=cfg.limits.max_body_bytes)
    cors = cfg.cors_origins
    if cors:  # the widget on an LMS page calls the API from another origin, with a bearer token
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors),
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
            expose_headers=["Retry-After", "X-Request-ID"],
        )
    # Outermost: every response (CORS, 413, 429, 500 included) is timed, logged and gets an id.
    app.add_middleware(RequestContextMiddleware, metrics=registry)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(metrics.router)
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
    app.include_router(xapi.router)
    return app
