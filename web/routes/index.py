"""Router for index (being built; see docs/architecture.md for its owner and contract)."""

from fastapi import APIRouter

router = APIRouter()
