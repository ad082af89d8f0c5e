"""One router per resource; ``ROUTERS`` is the order the app includes them in."""

from fastapi import APIRouter

from web.routes import (
    admin,
    charts,
    chat,
    conversations,
    documents,
    drafts,
    feedback,
    health,
    index,
    initiatives,
    metrics,
    openai_compat,
    search,
    sso,
    ui,
    verified,
)

ROUTERS: list[APIRouter] = [
    health.router,
    chat.router,
    conversations.router,
    feedback.router,
    verified.router,
    search.router,
    documents.router,
    index.router,
    charts.router,
    initiatives.router,
    drafts.router,
    admin.router,
    metrics.router,
    openai_compat.router,
    sso.router,
    ui.router,  # last: serves the browser UI at /
]
