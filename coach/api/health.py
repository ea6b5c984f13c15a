"""Liveness and readiness."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from coach.api.deps import ServicesDep
from coach.observability.readiness import Probe
from coach.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz(services: ServicesDep) -> Health:
    """Up, with the size of the index and the encoder in use."""
    return Health(
        status="ok", index_points=services.index.count(), embedding_model=services.embedder.name
    )


@router.get(
    "/readyz",
    responses={503: {"description": "A required check failed; `failed` names it"}},
)
async def readyz(request: Request) -> JSONResponse:
    """Ready to serve: the database, the index, the LLM endpoint (and Redis when set) answer.

    503 with ``failed`` naming the checks that did not pass, each with its error.
    """
    probe: Probe = request.app.state.readiness
    report = await probe.run()
    return JSONResponse(report.public(), status_code=200 if report.ready else 503)
