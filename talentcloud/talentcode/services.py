"""Writes of the talent code (ADR 0025): issue, revoke, verify, report a verification, verifiers and their
scenes, the talent's photo. Each write takes ``actor=`` and appends one audit event in its transaction.

What a code entitles to is never stored: each scene's rule (the one rule language) is evaluated over the
talent's facts (grade, tier, …) when the code is shown or verified, so a certification that changes a grade
changes what the code shows at once."""

from __future__ import annotations

import base64
import ipaddress
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from talentcloud.accounts.enums import UnitKind
from talentcloud.accounts.permissions import require_perm
from talentcloud.audit.models import Outcome
from talentcloud.audit.services import BatchEvent, audit_batch, audit_record
from talentcloud.certification.enums import CertificationStatus
from talentcloud.certification.models import Certification
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.common.http import current_client_ip
from talentcloud.common.prepared import PreparedInsert, PreparedSelect
from talentcloud.privacy.fields import EncryptedTextField
from talentcloud.privacy.masking import mask_text
from talentcloud.rules.logic import TRUE, evaluate, fact_values, facts_used
from talentcloud.rules.logic import validate as validate_rule
from talentcloud.talents.models import Talent

from . import onetrip, tokens
from .enums import CodeStatus, IssueBasis, Result
from .fastpath import unit_scenes
from .models import Scene, TalentCode, Verification, Verifier
from .permissions import CodePerm

if TYPE_CHECKING:
    from talentcloud.accounts.models import OrgUnit, User
    from talentcloud.servicehall.models import Case

PHOTO_MAX_BYTES = 300 * 1024
PHOTO_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


# --- entitlements -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entitlement:
    scene: Scene
    entitled: bool


def entitled(talent: Talent, scene: Scene, on: date | None = None) -> bool:
    """Whether the scene's rule holds for the talent today (an unknown fact: not entitled)."""
    if not scene.active or not scene.rule:
        return False
    day = on or timezone.localdate()
    facts = fact_values(talent, facts_used(scene.rule), day)
    return evaluate(scene.rule, facts, {}, on=day).status == TRUE


def entitlements(talent: Talent, scenes: Iterable[Scene] | None = None) -> list[Entitlement]:
    chosen = list(scenes) if scenes is not None else list(Scene.objects.filter(active=True))
    return [Entitlement(scene, entitled(talent, scene)) for scene in chosen]


# --- issue and revoke ---------------------------------------------------------------------------------------


@transaction.atomic
def issue(*, actor: User | None, talent: Talent, basis: str, case: Case | None = None) -> TalentCode:
    """A new code for a certified talent; the code they held before stops working (superseded)."""
    if basis not in IssueBasis.values:
        raise ValidationFailed(fields={"basis": [_("Choose how the code is issued.")]})
    if not talent.grade:
        raise ValidationFailed(
            _("Only a certified talent (with a grade) gets a talent code."),
            fields={"talent": [_("This talent has no certified grade.")]},
        )
    # Issuances of one talent queue on the talent's row: each then supersedes the code the one before it made.
    Talent.objects.select_for_update().filter(pk=talent.pk).values_list("pk", flat=True).first()
    replaced = list(
        TalentCode.objects.filter(talent=talent, status=CodeStatus.ACTIVE).values_list("pk", flat=True)
    )
    TalentCode.objects.filter(pk__in=replaced).update(status=CodeStatus.SUPERSEDED, updated_at=timezone.now())
    code = TalentCode.objects.create(talent=talent, basis=basis, case=case, issued_by=actor)
    audit_record(
        actor=actor,
        action="talentcode.issue",
        object_type="talent_code",
        object_id=code.pk,
        details={"talent": str(talent.pk), "basis": basis, "replaced": [str(pk) for pk in replaced]},
    )
    return code


@transaction.atomic
def revoke(*, actor: User, code: TalentCode, reason: str) -> TalentCode:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Say why the code is revoked.")]})
    if len(reason) > 500:
        raise ValidationFailed(fields={"reason": [_("At most 500 characters.")]})
    changed = TalentCode.objects.filter(pk=code.pk, status=CodeStatus.ACTIVE).update(
        status=CodeStatus.REVOKED,
        revoked_at=timezone.now(),
        revoked_by=actor,
        revoke_reason=reason,
        updated_at=timezone.now(),
    )
    if not changed:
        raise Conflict(_("This code is no longer in use: it was revoked or replaced already."))
    audit_record(actor=actor, action="talentcode.revoke", object_type="talent_code", object_id=code.pk)
    code.refresh_from_db()
    return code


