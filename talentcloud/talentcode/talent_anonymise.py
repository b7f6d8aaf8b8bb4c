"""What the talent code removes when a talent's archive is anonymised (``talents.talent_anonymise``): their
codes, the photo on them and every verification (``services.anonymise``)."""

from __future__ import annotations

from talentcloud.talents.services.personal_data import AnonymiseHook

from .services import anonymise

TALENT_ANONYMISE_HOOKS = [AnonymiseHook("talentcode", anonymise)]
