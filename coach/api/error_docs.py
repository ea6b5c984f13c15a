"""The error answers of every route, documented once in the OpenAPI schema.

Every error the app answers is JSON with a ``detail``: a reason as text, or for input that
fails validation (422) a list of what is wrong where (see :mod:`coach.api.errors`). Which
errors a route may answer follows from what it takes, so a new route is documented without
listing them: a token (401, 403, 404, 429; 409 for a write, e.g. an item answered already
or a path changed since it was read), the database (503), a body (413, 422), path
parameters (404, 422), query parameters (422). A route's own ``responses=`` come first.
schemathesis checks every route against this schema (tests/coach/api/test_schemathesis.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema

from coach.api.deps import get_current_user, get_session


class ErrorPublic(BaseModel):
    """An error answer: why the request was refused (some add fields, e.g. ``problems``)."""

    detail: str = Field(description="The reason, for a person to read")


class InvalidInputPublic(BaseModel):
    """A 422: the request is well-formed but its input is not acceptable."""

    detail: str | list[dict[str, Any]] = Field(
        description="The reason, or one entry per invalid field (``loc``, ``msg``, ``type``)"
    )


_REF = "#/components/schemas/{model}"
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "schema": {"type": "integer"},
    }
}
_AUTH = {
    401: "No token, or one that is invalid, expired or revoked",
    403: "The caller's role or the access rules do not allow this",
    404: "Not found, or not visible to the caller",
    429: "The caller's or their organisation's rate limit is reached",
}
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}
_NOT_FOUND = "Not found, or not visible to the caller"
_INVALID = "The input is not acceptable: ``detail`` says why"
_HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {"description": "The auth scheme: Bearer", "schema": {"type": "string"}}
    },
    429: _RETRY_AFTER,
    503: _RETRY_AFTER,
}


def _calls(route: RouteContext) -> set[Callable[..., Any] | None]:
    """Every dependency ``route`` runs, however deep (``require_role`` reaches the token's)."""
    found: set[Callable[..., Any] | None] = set()
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        found.add(dep.call)
        stack.extend(dep.dependencies)
    return found


def error_statuses(route: RouteContext, method: str) -> dict[int, str]:
    """The error statuses ``method`` on ``route`` may answer, each with its description."""
    calls = _calls(route)
    statuses: dict[int, str] = {}
    if get_current_user in calls:
        statuses.update(_AUTH)
        if method.upper() in _WRITES:
            statuses[409] = "The object's state does not allow this (now): ``detail`` says why"
    if get_session in calls:
        statuses[503] = "The database is unavailable; retry after ``Retry-After`` seconds"
    if route.dependant.path_params:
        statuses[404] = _NOT_FOUND
    if route.body_field is not None:
        statuses[413] = "The request body is over the size limit"
    if route.body_field is not None or route.dependant.path_params or route.dependant.query_params:
        statuses[422] = _INVALID
    return dict(sorted(statuses.items()))


def _is_fastapi_default(response: dict[str, Any]) -> bool:
    """FastAPI's own 422 (its HTTPValidationError, a list only), which ours replaces."""
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return bool(schema.get("$ref", "").endswith("/HTTPValidationError"))


def document_errors(app: FastAPI, schema: dict[str, Any]) -> dict[str, Any]:
    """Add each route's error answers, with their JSON body, to the OpenAPI ``schema``."""
    models = [(ErrorPublic, "serialization"), (InvalidInputPublic, "serialization")]
    defs = models_json_schema(models, ref_template=_REF)[1]["$defs"]  # type: ignore[arg-type]
    schema.setdefault("components", {}).setdefault("schemas", {}).update(defs)
    for route in iter_route_contexts(app.routes):  # as the app serves them, routers included
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        for method in route.methods or ():
            operation = schema["paths"].get(route.path_format or "", {}).get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in error_statuses(route, method).items():
                documented = responses.get(str(status))
                if documented is not None and not _is_fastapi_default(documented):
                    continue
                model = "InvalidInputPublic" if status == 422 else "ErrorPublic"
                entry: dict[str, Any] = {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": _REF.format(model=model)}}},
                }
                if status in _HEADERS:
                    entry["headers"] = _HEADERS[status]
                responses[str(status)] = entry
    return schema


def install_error_docs(app: FastAPI) -> None:
    """Make ``app.openapi()`` document every route's error answers (FastAPI builds the
    schema on first use, and again if routes are added)."""
    generate = app.openapi
    documented: list[int] = []

    def openapi() -> dict[str, Any]:
        schema = generate()
        if id(schema) not in documented:
            documented[:] = [id(document_errors(app, schema))]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
