"""Liveness and readiness."""

from fastapi import APIRouter

from coach.api.deps import ServicesDep
from coach.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz(services: ServicesDep) -> Health:
    """Up, with the size of the index and the encoder in use."""
    return Health(
        status="ok", index_points=services.index.count(), embedding_model=services.embedder.name
    )
