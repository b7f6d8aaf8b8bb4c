"""What the policies app removes when a talent's archive is anonymised (``talents.talent_anonymise``): the
coded columns a sweep kept (``KeptColumn``, ADR 0041) hold every talent's facts as the sweep read them —
their birth date among them — until the next sweep replaces them. They are dropped, and the next sweep reads
everyone again."""

from __future__ import annotations

from talentcloud.talents.models import Talent
from talentcloud.talents.services.personal_data import AnonymiseHook

from .models import KeptColumn


def _forget(_talent: Talent) -> None:
    KeptColumn.objects.filter(target="talent").delete()


TALENT_ANONYMISE_HOOKS = [AnonymiseHook("policies.kept_columns", _forget)]
