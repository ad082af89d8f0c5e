"""Router for initiatives: suggest portfolio categories, and store accepted classifications.

``POST /api/initiatives/classify`` returns ``Classification.to_dict()``;
``POST /api/initiatives/accept`` validates and stores an accepted (or corrected) classification,
which counts as a rated initiative from then on (the cached classifier is dropped);
``POST /api/initiatives/classify-batch`` classifies up to ``MAX_BATCH`` initiatives at once.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from assistant.classify import validate_correction
from assistant.errors import InvalidInputError
from web.deps import ServicesDep

router = APIRouter(prefix="/api/initiatives", tags=["initiativ"])

#: The most initiatives in one batch request.
MAX_BATCH = 200


class ClassifyRequest(BaseModel):
    """A new initiative to classify."""

    title: str = Field(default="", description="Initiativets titel.")
    description: str = Field(default="", description="Vad som ska göras, för vem och varför.")


class AcceptRequest(BaseModel):
    """An accepted or corrected classification (checked in ``validate_correction``)."""

    title: Any = None
    description: Any = None
    objekt: Any = None
    innovation_effektivitet: Any = None
    operativt_strategiskt: Any = None
    extern_intern: Any = None
    suggested: dict[str, Any] | None = Field(
        default=None, description="Förslaget som visades (sparas för uppföljning)."
    )


class BatchRequest(BaseModel):
    """Several initiatives to classify."""

    initiatives: list[ClassifyRequest]


@router.post("/classify")
async def classify(body: ClassifyRequest, services: ServicesDep) -> dict[str, Any]:
    """Suggest the three axis values and the objekt, with reasons and similar initiatives."""

    def run() -> dict[str, Any]:
        return services.classifier.classify(body.title, body.description).to_dict()

    return await run_in_threadpool(run)


@router.post("/classify-batch")
async def classify_batch(body: BatchRequest, services: ServicesDep) -> dict[str, Any]:
    """Classify several initiatives; the whole request fails if one of them is invalid."""
    if not body.initiatives:
        raise InvalidInputError("Listan med initiativ är tom.", field="initiatives")
    if len(body.initiatives) > MAX_BATCH:
        raise InvalidInputError(
            f"För många initiativ ({len(body.initiatives)}, högst {MAX_BATCH}).",
            field="initiatives",
            limit=MAX_BATCH,
        )

    def run() -> dict[str, Any]:
        clf = services.classifier
        results = []
        for i, item in enumerate(body.initiatives):
            try:
                results.append(clf.classify(item.title, item.description).to_dict())
            except InvalidInputError as exc:
                field = f"initiatives.{i}.{exc.data.get('field', '')}"
                raise InvalidInputError(
                    f"Initiativ {i + 1}: {exc.message}", field=field, index=i
                ) from None
        return {"results": results}

    return await run_in_threadpool(run)


@router.post("/accept")
async def accept(body: AcceptRequest, request: Request, services: ServicesDep) -> dict[str, Any]:
    """Store an accepted or corrected classification; it trains the classifier from now on."""
    record = validate_correction(body.model_dump(), services.dataset.objekt)
    key_id = getattr(request.state, "key_id", None)

    def run() -> int:
        new_id = services.storage.add_classification(record, key_id=key_id)
        services.storage.audit(
            "classification_accepted",
            {"id": new_id, "title": record["title"], "objekt": record["objekt"]},
            key_id=key_id,
        )
        services.reset_classifier()
        return new_id

    new_id = await run_in_threadpool(run)
    return {"id": new_id, "status": "saved"}
