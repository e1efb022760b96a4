"""One exception hierarchy; each class carries its HTTP status and context.

The API maps every GraphServiceError to one error body shape
(``{"error": {"code", "message", "details"}}``) in one handler.
"""
from __future__ import annotations

from typing import Any


class GraphServiceError(Exception):
    status = 500
    code = "internal_error"

    def __init__(self, message: str, **details: Any):
        super().__init__(message)
        self.message = message
        self.details = details


class SchemaError(GraphServiceError):
    """A record breaks the schema: names the record, the field and the reason."""

    status = 422
    code = "schema_violation"

    def __init__(self, record: str, field: str, reason: str):
        super().__init__(f"{record}: field {field!r}: {reason}", record=record, field=field, reason=reason)
        self.record, self.field, self.reason = record, field, reason


class NotFound(GraphServiceError):
    status = 404
    code = "not_found"


class BadRequest(GraphServiceError):
    status = 400
    code = "bad_request"


class Unauthorised(GraphServiceError):
    status = 401
    code = "unauthorised"


class Forbidden(GraphServiceError):
    status = 403
    code = "forbidden"


class PayloadTooLarge(GraphServiceError):
    status = 413
    code = "payload_too_large"


class StoreUnavailable(GraphServiceError):
    """The database cannot be reached; callers may retry."""

    status = 503
    code = "store_unavailable"


class StoreCorrupt(GraphServiceError):
    """A store file fails its checks; the store is not opened, so nothing more can be lost."""

    status = 503
    code = "store_corrupt"


class StoreWriteError(GraphServiceError):
    """A batch could not be made durable (disk full, permissions); nothing was applied."""

    status = 507
    code = "store_write_failed"


class UnreadableInput(GraphServiceError):
    """A whole file could not be read; nothing from it was stored."""

    status = 422
    code = "unreadable_input"


class Conflict(GraphServiceError):
    """The thing to create exists already."""

    status = 409
    code = "conflict"


class PreconditionFailed(GraphServiceError):
    """The fact changed since the caller read it (its version, the ETag, no longer matches)."""

    status = 412
    code = "version_mismatch"


class PreconditionRequired(GraphServiceError):
    """A change to a stored fact must say which version it replaces (If-Match), so no edit is silently lost."""

    status = 428
    code = "version_required"
