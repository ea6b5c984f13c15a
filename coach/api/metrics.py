"""Prometheus metrics in the text exposition format (scraped, not for people)."""

from fastapi import APIRouter, Request, Response

from coach.observability.metrics import Metrics

router = APIRouter(tags=["health"])


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """Every metric of this app (queue depths are read now, in this worker thread)."""
    found: Metrics = request.app.state.metrics
    return Response(found.render(), media_type=found.content_type)
