"""The OpenAPI schema tells the whole truth about the answers (issue #15 item 9): every operation lists the
4xx it can give — bad input 400, not signed in 401, no permission 403, not found or a tampered cursor 404,
a wrong media type 415 — and every write the version answers (428 without a version, 409 when stale).
Listed once here for every route (``POSTPROCESSING_HOOKS`` in settings), so a new endpoint is documented
like the others; a view may still describe its own with ``extend_schema(responses=...)``."""

from __future__ import annotations

from typing import Any

PROBLEM = "Problem"
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "What went wrong: ``detail`` for the request as a whole, or field name → messages.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ALWAYS = {
    "400": "Bad input: the fields or query parameters at fault, with a message each.",
    "401": "Not signed in, or an unknown or expired token.",
    "403": "Your role or organization does not allow this.",
    "404": "No such object (or not visible to you), or a tampered page cursor.",
    "405": "This method is not offered here.",
    "406": "Only JSON answers are offered.",
}
WRITES = {
    "409": "Changed meanwhile: the version you sent is not the current one. GET it again and repeat.",
    "413": "The request body is too large.",
    "415": "Send JSON (or multipart/form-data where files are accepted).",
    "428": "Send the version you read: 'version' in the body or an If-Match header (the ETag).",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}
# Request bodies are documented as JSON: a form encoding cannot say null, a list or a nested object, so
# the form variants drf-spectacular lists would describe inputs the API must refuse. (The API still reads
# multipart for attachments — see tickets/message_files.py — which is described in prose there.)
JSON = "application/json"


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: add the shared error answers to every operation, and say that a
    change names the version it is based on."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(PROBLEM, PROBLEM_SCHEMA)
    ref = {"$ref": f"#/components/schemas/{PROBLEM}"}
    for url, path in result.get("paths", {}).items():
        for method, operation in path.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            content = operation.get("requestBody", {}).get("content", {})
            if JSON in content:
                for media_type in [m for m in content if m != JSON]:
                    del content[media_type]
            _version_required(url, method, operation, schemas)
            _empty_filters_allowed(operation)
            answers = {**ALWAYS, **(WRITES if method in WRITE_METHODS else {})}
            for code, text in answers.items():
                operation["responses"].setdefault(
                    code, {"description": text, "content": {"application/json": {"schema": ref}}}
                )
    return result


def _version_required(path: str, method: str, operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """A change names the version it is based on (or sends If-Match): documented as a required positive
    integer on every write whose body has ``version`` — except creating a policy or calendar, where there
    is no version yet. (A requester's own reply needs none; said in the field's description.)"""
    content = operation.get("requestBody", {}).get("content", {}).get(JSON)
    if method not in WRITE_METHODS or not content or (method == "post" and path in CREATE_WITHOUT_VERSION):
        return
    ref = content["schema"].get("$ref", "")
    component = schemas.get(ref.rsplit("/", 1)[-1], {})
    version = component.get("properties", {}).get("version")
    if version is None or version.get("readOnly"):
        return
    version.pop("nullable", None)
    version.update(minimum=1, description=VERSION_TEXT)
    content["schema"] = {"allOf": [{"$ref": ref}, {"required": ["version"]}]}


CREATE_WITHOUT_VERSION = {"/api/sla-policies/", "/api/sla-calendars/"}
VERSION_TEXT = (
    "The version you read (GET answers it, and its ETag). Staff writes without it (or an If-Match "
    "header) answer 428, with an older one 409. A requester's own reply needs none."
)


def _empty_filters_allowed(operation: dict[str, Any]) -> None:
    """A choice filter sent empty (``?status=``) means "any", as on the screens: say so in its enum."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter.get("in") == "query" and "enum" in schema and "" not in schema["enum"]:
            schema["enum"] = [*schema["enum"], ""]
