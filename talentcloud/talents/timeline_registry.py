"""The talent's timeline (一人一档): one time-ordered story of the person, assembled from what each app tells.

The mechanism is the talents app's; the entries are each app's own. An app declares them in its
``timeline.py`` as ``TIMELINE_ENTRIES = [TimelineEntry(...)]``: which table (``model``), how a row links to
the talent (``talent``, a lookup), the date the story is ordered by (``at``), the kind, the text values the
line shows (``columns``) and how a row becomes the line (``item``, optionally a ``heading`` and a ``url``).
Nothing here names an app above talents.

Every declaration becomes one branch of a single UNION ALL statement, ordered and cut in the database. The
statement is built with the ORM once per database and language and kept: building and compiling a union of
querysets costs several times what the database takes to answer it, on the page staff open most. Each
request then only puts the talent's id where the declarations filter on it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import CharField, Expression, F, Q, TextField, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.translation import get_language

from talentcloud.common.registries import Declarations, forgotten_with_apps

from .models import Talent

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

    from talentcloud.accounts.models import User


@dataclass(frozen=True)
class Entry:
    """A line of the timeline as the pages show it (a fact's line is its ``FactRecord``)."""

    pk: str
    who: str = ""  # who made the change; the cadre of a contact
    field: str = ""  # a change: which field, before and after
    before: str = ""
    after: str = ""
    day: str = ""  # the day a contact happened
    label: str = ""  # the kind of a contact or a request; what a contributed line says after its title
    title: str = ""  # a need; a contributed line's title (linked when the entry has a url)
    status: str = ""
    department: str = ""  # the department in charge of a need
    overdue: bool = False


@dataclass(frozen=True)
class Event:
    at: Any
    kind: str  # change, fact, contact, need, rights, case, … (each declaration's ``kind``)
    item: Any  # an Entry, or the FactRecord of a fact
    heading: Any = ""  # what a contributed line starts with ("Case")
    url: str = ""  # where its title links, for this viewer ("": not linked)


@dataclass(frozen=True)
class TimelineRow:
    """One row of a declaration's branch: its primary key as text and its ``columns`` as text."""

    pk: str
    values: Mapping[str, str]

    def __getitem__(self, name: str) -> str:
        return self.values[name]


Columns = Mapping[str, "str | Combinable"]


@dataclass(frozen=True)
class TimelineEntry:
    """What an app contributes to the talent's timeline: one kind of line, read from one table."""

    kind: str  # distinct across apps: the pages tell the lines apart by it
    model: str  # "app_label.ModelName": the table the lines come from
    at: str  # the date-time field the story is ordered by
    # The text values the line is made from, by name: a field path (a field that is not text is cast), or an
    # ORM expression giving text. A NULL reads "". A callable is read once per language (names in it).
    columns: Columns | Callable[[], Columns]
    item: Callable[[TimelineRow], Any]  # the row as the line shows it (an ``Entry``)
    talent: str = "talent"  # the lookup from a row to the talent's id ("talent", "object_id")
    where: Q | None = None  # which rows of the table tell the story (e.g. submitted cases only)
    heading: StrOrPromise = ""  # what the line starts with, translated
    url: Callable[[Any], str] | None = None  # the item's page
    url_for: Literal["everyone", "talent"] = "everyone"  # "talent": linked for the person themself only
    # Linked only for a viewer holding this permission: the item's page checks it, so a viewer without it
    # (a liaison cadre on a certification) reads the line with no link rather than a link to a refusal.
    url_perm: str = ""


TIMELINE: Declarations[TimelineEntry] = Declarations("timeline", "TIMELINE_ENTRIES")


def person(path: str) -> Expression:
    """A user's name as the timeline shows it: the display name, else the username."""
    return Coalesce(NullIf(F(f"{path}__display_name"), Value("")), F(f"{path}__username"), Value(""))


def in_language(path: str) -> Expression:
    """A name in the active language: ``<path>__name_en`` in English when filled, else ``<path>__name``."""
    english = (get_language() or "").startswith("en")
    name = f"{path}__name_en" if english else f"{path}__name"
    return Coalesce(NullIf(F(name), Value("")), F(f"{path}__name"), Value(""))


# The value every branch is compiled with where the talent's id goes: found among the parameters and replaced
# by the talent's id in the same form (a UUID, its hex as SQLite keeps it, or its text in a text column).
_TALENT = uuid.UUID("7a1e0000-7a1e-4000-8000-00000000feed")
_FORMS: dict[Any, Callable[[uuid.UUID], Any]] = {
    _TALENT: lambda pk: pk,
    _TALENT.hex: lambda pk: pk.hex,
    str(_TALENT): str,
}


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple[Any, ...]
    talent_at: tuple[tuple[int, Callable[[uuid.UUID], Any]], ...]  # (parameter position, form)
    entries: tuple[TimelineEntry, ...]
    names: tuple[tuple[str, ...], ...]  # each entry's column names, in the order of the text columns


def _columns(entry: TimelineEntry) -> Columns:
    return entry.columns() if callable(entry.columns) else entry.columns


def _text(model: Any, value: str | Combinable) -> Combinable:
    """A column as text: a text field as it is (a NULL reads ""), anything else cast."""
    if not isinstance(value, str):
        return value
    field: Any = None
    for name in value.split("__"):
        field = model._meta.get_field(name)
        model = field.related_model
    if isinstance(field, CharField | TextField):
        return F(value)
    return Cast(F(value), TextField())


@forgotten_with_apps
@cache
def _statement(alias: str, language: str) -> _Statement:
    """The UNION ALL of every declared entry, for the database ``alias`` and the active ``language``."""
    entries = tuple(TIMELINE.items())
    kinds = [entry.kind for entry in entries]
    if len(set(kinds)) != len(kinds) or "fact" in kinds:
        raise ImproperlyConfigured(f"timeline.TIMELINE_ENTRIES: a kind declared twice in {kinds}")
    declared = [dict(_columns(entry)) for entry in entries]
    width = max((len(columns) for columns in declared), default=0)
    branches: list[str] = []
    params: list[Any] = []
    talent_at: list[tuple[int, Callable[[uuid.UUID], Any]]] = []
    for index, (entry, columns) in enumerate(zip(entries, declared, strict=True)):
        model = apps.get_model(entry.model)
        selected: dict[str, Any] = {
            "tl_at": F(entry.at),
            "tl_kind": Value(index),
            "tl_pk": Cast("pk", TextField()),
        }
        texts = [_text(model, value) for value in columns.values()]
        for slot in range(width):
            selected[f"tl_{slot}"] = texts[slot] if slot < len(texts) else Value("", TextField())
        qs = model._base_manager.filter(**{entry.talent: _TALENT})
        if entry.where is not None:
            qs = qs.filter(entry.where)
        qs = qs.annotate(**selected).values(*selected).order_by()
        sql, branch_params = qs.query.get_compiler(using=alias).as_sql()
        found = [
            (len(params) + position, _FORMS[param])
            for position, param in enumerate(branch_params)
            if isinstance(param, uuid.UUID | str) and param in _FORMS
        ]
        if not found:
            raise ImproperlyConfigured(
                f"timeline entry {entry.kind!r}: {entry.talent!r} does not name the talent"
            )
        branches.append(sql)
        params.extend(branch_params)
        talent_at.extend(found)
    if not branches:
        return _Statement("", (), (), (), ())
    return _Statement(
        " UNION ALL ".join(branches) + " ORDER BY 1 DESC LIMIT %s",
        tuple(params),
        tuple(talent_at),
        entries,
        tuple(tuple(columns) for columns in declared),
    )


def timeline_entries(
    talent: Talent, *, viewer: User | AnonymousUser | None = None, limit: int = 200
) -> list[Event]:
    """Every app's lines about the talent, newest first, at most ``limit``: one statement."""
    statement = _statement(connection.alias, get_language() or "")
    if not statement.sql:
        return []
    params = list(statement.params)
    for position, form in statement.talent_at:
        params[position] = form(talent.pk)
    params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        rows = cursor.fetchall()
    # SQLite hands back the time as text (a union has no declared type): read it as its field would.
    read_time = getattr(connection.ops, "convert_datetimefield_value", None)
    own = viewer is not None and talent.account_id is not None and talent.account_id == viewer.pk
    held = viewer.permission_codes() if viewer is not None and viewer.is_authenticated else frozenset()
    events = []
    for at, index, pk, *texts in rows:
        entry = statement.entries[index]
        names = statement.names[index]  # the texts past a branch's own columns are its padding
        values = {name: "" if text is None else text for name, text in zip(names, texts, strict=False)}
        item = entry.item(TimelineRow(pk, values))
        linked = (entry.url_for == "everyone" or own) and (not entry.url_perm or entry.url_perm in held)
        url = entry.url(item) if entry.url and linked else ""
        when = read_time(at, None, connection) if read_time else at
        events.append(Event(when, entry.kind, item, entry.heading, url))
    return events
