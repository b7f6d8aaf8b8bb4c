"""Domain errors. Services raise these; the API and the pages map them to 4xx answers.

Each error carries a stable machine code, a message in the user's language and, where the
error belongs to input fields, a message per field.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Message = str | Promise


class DomainError(Exception):
    code = "error"
    http_status = 400
    default_message: Message = _("The request could not be completed.")

    def __init__(self, message: Message | None = None, *, fields: dict[str, list[Message]] | None = None):
        self.message = message if message is not None else self.default_message
        self.fields = fields or {}
        super().__init__(str(self.message))

    def __str__(self) -> str:
        details = "; ".join(f"{name}: {' '.join(str(m) for m in msgs)}" for name, msgs in self.fields.items())
        return f"{self.message} ({details})" if details else str(self.message)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": str(self.message),
            "fields": {name: [str(m) for m in messages] for name, messages in self.fields.items()},
        }


class ValidationFailed(DomainError):
    code = "invalid"
    http_status = 422
    default_message = _("Some fields are not valid.")


class NotFound(DomainError):
    code = "not_found"
    http_status = 404
    default_message = _("Not found.")


class OutOfScope(NotFound):
    """The object exists but lies outside the viewer's scope. Answered exactly like ``NotFound`` (nothing
    tells the caller it exists); the denied-attempt recorder (``audit/denied.py``) logs it as a denial."""

    def __init__(self, *, object_type: str, object_id: object, message: Message | None = None):
        super().__init__(message)
        self.object_type = object_type
        self.object_id = str(object_id)


class PermissionDenied(DomainError):
    code = "forbidden"
    http_status = 403
    default_message = _("You do not have permission to do this.")


class Conflict(DomainError):
    code = "conflict"
    http_status = 409
    default_message = _("Someone else changed this record first. Reload and try again.")


class StepUpRequired(PermissionDenied):
    """A call returning personal data in clear, without a fresh password or authenticator check."""

    code = "step_up_required"
    default_message = _(
        "Confirm it is you first: send your password (staff: the code from your authenticator app) to "
        "POST /api/v1/auth/step-up. The confirmation holds for 5 minutes."
    )


class RateLimited(DomainError):
    code = "rate_limited"
    http_status = 429
    default_message = _("Too many requests. Wait a while and try again.")


class LockedOut(DomainError):
    code = "locked_out"
    http_status = 429
    default_message = _(
        "Too many failed attempts: the account is locked for a while. "
        "Ask the security administrator to unlock it."
    )


class CopyRequestRequired(PermissionDenied):
    code = "copy_request_required"
    default_message = _(
        "A copy of a person's data is released only against their open request for a copy. "
        "Record the request first."
    )