def token_for(code: TalentCode, *, now: float | None = None) -> tuple[str, int]:
    """A fresh token for the talent's code (expiring in ``TALENT_CODE_TTL_SECONDS``)."""
    if code.status != CodeStatus.ACTIVE:
        raise Conflict(_("This code is no longer in use."))
    return tokens.sign(code.code_id, now=now)


# --- verify -------------------------------------------------------------------------------------------------


def verifier_of(user: Any) -> Verifier | None:
    """The verifier unit the signed-in user checks codes for (an active account of an active external unit
    registered as a verifier), else None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.unit_id is None:
        return None
    return (
        Verifier.objects.filter(unit_id=user.unit_id, active=True, unit__kind=UnitKind.EXTERNAL)
        .select_related("unit")
        .first()
    )


@dataclass
class Answer:
    """What the verifier is told: the result for its scene; for a valid code, the masked name, the date
    the entitlement lasts to (the certification's last valid day; None: open) and the photo if shown."""

    result: str
    scene: Scene
    verification: Verification
    masked_name: str = ""
    until: date | None = None
    photo: str = ""  # a data: URL

    @property
    def valid(self) -> bool:
        return self.result == Result.VALID

    @property
    def message(self) -> str:
        if self.valid:
            if self.until:
                return _("Valid: %(scene)s until %(until)s") % {
                    "scene": self.scene.display_name,
                    "until": self.until,
                }
            return _("Valid: %(scene)s") % {"scene": self.scene.display_name}
        return str(Result(self.result).label)


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _encrypted(model: Any) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


@dataclass(frozen=True)
class _Found:
    """A code as a verification reads it: its id, status and photo choice, the talent's plain columns (what
    the scenes' facts read) and, as ``until``, the last valid day of the talent's current certification."""

    pk: Any
    status: str
    show_photo: bool
    photo_type: str
    until: date | None
    talent: Talent


def _lookup(code_id: str) -> QuerySet[Talent]:
    until = Certification.objects.filter(talent=OuterRef("pk"), status=CertificationStatus.CURRENT)
    return (
        Talent.objects.filter(talent_codes__code_id=code_id)
        .defer(*_encrypted(Talent))
        .annotate(
            code_pk=F("talent_codes__id"),
            code_status=F("talent_codes__status"),
            code_show_photo=F("talent_codes__show_photo"),
            code_photo_type=F("talent_codes__photo_type"),
            until=Subquery(until.values("effective_to")[:1]),
        )
        .order_by()
    )


# The code's lookup and the verification's row, compiled by the ORM once per database: compiling them cost
# more than the database takes to answer (ADR 0029, ADR 0038).
_LOOKUP = PreparedSelect(_lookup)
_RECORD = PreparedInsert(Verification)


def _code_by_id(code_id: str) -> _Found | None:
    """The code and its talent in one query; the talent's encrypted fields and the photo are not read."""
    talent = _LOOKUP.first(code_id)
    if talent is None:
        return None
    row: Any = talent  # the lookup's annotations are attributes of the talent
    code_pk = row.code_pk
    return _Found(
        pk=uuid.UUID(str(code_pk)) if not isinstance(code_pk, uuid.UUID) else code_pk,
        status=row.code_status,
        show_photo=bool(row.code_show_photo),
        photo_type=row.code_photo_type,
        until=_as_date(row.until),
        talent=talent,
    )


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _scene_of(actor: User, scene_code: str) -> Any:
    """The scene, if the actor's unit is an active verifier serving it, with the verifier's id and unit code
    (``verifier_pk``, ``unit_code``), read through the shared cache (``fastpath.unit_scenes``); else why
    not."""
    unit_id = getattr(actor, "unit_id", None) if getattr(actor, "is_authenticated", False) else None
    scene = None
    if unit_id is not None and actor.is_active:
        scene = unit_scenes(unit_id).get(scene_code)
    if scene is None:
        if verifier_of(actor) is None:
            raise PermissionDenied(_("Your account does not verify talent codes."))
        raise ValidationFailed(fields={"scene": [_("Choose one of your unit's scenes.")]})
    return scene


def verify(
    *,
    actor: User,
    token: str,
    scene_code: str,
    throttle: Callable[[str], None] | None = None,
    now: float | None = None,
) -> Answer:
    """Check a token for one of the actor's verifier unit's scenes; one ``Verification`` and one audit event
    whatever the answer. ``throttle(key)`` raises when a limit is passed (per code; the door limits the
    verifier unit)."""
    scene = _scene_of(actor, scene_code)
    if not (token or "").strip():
        raise ValidationFailed(fields={"token": [_("Scan or type the talent code.")]})
    if len(token) > 200:
        raise ValidationFailed(fields={"token": [_("This is not a talent code.")]})
    checked = tokens.check(token, now=now)
    if throttle is not None and checked.code_id:
        throttle(checked.code_id)
    source_ip = _valid_ip(current_client_ip.get())
    if checked.code_id:
        # PostgreSQL: the lookup, the rule, the result and the row in one statement (ADR 0039)
        trip = onetrip.run(
            build=_lookup,
            code_id=checked.code_id,
            scene=scene,
            refusal=checked.result,
            checked_by_id=actor.pk,
            source_ip=source_ip,
        )
        if trip is not None:
            verification = Verification(
                id=trip.id,
                at=trip.at,
                code_id=trip.code_pk,
                verifier_id=scene.verifier_pk,
                scene=scene,
                checked_by=actor,
                result=trip.result,
                source_ip=source_ip,
            )
            verification._state.adding = False
            return _answer(
                verification,
                scene,
                name=trip.name,
                until=trip.until,
                show_photo=trip.show_photo,
                photo_type=trip.photo_type,
            )
    code = None
    result = checked.result
    if checked.code_id:
        code = _code_by_id(checked.code_id)
        if code is None:
            result = Result.FORGED
    if result is None and code is not None:
        if code.status != CodeStatus.ACTIVE:
            result = Result.REVOKED
        elif not entitled(code.talent, scene):
            result = Result.NOT_ENTITLED
        else:
            result = Result.VALID
    assert result is not None
    # One INSERT, committed on its own: the audit event follows in the minute's batch
    # (``verifications_audit``), from this row, which holds everything the event records (ADR 0029).
    verification = _RECORD.save(
        Verification(
            code_id=code.pk if code is not None else None,
            verifier_id=scene.verifier_pk,
            scene=scene,
            checked_by=actor,
            result=result,
            source_ip=source_ip,
        )
    )
    if code is None:
        return _answer(verification, scene)
    return _answer(
        verification,
        scene,
        name=code.talent.name,
        until=code.until,
        show_photo=code.show_photo,
        photo_type=code.photo_type,
    )


def _answer(
    verification: Verification,
    scene: Any,
    *,
    name: str = "",
    until: date | None = None,
    show_photo: bool = False,
    photo_type: str = "",
) -> Answer:
    """The answer to a verification written as ``verification``: for a valid code, the talent's masked
    name, the entitlement's last day and the photo if the talent chose to show it."""
    answer = Answer(result=verification.result, scene=scene, verification=verification)
    if answer.valid and verification.code_id is not None:
        answer.masked_name = mask_text(name)
        answer.until = until
        if show_photo:
            photo = TalentCode.objects.filter(pk=verification.code_id).values_list("photo", flat=True).first()
            if photo:
                answer.photo = f"data:{photo_type};base64,{photo}"
    return answer


AUDIT_BATCH = 1000


def verifications_audit(*, batch: int = AUDIT_BATCH, talent: Talent | None = None) -> int:
    """Append the ``talentcode.verify`` audit event of every verification not yet in the audit log, a
    batch at a time, each batch in one transaction with the rows it marks (rows another run holds are
    skipped, so two runs never write one event twice). The event is what ``verify`` used to write inline:
    the checker, their address, success for valid and failure for a refusal, the verification id, the unit's
    code, the scene, the result and when. Returns how many events were appended. Runs every minute
    (``jobs.py``); ``talent``: only the verifications of that talent's codes (before they go with the
    archive)."""
    total = 0
    while True:
        with transaction.atomic():
            rows = list(
                Verification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(audited=False, **({"code__talent": talent} if talent is not None else {}))
                .select_related("verifier__unit", "scene", "checked_by")
                .order_by("at", "id")[:batch]
            )
            if not rows:
                return total
            audit_batch(
                [
                    BatchEvent(
                        actor=row.checked_by,
                        action="talentcode.verify",
                        object_type="talent_code",
                        object_id=row.code_id or "",
                        outcome=Outcome.SUCCESS if row.result == Result.VALID else Outcome.FAILURE,
                        source_ip=row.source_ip,
                        details={
                            "verification": str(row.pk),
                            "verifier": row.verifier.unit.code,
                            "scene": row.scene.code,
                            "result": row.result,
                            "at": row.at.isoformat(),
                        },
                    )
                    for row in rows
                ]
            )
            Verification.objects.filter(pk__in=[row.pk for row in rows]).update(audited=True)
        total += len(rows)


def verifications_audit_job() -> None:
    verifications_audit()


@transaction.atomic
def report(*, actor: User, verification: Verification, note: str) -> Verification:
    """The talent says they do not recognise a verification of their code; the office sees it."""
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationFailed(fields={"note": [_("At most 500 characters.")]})
    if verification.reported_at is not None:
        raise Conflict(_("You reported this verification already."))
    verification.reported_at = timezone.now()
    verification.report_note = note
    verification.save(update_fields=["reported_at", "report_note"])
    audit_record(
        actor=actor,
        action="talentcode.report",
        object_type="talent_code",
        object_id=verification.code_id or "",
        details={"verification": str(verification.pk)},
    )
    return verification


def anonymise(talent: Talent) -> None:
    """The talent's archive is anonymised (``talents.talent_anonymise``): their codes go, with the photo and
    every verification (where they were); the audit log keeps its events of them (appended first, for
    the verifications not yet in it), which hold no personal data. Audited."""
    verifications_audit(talent=talent)
    codes = list(TalentCode.objects.filter(talent=talent).values_list("pk", flat=True))
    if not codes:
        return
    verifications = Verification.objects.filter(code_id__in=codes).count()
    TalentCode.objects.filter(pk__in=codes).delete()  # their verifications with them (cascade)
    audit_record(
        actor=None,
        actor_username="system",
        action="talentcode.anonymise",
        object_type="talent",
        object_id=talent.pk,
        details={"codes": len(codes), "verifications": verifications},
    )


# --- verifiers, scenes, photo ---------------------------------------------------------------------------


@transaction.atomic
def verifier_save(*, actor: User, unit: OrgUnit, scenes: list[Scene], active: bool = True) -> Verifier:
    if unit.kind != UnitKind.EXTERNAL:
        raise ValidationFailed(fields={"unit": [_("A verifier is an external unit (hospital, school, …).")]})
    if not scenes:
        raise ValidationFailed(fields={"scenes": [_("Choose at least one scene.")]})
    verifier, created = Verifier.objects.update_or_create(unit=unit, defaults={"active": active})
    verifier.scenes.set(scenes)
    audit_record(
        actor=actor,
        action="talentcode.verifier_save",
        object_type="talent_code_verifier",
        object_id=verifier.pk,
        details={
            "unit": unit.code,
            "scenes": sorted(s.code for s in scenes),
            "active": active,
            "new": created,
        },
    )
    return verifier


@transaction.atomic
def scene_rule_set(*, actor: User, scene: Scene, rule: Any) -> Scene:
    """Change who a scene entitles: a rule in the one rule language over the talent's facts, checked clause
    by clause (each problem at its clause's path). Effective at the next show or verification: the rule is
    evaluated then, and the verifiers' cached scenes are dropped when the change commits (``signals.py``)."""
    require_perm(actor, CodePerm.MANAGE)
    problems = validate_rule(rule)
    if problems:
        raise ValidationFailed(
            _("The rule is not valid: see each clause's problem."),
            fields={"rule": [f"{p.path}: {p.reason}" for p in problems]},
        )
    before = scene.rule
    Scene.objects.select_for_update().filter(pk=scene.pk).values_list("pk", flat=True).first()
    scene.rule = rule
    scene.save(update_fields=["rule", "updated_at"])
    audit_record(
        actor=actor,
        action="talentcode.scene_rule",
        object_type="talent_code_scene",
        object_id=scene.pk,
        details={"scene": scene.code, "before": before, "after": rule},
    )
    return scene


@transaction.atomic
def photo_set(*, actor: User, code: TalentCode, data: bytes | None, show: bool) -> TalentCode:
    """The talent's photo for the card (JPEG or PNG, checked by its content, at most 300 KB) and whether
    verifiers see it; ``data`` None keeps the photo there is."""
    if data is not None:
        if len(data) > PHOTO_MAX_BYTES:
            raise ValidationFailed(fields={"photo": [_("The photo may be at most 300 KB.")]})
        kind = next((t for magic, t in PHOTO_TYPES.items() if data.startswith(magic)), "")
        if not kind:
            raise ValidationFailed(fields={"photo": [_("The photo must be a JPEG or PNG image.")]})
        code.photo, code.photo_type = base64.b64encode(data).decode(), kind
    if show and not code.photo:
        raise ValidationFailed(fields={"show_photo": [_("Upload a photo before showing it.")]})
    code.show_photo = show
    code.save(update_fields=["photo", "photo_type", "show_photo", "updated_at"])
    audit_record(
        actor=actor,
        action="talentcode.photo",
        object_type="talent_code",
        object_id=code.pk,
        details={"uploaded": data is not None, "shown": show},
    )
    return code
