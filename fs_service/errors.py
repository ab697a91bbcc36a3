"""The one error vocabulary: each error has an HTTP status, a stable ``error_id`` and per-field
details. The web door renders them as JSON for the API and as form messages for the UI."""
from __future__ import annotations

from typing import Mapping, Sequence


class PbxError(Exception):
    status = 400
    error_id = "bad_request"

    def __init__(self, message: str, details: Mapping[str, Sequence[str]] | None = None,
                 error_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = {k: list(v) for k, v in (details or {}).items()}
        if error_id:
            self.error_id = error_id

    def to_dict(self) -> dict:
        return {"message": self.message, "error_id": self.error_id, "details": self.details}


class ValidationFailed(PbxError):
    """A rule that needs the database (uniqueness, reserved numbers…) refused a field."""
    status = 400
    error_id = "validation_error"

    @classmethod
    def field(cls, name: str, message: str, error_id: str | None = None) -> "ValidationFailed":
        return cls(f"{name}: {message}", {name: [message]}, error_id=error_id)


class Unauthorized(PbxError):
    status = 401
    error_id = "unauthorized"


class Forbidden(PbxError):
    status = 403
    error_id = "forbidden"


class NotFound(PbxError):
    """Also used for other tenants' objects: existence is never revealed across accounts."""
    status = 404
    error_id = "not_found"


class Conflict(PbxError):
    status = 409
    error_id = "conflict"


class TooManyAttempts(PbxError):
    status = 429
    error_id = "too_many_attempts"
