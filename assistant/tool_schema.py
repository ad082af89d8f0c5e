"""Typed tool definitions: an annotated method signature becomes a pydantic model and a schema.

A tool is one method decorated with :func:`tool` (a Swedish description); its parameters are
typed with ``Annotated`` (a :class:`pydantic.Field` for the description and bounds). Closed
vocabularies are marked with :class:`OneOf`, whose values are read when the registry is built
(from the engine, the drafts or the dataset's configured objekt), never copied here. A
parameter typed with a :class:`Flattened` model (the axis ranges) contributes its fields at the
top level and is handed to the method as one object.

From that one definition :func:`args_model` builds the pydantic model that validates a call and
:func:`json_schema` the JSON schema every face publishes (the OpenAI tool list, the MCP server,
the LangChain tools). Validation errors become Swedish messages naming the field
(:func:`swedish_errors`).
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, create_model
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

F = TypeVar("F", bound=Callable[..., Any])

#: Attribute set on a method by :func:`tool`.
TOOL_ATTR = "__digirapport_tool__"


def tool(description: str) -> Callable[[F], F]:
    """Mark a registry method as a tool with a Swedish description (for the model and clients)."""

    def mark(fn: F) -> F:
        setattr(fn, TOOL_ATTR, description)
        return fn

    return mark


@dataclass(frozen=True)
class OneOf:
    """Marker: the value is one of a closed vocabulary.

    Attributes:
        values: Returns the vocabulary for a registry (called when the registry is built).
        normalise: Maps a loose spelling to its canonical value (e.g. an objekt's case), or
            returns it unchanged.
    """

    values: Callable[[Any], Sequence[str]]
    normalise: Callable[[Any, str], str] | None = None


class Flattened(BaseModel):
    """A group of parameters published at the top level and passed to the tool as one object."""

    model_config = ConfigDict(extra="forbid")


class ArgsBase(BaseModel):
    """Base of every tool's argument model: no unknown fields in the published schema."""

    model_config = ConfigDict(extra="forbid")


class ToolSchema(GenerateJsonSchema):
    """Plain JSON schema for tool arguments: optional means "may be left out", no titles."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        """``X | None`` is published as ``X`` (leave the field out instead of sending null)."""
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        """A ``None`` default is not shown (the description says what leaving it out means)."""
        out = super().default_schema(schema)
        if out.get("default", ...) is None:
            out.pop("default")
        return out

    def literal_schema(self, schema: core_schema.LiteralSchema) -> JsonSchemaValue:
        """A vocabulary is always an ``enum`` (pydantic makes one value a ``const``)."""
        out = super().literal_schema(schema)
        if "const" in out:
            out["enum"] = [out.pop("const")]
        return out

    def field_title_should_be_set(self, schema: Any) -> bool:
        """No per-field titles: the name and description say it."""
        return False


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema of a tool's argument model (an ``object`` with ``properties``)."""
    schema = model.model_json_schema(schema_generator=ToolSchema)
    schema.pop("title", None)
    schema.setdefault("properties", {})
    schema.setdefault("required", [])
    return schema


def _resolve(annotation: Any, owner: Any) -> Any:
    """``annotation`` with each :class:`OneOf` marker replaced by a ``Literal`` of its values."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *meta = get_args(annotation)
        marker = next((m for m in meta if isinstance(m, OneOf)), None)
        rest = [m for m in meta if not isinstance(m, OneOf)]
        if marker is None:
            return Annotated[(_resolve(base, owner), *rest)] if rest else _resolve(base, owner)
        values = tuple(marker.values(owner))
        resolved: Any = Literal[values]
        if marker.normalise is not None:
            norm = marker.normalise

            def canonical(value: Any) -> Any:
                return norm(owner, value) if isinstance(value, str) else value

            rest.insert(0, BeforeValidator(canonical))
        return Annotated[(resolved, *rest)] if rest else resolved
    if origin in (Union, types.UnionType):
        # ``Annotated[X, ...] | None``: the metadata (description, validators) moves outside the
        # union so it applies to the field, and errors name the field, not a union member.
        bases: list[Any] = []
        hoisted: list[Any] = []
        for member in get_args(annotation):
            member = _resolve(member, owner)
            if get_origin(member) is Annotated:
                inner, *meta = get_args(member)
                bases.append(inner)
                hoisted += meta
            else:
                bases.append(member)
        union: Any = Union[tuple(bases)]  # noqa: UP007
        return Annotated[(union, *hoisted)] if hoisted else union
    if origin in (list, tuple) and get_args(annotation):
        return origin[tuple(_resolve(a, owner) for a in get_args(annotation))]
    return annotation


def _flattened(annotation: Any) -> type[Flattened] | None:
    if inspect.isclass(annotation) and issubclass(annotation, Flattened):
        return annotation
    return None


def args_model(fn: Callable[..., Any], name: str, owner: Any) -> type[ArgsBase]:
    """The pydantic model of a tool's arguments, from the method's annotated signature.

    Args:
        fn: The (bound or unbound) tool method.
        name: The tool's name (the model is named after it).
        owner: Passed to :class:`OneOf` value sources (the registry).
    """
    hints = typing.get_type_hints(fn, include_extras=True)
    fields: dict[str, Any] = {}
    for pname, param in inspect.signature(fn).parameters.items():
        if pname == "self" or param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL):
            continue
        annotation = hints.get(pname, Any)
        group = _flattened(annotation)
        if group is not None:
            for fname, info in group.model_fields.items():
                fields[fname] = (_resolve(info.annotation, owner), info)
            continue
        default = ... if param.default is inspect.Parameter.empty else param.default
        fields[pname] = (_resolve(annotation, owner), default)
    model: type[ArgsBase] = create_model(name, __base__=ArgsBase, **fields)
    return model


def call_kwargs(fn: Callable[..., Any], args: BaseModel) -> dict[str, Any]:
    """The keyword arguments for ``fn`` from validated ``args`` (flattened groups rebuilt)."""
    hints = typing.get_type_hints(fn, include_extras=True)
    given = args.model_dump(exclude_none=True, exclude_unset=False)
    kwargs: dict[str, Any] = {}
    for pname in inspect.signature(fn).parameters:
        group = _flattened(hints.get(pname))
        if group is not None:
            kwargs[pname] = group(**{k: given[k] for k in group.model_fields if k in given})
        elif pname in given:
            kwargs[pname] = given[pname]
    return kwargs


def _where(loc: Sequence[Any]) -> str:
    return ".".join(str(p) for p in loc) or "argumenten"


def swedish_error(err: Any) -> str:
    """One pydantic error as a Swedish sentence naming the field."""
    field = _where(err.get("loc", ()))
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "literal_error":
        allowed = str(ctx.get("expected", "")).replace(" or ", ", ")
        return f"{field} måste vara en av: {allowed} (fick {err.get('input')!r})."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{field} måste vara ett heltal, inte {err.get('input')!r}."
    if kind in ("greater_than_equal", "greater_than"):
        return f"{field} måste vara minst {ctx.get('ge', ctx.get('gt'))}."
    if kind in ("less_than_equal", "less_than"):
        return f"{field} får vara högst {ctx.get('le', ctx.get('lt'))}."
    if kind == "missing":
        return f"{field} saknas (obligatoriskt)."
    if kind in ("string_type", "string_too_short"):
        return f"{field} måste vara text."
    if kind in ("list_type",):
        return f"{field} måste vara en lista."
    if kind == "extra_forbidden":
        return f"{field} är inget känt argument."
    return f"{field} har ett ogiltigt värde ({err.get('msg', kind)})."


def swedish_errors(exc: ValidationError) -> tuple[str, list[str]]:
    """The Swedish message for a failed validation and the fields it names."""
    errors = exc.errors()
    fields = [_where(e.get("loc", ())) for e in errors]
    return " ".join(swedish_error(e) for e in errors), fields
