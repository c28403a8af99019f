"""The OpenAPI document the app serves at /openapi.json; schemathesis tests the app against it."""

from __future__ import annotations

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
}
VALIDATE_ERROR = {
    "type": "object",
    "required": ["error", "message", "canInterview"],
    "properties": {**ERROR["properties"], "canInterview": {"type": "boolean", "enum": [False]}},
}
RESUME = {
    "type": "object",
    "required": ["id", "status"],
    "properties": {
        "id": {"type": "integer"},
        "status": {"type": "string", "enum": ["uploaded", "parsed", "failed"]},
        "candidateName": {"type": ["string", "null"]},
        "language": {"type": ["string", "null"]},
        "skills": {"type": "array", "items": {"type": "string"}},
        "roles": {"type": "array", "items": {"type": "string"}},
        "yearsExperience": {"type": ["number", "null"]},
        "failureReason": {"type": ["string", "null"]},
    },
}
MAX_ID = 2**31 - 1
RESUME_ID = {
    "name": "resumeId", "in": "path", "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    "description": "Resume id; anything but an integer from 1 to 2147483647 is answered with 400.",
}
INVITE_SECURITY = [{"invite": []}, {"upstream": []}, {}]


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int, schema: dict = ERROR) -> dict:
    names = {400: "Malformed input", 401: "Missing or invalid credentials", 403: "Not allowed",
             404: "Not found", 409: "State forbids it", 422: "Stored as failed", 429: "Rate limited",
             503: "At capacity, or a dependency (database, rate-limit store) is down", 500: "Internal error"}
    return {str(code): _json(schema, names[code]) for code in codes}


def openapi_document() -> dict:
    """The API's OpenAPI 3.1 description."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "hrlab interview API", "version": "1"},
        "components": {
            "securitySchemes": {
                "invite": {"type": "http", "scheme": "bearer", "description": "Invite token from `hrlab invite`"},
                "upstream": {"type": "apiKey", "in": "header", "name": "X-Hrlab-Upstream-Secret"},
                "admin": {"type": "apiKey", "in": "header", "name": "X-Hrlab-Admin-Key"},
            }
        },
        "paths": {**_interview_paths(), **_admin_paths(), **_meta_paths()},
    }


def _interview_paths() -> dict:
    ok_validate = {"type": "object", "required": ["canInterview", "message"],
                   "properties": {"canInterview": {"type": "boolean"}, "message": {"type": "string"}}}
    token = {"type": "object", "required": ["token", "roomName", "serverUrl"],
             "properties": {"token": {"type": "string"}, "roomName": {"type": "string"},
                            "serverUrl": {"type": "string"}}}
    return {
        "/api/resume/{resumeId}/validate-interview": {"get": {
            "summary": "Can this resume be interviewed now?", "parameters": [RESUME_ID],
            "security": INVITE_SECURITY,
            "responses": {"200": _json(ok_validate, "Ready"),
                          **_errors(400, 401, 403, 404, 409, 429, 503, 500, schema=VALIDATE_ERROR)},
        }},
        "/api/interview/{resumeId}/token": {"post": {
            "summary": "Open or reuse the interview session and mint a LiveKit token",
            "parameters": [RESUME_ID], "security": INVITE_SECURITY,
            "responses": {"200": _json(token, "Token for the session's room"),
                          **_errors(400, 401, 403, 404, 409, 429, 503, 500)},
        }},
    }


def _admin_paths() -> dict:
    security = [{"admin": []}]
    upload = {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}}}}}}
    listing = {"type": "object", "required": ["resumes"], "properties": {"resumes": {"type": "array", "items": RESUME}}}
    invite = {"type": "object", "required": ["resumeId", "invite", "expiresInHours", "path"],
              "properties": {"resumeId": {"type": "integer"}, "invite": {"type": "string"},
                             "expiresInHours": {"type": "integer"}, "path": {"type": "string"}}}
    page = [{"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
            {"name": "offset", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}}]
    return {
        "/api/admin/resumes": {
            "post": {"summary": "Import a resume file (txt, md, json, pdf)", "security": security,
                     "requestBody": upload,
                     "responses": {"201": _json(RESUME, "Parsed and stored"), **_errors(400, 401, 403, 422, 503, 500)}},
            "get": {"summary": "List resumes", "security": security, "parameters": page,
                    "responses": {"200": _json(listing, "Resumes"), **_errors(400, 401, 403, 503, 500)}},
        },
        "/api/admin/resumes/{resumeId}": {"get": {
            "summary": "One resume with its sessions", "security": security, "parameters": [RESUME_ID],
            "responses": {"200": _json(RESUME, "Resume"), **_errors(400, 401, 403, 404, 503, 500)}}},
        "/api/admin/resumes/{resumeId}/invite": {"post": {
            "summary": "Issue a signed invite link", "security": security, "parameters": [RESUME_ID],
            "responses": {"200": _json(invite, "Invite"), **_errors(400, 401, 403, 404, 503, 500)}}},
    }


def _meta_paths() -> dict:
    health = {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}}
    return {
        "/healthz": {"get": {"summary": "Liveness and database check",
                             "responses": {"200": _json(health, "Healthy"), **_errors(500), "503": _json(ERROR, "Database unreachable, hung or unmigrated, or rate-limit store down")}}},
        "/metrics": {"get": {"summary": "Prometheus metrics",
                             "responses": {"200": {"description": "Text exposition",
                                                   "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
    }
