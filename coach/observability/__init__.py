"""Observability: Prometheus metrics, JSON logs with request ids, readiness checks.

- :mod:`~coach.observability.metrics`: :class:`Metrics`, one registry per app.
- :mod:`~coach.observability.middleware`: request ids, per-route metrics, access log lines.
- :mod:`~coach.observability.logs`: the JSON formatter and :func:`configure_logging`.
- :mod:`~coach.observability.instrument`: the retriever and the guard, measured.
- :mod:`~coach.observability.queues`: queue depths read at scrape time.
- :mod:`~coach.observability.readiness`: the checks behind ``/readyz``.
"""

from coach.observability.logs import JsonFormatter, configure_logging, request_id
from coach.observability.metrics import Metrics

__all__ = ["JsonFormatter", "Metrics", "configure_logging", "request_id"]
