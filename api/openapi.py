"""The OpenAPI document, completed: every event type as a schema of its own (a union
discriminated by `type`, with field types, choices and descriptions), built from the fact
catalogue the case file parses with, and every error answer as the problem+json it is.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.problems import Problem
from domain import descriptions
from domain.schema import EventSpec, FieldSpec, recordable

EVENT_PATH = "/children/{child_id}/events"
ENVELOPE: dict[str, Any] = {
    "occurred_at": {"type": "string", "format": "date-time",
                    "description": "When it happened, with a UTC offset; by default now. An "
                                   "earlier time makes it a late entry; a later one is refused."},
    "reason": {"type": "string", "maxLength": 4000,
               "description": "Why, in a few words; required for a correction."},
    "expected_version": {"type": "integer", "minimum": 0,
                         "description": "The case's version you read; a newer one gets 409."},
}


def field_schema(event_type: str, spec: FieldSpec) -> dict[str, Any]:
    described = descriptions.field(event_type, spec.name)
    schema: dict[str, Any]
    if spec.kind in ("line", "text"):
        schema = {"type": "string", "minLength": 1, "maxLength": spec.max_length}
    elif spec.kind == "datetime":
        schema = {"type": "string", "format": "date-time"}
    elif spec.kind == "date":
        schema = {"type": "string", "format": "date"}
    elif spec.kind == "bool":
        schema = {"type": "boolean"}
    elif spec.kind == "int":
        schema = {"type": "integer", "minimum": 0}
    elif spec.kind == "choice":
        schema = {"type": "string", "enum": list(spec.choices)}
    elif spec.kind == "choices":
        schema = {"type": "array", "maxItems": spec.max_items,
                  "items": {"type": "string", "enum": list(spec.choices)}}
    elif spec.kind == "lines":
        schema = {"type": "array", "maxItems": spec.max_items,
                  "items": {"type": "string", "minLength": 1, "maxLength": spec.max_length}}
    else:  # a correction's fields: those of the entry it corrects
        schema = {"type": "object", "minProperties": 1, "additionalProperties": True}
    text = described.label + (f". {described.help}" if described.help else "")
    if spec.choices:
        text += " Choices: " + "; ".join(
            f"{value} ({descriptions.choice(spec.name, value)})" for value in spec.choices)
    if spec.may_lie_ahead:
        text += " May lie in the future."
    return {**schema, "title": described.label, "description": text}


def event_schema(spec: EventSpec) -> dict[str, Any]:
    described = descriptions.event(spec.event_type)
    properties = {"type": {"type": "string", "const": spec.event_type,
                           "enum": [spec.event_type]}}
    properties.update({f.name: field_schema(spec.event_type, f) for f in spec.fields})
    properties.update(ENVELOPE)
    required = ["type", *(f.name for f in spec.fields if f.required)]
    if spec.is_correction:
        required.append("reason")
    return {"type": "object", "title": described.label,
            "description": described.help or described.label, "properties": properties,
            "required": required, "additionalProperties": False}


def install(app: FastAPI) -> None:
    """Replace the app's OpenAPI document with the completed one (built once, cached)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = get_openapi(title=app.title, version=app.version,
                               description=app.description, routes=app.routes)
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        events = recordable()
        for spec in events:
            schemas[spec.event_type] = event_schema(spec)
        schemas["Event"] = {
            "title": "Event", "description": "One event, by its type.",
            "oneOf": [{"$ref": f"#/components/schemas/{s.event_type}"} for s in events],
            "discriminator": {"propertyName": "type", "mapping": {
                s.event_type: f"#/components/schemas/{s.event_type}" for s in events}}}
        body = document["paths"][EVENT_PATH]["post"]["requestBody"]
        body["content"]["application/json"]["schema"] = {"$ref": "#/components/schemas/Event"}
        _problems(document)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _problems(document: dict[str, Any]) -> None:
    """Every operation documents its refusals as application/problem+json (RFC 9457)."""
    schemas = document["components"]["schemas"]
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(Problem.model_json_schema(
        ref_template="#/components/schemas/{model}").pop("$defs", {}))
    schemas["Problem"].pop("$defs", None)
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    for path, operations in document["paths"].items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            codes = PROBLEM_CODES if not path.startswith("/health") else ("422",)
            for code in codes:
                responses[code] = {"description": PROBLEM_CODES[code], "content": {
                    "application/problem+json": {
                        "schema": {"$ref": "#/components/schemas/Problem"}}}}


PROBLEM_CODES = {
    "401": "Not signed in: no bearer token, or an unknown, expired or revoked one.",
    "403": "Not allowed for your role or municipality.",
    "404": "No such child or item that you may see.",
    "409": "Not possible in the child's current state, or the case changed meanwhile.",
    "422": "A field is missing or wrong; `errors` names each field and what is wrong.",
}
