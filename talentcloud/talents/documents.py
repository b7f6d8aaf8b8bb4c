"""Documents in the archive (一人一档: certificates, contracts, records).

Staff who edit talents, and the talent themself, add documents; whoever may see the talent may read them.
Files are checked by content (PDF, JPEG, PNG; at most ``settings.DOCUMENT_MAX_BYTES``), stored encrypted
under a generated name, and served as attachments. Adding, reading and removing are audit events and
appear in the talent's history.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from talentcloud.accounts.permissions import has_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.crypto import sm3_hex
from talentcloud.common.errors import NotFound, PermissionDenied, ValidationFailed
from talentcloud.common.uploads import storage_name, upload_check

from . import selectors
from .enums import DocumentKind
from .models import Talent, TalentChange, TalentDocument
from .permissions import TalentPerm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User

DOCUMENT_KINDS = ("pdf", "jpg", "png")


def _may_change(actor: User, talent: Talent) -> bool:
    return has_perm(actor, TalentPerm.EDIT) or (
        talent.account_id is not None and talent.account_id == actor.pk
    )


def document_add(
    *, actor: User, talent: Talent, kind: str, title: str, upload: Any, name: str | None = None
) -> TalentDocument:
    """Add a document to the archive (the caller loaded ``talent`` through the actor's scope)."""
    if not _may_change(actor, talent):
        raise PermissionDenied()
    errors: dict[str, list[Any]] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = [_("Choose the kind of document.")]
    if len(title) > 100:
        errors["title"] = [_("At most 100 characters.")]
    if errors:
        raise ValidationFailed(fields=errors)
    checked = upload_check(upload, kinds=DOCUMENT_KINDS, max_bytes=settings.DOCUMENT_MAX_BYTES, name=name)
    stored = ""
    try:
        with transaction.atomic():
            stored = TalentDocument.file.field.storage.save(
                storage_name(f"documents/{talent.pk}", checked), ContentFile(checked.data)
            )
            document = TalentDocument.objects.create(
                talent=talent,
                kind=kind,
                title=title.strip(),
                file=stored,
                display_name=checked.display_name,
                content_type=checked.content_type,
                size=checked.size,
                sm3=sm3_hex(checked.data),
                uploaded_by=actor,
            )
            TalentChange.objects.create(
                talent=talent, actor=actor, via="document", field="documents", after=checked.display_name
            )
            audit_record(
                actor=actor,
                action="talent.document_add",
                object_type="talent",
                object_id=talent.pk,
                details={"document": str(document.pk), "kind": kind, "size": checked.size},
            )
    except Exception:
        if stored:
            TalentDocument.file.field.storage.delete(stored)  # nothing half-written: no file without its row
        raise
    return document


def document_list(*, viewer: User | AnonymousUser, talent: Talent) -> QuerySet[TalentDocument]:
    return talent.documents.select_related("uploaded_by")


def document_get(*, viewer: User | AnonymousUser, document_id: uuid.UUID | str) -> TalentDocument:
    document = TalentDocument.objects.select_related("talent").filter(pk=document_id).first()
    if document is None:
        raise NotFound()
    selectors.talent_get(viewer=viewer, talent_id=document.talent_id)  # the talent's scope is the document's
    return document


def document_read(
    *, viewer: User | AnonymousUser, document_id: uuid.UUID | str, source_ip: str | None = None
) -> tuple[TalentDocument, bytes]:
    """The document's content, for a download; every read is an audit event."""
    document = document_get(viewer=viewer, document_id=document_id)
    with document.file.open("rb") as handle:
        data = handle.read()
    audit_record(
        actor=viewer,
        action="talent.document_read",
        object_type="talent",
        object_id=document.talent_id,
        source_ip=source_ip,
        details={"document": str(document.pk)},
    )
    return document, data


def document_remove(*, actor: User, document_id: uuid.UUID | str) -> None:
    """Remove a document: staff who edit talents, or the talent for a document they added."""
    document = document_get(viewer=actor, document_id=document_id)
    own = document.uploaded_by_id == actor.pk and document.talent.account_id == actor.pk
    if not (has_perm(actor, TalentPerm.EDIT) or own):
        raise PermissionDenied()
    name = document.file.name
    with transaction.atomic():
        TalentChange.objects.create(
            talent=document.talent,
            actor=actor,
            via="document",
            field="documents",
            before=document.display_name,
        )
        audit_record(
            actor=actor,
            action="talent.document_remove",
            object_type="talent",
            object_id=document.talent_id,
            details={"document": str(document.pk)},
        )
        document.delete()
        transaction.on_commit(lambda: TalentDocument.file.field.storage.delete(name))
