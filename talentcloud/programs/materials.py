"""The materials of an application (the hall's upload machinery: ``common.uploads``, the private storage,
SM3 of each file): the applicant uploads each material the call names, and in a blind call also an
anonymised version of it. Reviewers of a blind call receive only the anonymised versions, under a neutral
file name (``材料-<key>.pdf``), never the applicant's file name; the office checks the anonymised versions at
the formal check, before it can pass (ADR 0030)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentcloud.accounts.models import User
from talentcloud.accounts.permissions import require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.crypto import sm3_hex
from talentcloud.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentcloud.common.uploads import storage_name, upload_check

from .enums import ApplicationState
from .models import Application, Material, Seat
from .permissions import ProgPerm

EDITABLE = (ApplicationState.DRAFT, ApplicationState.RETURNED)
MAX_BYTES = 20 * 1024 * 1024


def named(application: Application) -> dict[str, str]:
    """The materials the call names, key → label."""
    return {str(m["key"]): str(m.get("label") or m["key"]) for m in application.call.materials or []}


def missing(application: Application) -> list[str]:
    """The labels of what the application still lacks: each named material, and in a blind call its
    anonymised version."""
    have = set(application.materials.values_list("key", "anonymised"))
    out = []
    for key, label in named(application).items():
        if (key, False) not in have:
            out.append(label)
        if application.call.blind and (key, True) not in have:
            out.append(_("%(label)s (anonymised)") % {"label": label})
    return out


def _personal_words(application: Application) -> list[str]:
    talent = application.talent
    words = [talent.name, application.employer.name if application.employer_id else ""]
    words.append(talent.id_number or "")
    return [w for w in words if w and len(w) >= 2]


def material_add(
    *, actor: User, application: Application, key: str, upload: Any, anonymised: bool = False
) -> Material:
    """The applicant adds (or replaces) a material the call names; checked by content (PDF), size and name.
    An anonymised version's file name may not carry the applicant's name, employer or ID number."""
    if application.talent.account_id != actor.pk:
        raise PermissionDenied()
    if application.state not in EDITABLE:
        raise Conflict(_("The application can no longer be changed by the applicant."))
    field = f"{key}_anonymised" if anonymised else key
    if key not in named(application):
        raise ValidationFailed(fields={"key": [_("The call names no such material.")]})
    if anonymised and not application.call.blind:
        raise ValidationFailed(fields={field: [_("Only a blind call asks for anonymised versions.")]})
    checked = upload_check(upload, kinds=("pdf",), max_bytes=MAX_BYTES, field=field)
    if anonymised and any(w in checked.display_name for w in _personal_words(application)):
        raise ValidationFailed(
            fields={
                field: [_("The anonymised version's file name shows your name, employer or ID: rename it.")]
            }
        )
    storage = Material.file.field.storage
    stored = storage.save(storage_name(f"programs/{application.pk}", checked), ContentFile(checked.data))
    try:
        with transaction.atomic():
            old = Material.objects.filter(application=application, key=key, anonymised=anonymised).first()
            if old is not None:
                old_name = old.file.name
                old.delete()
                transaction.on_commit(lambda: storage.delete(old_name))
            material = Material.objects.create(
                application=application,
                key=key,
                anonymised=anonymised,
                file=stored,
                display_name=checked.display_name,
                content_type=checked.content_type,
                size=checked.size,
                sm3=sm3_hex(checked.data),
                uploaded_by=actor,
            )
            Application.objects.filter(pk=application.pk).update(anonymised_checked_by=None)
            audit_record(
                actor=actor,
                action="programs.material",
                object_type="programme_application",
                object_id=application.pk,
                details={"key": key, "anonymised": anonymised, "sm3": material.sm3},
            )
    except Exception:
        storage.delete(stored)
        raise
    return material


def anonymised_check(*, actor: User, application: Application) -> Application:
    """The office confirms, at the formal check, that the anonymised versions show no name, employer or
    ID; the check cannot pass before (``workflow``'s ``accept`` effect)."""
    require_perm(actor, ProgPerm.MANAGE)
    if application.state != ApplicationState.RECOMMENDED:
        raise Conflict(_("The anonymised materials are checked at the formal check."))
    if missing(application):
        raise Conflict(_("Materials are missing: %(what)s.") % {"what": "、".join(missing(application))})
    Application.objects.filter(pk=application.pk).update(anonymised_checked_by=actor)
    application.anonymised_checked_by = actor
    audit_record(
        actor=actor,
        action="programs.anonymised_check",
        object_type="programme_application",
        object_id=application.pk,
    )
    return application


def for_reviewer(seat: Seat) -> list[dict[str, str]]:
    """What a reviewer may download: the anonymised versions in a blind call, the materials otherwise; each
    under a neutral name."""
    application = seat.draw.application
    labels = named(application)
    rows = application.materials.filter(anonymised=application.call.blind)
    return [{"key": m.key, "label": labels.get(m.key, m.key), "name": neutral_name(m)} for m in rows]


def neutral_name(material: Material) -> str:
    return f"材料-{material.key}.pdf"


def reviewer_read(*, actor: User, seat: Seat, key: str) -> tuple[Material, bytes]:
    """A reviewer's download (audited): only from their own seat, only the version their call allows."""
    application = seat.draw.application
    material = application.materials.filter(key=key, anonymised=application.call.blind).first()
    if material is None:
        raise NotFound()
    with material.file.open("rb") as handle:
        data = handle.read()
    audit_record(
        actor=actor,
        action="programs.material_read",
        object_type="programme_application",
        object_id=application.pk,
        details={"key": key, "at": timezone.now().isoformat()},
    )
    return material, data
