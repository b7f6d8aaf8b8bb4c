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


class PermissionDenied(DomainError):
    code = "forbidden"
    http_status = 403
    default_message = _("You do not have permission to do this.")


class Conflict(DomainError):
    code = "conflict"
    http_status = 409
    default_message = _("Someone else changed this record first. Reload and try again.")
