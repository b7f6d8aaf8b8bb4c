"""Talent services (writes): the archive's edits (``archive``), personal-data requests (``personal_data``) and
bulk moves in and out (``transfers``). Their public names are importable from here."""

from .archive import (
    SELF_FIELDS,
    STAFF_FIELDS,
    SelfUpdateResult,
    education_add,
    fact_review,
    family_add,
    qualification_add,
    talent_self_update,
    talent_update,
)
from .personal_data import (
    ANONYMISED_NAME,
    rights_request_complete,
    rights_request_create,
    rights_request_refuse,
    talent_anonymise,
    talent_data_copy,
)
from .transfers import EXPORT_FILTER_KEYS, talent_export_start, talent_import_start

__all__ = [
    "ANONYMISED_NAME",
    "EXPORT_FILTER_KEYS",
    "SELF_FIELDS",
    "STAFF_FIELDS",
    "SelfUpdateResult",
    "education_add",
    "fact_review",
    "family_add",
    "qualification_add",
    "rights_request_complete",
    "rights_request_create",
    "rights_request_refuse",
    "talent_anonymise",
    "talent_data_copy",
    "talent_export_start",
    "talent_import_start",
    "talent_self_update",
    "talent_update",
]
