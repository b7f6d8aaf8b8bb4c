"""The scratch app's fact about a talent (``talentcloud.rules.facts``), computed from an existing field: the
length of the name (unknown when the name is blank), in Python and in SQL alike."""

from __future__ import annotations

from django.db.models import F, Value
from django.db.models.functions import Length, NullIf

from talentcloud.rules.facts import INT, Fact, compare_column

FACTS = [
    Fact(
        "scratch_name_length",
        "scratch: length of the name",
        INT,
        lambda talent, on: len(talent.name) if talent.name else None,
        lambda op, value, on: compare_column(Length(NullIf(F("name"), Value(""))), op, value),
        unit=" characters",
    ),
]
