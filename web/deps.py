"""FastAPI dependencies: the assembled services, typed with ``Annotated``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

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


ServicesDep = Annotated[Services, Depends(get_services)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
