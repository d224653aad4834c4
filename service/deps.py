"""Typed access to the service state from request handlers (FastAPI dependencies)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.state import ServiceState


def get_state(request: Request) -> ServiceState:
    """The state the lifespan put on the app."""
    state: ServiceState = request.app.state.kg
    return state


StateDep = Annotated[ServiceState, Depends(get_state)]


def base_url(request: Request) -> str:
    """The service's own base URL as the client reached it (no trailing slash)."""
    return str(request.base_url).rstrip("/")
