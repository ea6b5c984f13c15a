"""Typed dependencies handed to routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from coach.services import Services
from retrieval.search import Retriever


def get_services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def get_retriever(request: Request) -> Retriever:
    return request.app.state.retriever  # type: ignore[no-any-return]


ServicesDep = Annotated[Services, Depends(get_services)]
RetrieverDep = Annotated[Retriever, Depends(get_retriever)]
