from __future__ import annotations

from datetime import datetime

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ChangeOut(Schema):
    """One line of a record's history (a talent's or an enterprise's): who, when, how, field, before/after."""

    at: datetime
    actor: str | None
    via: str
    field: str
    before: str
    after: str

    @staticmethod
    def resolve_actor(obj: object) -> str | None:
        actor = getattr(obj, "actor", None)
        return actor.username if actor else None
