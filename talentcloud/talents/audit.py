"""The audit actions (and object types) this app records, named for the audit log's reader."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext_lazy as _

from talentcloud.audit.registry import ObjectKind
from talentcloud.privacy.masking import mask_text

from .models import Talent, TalentProgramme

AUDIT_ACTIONS = {
    "talent.update": _("Updated a talent's archive"),
    "talent.self_update": _("Updated their own archive"),
    "talent.claim": _("Claimed an archive"),
    "talent.export": _("Exported talents"),
    "talent.import": _("Imported talents"),
    "talent.import_start": _("Started a talent import"),
    "talent.pdf": _("Printed an archive (PDF)"),
    "talent.education_add": _("Added an education record"),
    "talent.family_add": _("Added a family member"),
    "talent.contribution_add": _("Recorded months of social insurance"),
    "talent.family_view": _("Viewed family members"),
    "talent.qualification_add": _("Added a qualification"),
    "programme.add": _("Added a talent programme to the register"),
    "programme.change": _("Changed a talent programme of the register"),
    "talent.document_add": _("Added a document"),
    "talent.document_read": _("Opened a document"),
    "talent.document_remove": _("Removed a document"),
    "fact.accept": _("Accepted a fact from another department"),
    "facts.import": _("Imported department facts"),
    "consent.set": _("Recorded a consent"),
    "contact.log": _("Logged a contact"),
    "need.reply": _("Answered a need"),
    "pipl.request": _("Recorded a personal-data request"),
    "pipl.copy": _("Released a copy of personal data"),
    "pipl.complete": _("Completed a personal-data request"),
    "pipl.refuse": _("Refused a personal-data request"),
    "clash.merge": _("Merged duplicate records"),
    "clash.keep_apart": _("Kept records apart"),
}


def _talent_names(ids: list[str]) -> dict[str, str]:

    pks = [i for i in ids if _is_uuid(i)]
    return {str(t.pk): mask_text(t.name) for t in Talent.objects.filter(pk__in=pks).only("id", "name")}


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _programme_names(ids: list[str]) -> dict[str, str]:
    pks = [int(i) for i in ids if i.isdigit()]
    return {str(p.pk): p.name for p in TalentProgramme.objects.filter(pk__in=pks).only("id", "name")}


AUDIT_OBJECTS = {
    "talent": ObjectKind(_("Talent"), names=_talent_names, url_name="talents:detail", perm="talent.view"),
    "talent_programme": ObjectKind(_("Talent programme"), names=_programme_names),
}
