"""FastAPI dependencies: the assembled services, typed with ``Annotated``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.access import LOCAL, Caller
from web.services import Services
from web.settings import Settings


def get_services(request: Request) -> Services:
    """The process-wide services built by the app's lifespan."""
    services: Services = request.app.state.services
    return services


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.services.settings
    return settings


def get_caller(request: Request) -> Caller:
    """Who is asking (set by ``web.auth.AuthMiddleware``; the local user when auth is off)."""
    caller: Caller | None = getattr(request.state, "caller", LOCAL)
    if caller is None:  # an open route with auth on: nobody in particular, cleared for nothing
        raise RuntimeError("Ingen inloggad användare för en route som kräver en.")
    return caller


ServicesDep = Annotated[Services, Depends(get_services)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CallerDep = Annotated[Caller, Depends(get_caller)]
