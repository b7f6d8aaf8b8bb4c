"""补正: staff ask for every missing item at once; the applicant provides each one and resubmits.

A request (``CaseRequest``) lists items: material slots of the case's version that staff tick (the file
there is missing or not good enough) and items staff name in their own words (a document the service
declares no slot for, a question). Each item takes an upload (a slot item into its slot, any other item
under its own key ``req<number>_<i>``) and a text answer, so an applicant can always answer every item,
whatever slots the service declares. Resubmitting needs each item of the open request provided: a file
added since the request, or a text answer.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from talentcloud.common.errors import ValidationFailed

from .catalogue import MATERIAL_KINDS, label_of
from .enums import CaseState
from .models import Case, CaseRequest

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

MAX_ITEMS = 20
ITEM_MAX_FILES = 5


def _lines(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    return [str(v).strip()[:500] for v in (value or []) if str(v).strip()]


def request_items(case: Case, payload: dict[str, Any], number: int) -> list[dict[str, Any]]:
    """The items of a new request from what staff ticked (``materials``: slot keys) and listed (``items``:
    one per line or a list). A request with neither but a note asks for what the note says, as one item.
    Refuses an unknown slot and a request that names nothing."""
    slots = {m["key"]: m for m in case.version.materials}
    ticked = [str(k) for k in (payload.get("materials") or [])]
    unknown = [k for k in ticked if k not in slots]
    if unknown:
        raise ValidationFailed(
            fields={"materials": [_("This service has no material “%(key)s”.") % {"key": unknown[0]}]}
        )
    items: list[dict[str, Any]] = [
        {"key": key, "label": slots[key]["label"], "label_en": slots[key].get("label_en", ""), "slot": True}
        for key in dict.fromkeys(ticked)
    ]
    texts = _lines(payload.get("items"))
    if not items and not texts:
        note = str(payload.get("note", "") or "").strip()
        texts = [note[:500]] if note else []
    if not items and not texts:
        raise ValidationFailed(fields={"items": [_("Name at least one item the applicant should provide.")]})
    items += [
        {"key": f"req{number}_{index}", "label": text, "label_en": "", "slot": False}
        for index, text in enumerate(texts, start=1)
    ]
    if len(items) > MAX_ITEMS:
        raise ValidationFailed(fields={"items": [_("At most %(n)d items at once.") % {"n": MAX_ITEMS}]})
    return items


def open_request(case: Case) -> CaseRequest | None:
    """The request the applicant has still to answer (the case is waiting for 补正), or None."""

    if case.state not in (CaseState.RETURNED, CaseState.PAUSED):
        return None
    return case.requests.filter(answered_at__isnull=True).order_by("-number").first()


def answers_of(request: CaseRequest) -> dict[str, str]:
    try:
        data = json.loads(request.answers) if request.answers else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def item_label(item: dict[str, Any]) -> str:
    return label_of(item)


def item_spec(case: Case, key: str) -> dict[str, Any] | None:
    """The upload rules for ``key``: a slot of the version, or an item of the open request (any of the
    hall's file types)."""
    spec = next((m for m in case.version.materials if m["key"] == key), None)
    if spec is not None:
        return dict(spec)
    request = open_request(case)
    item = next((i for i in (request.items if request else []) if i["key"] == key), None)
    if item is None:
        return None
    return {
        "key": key,
        "label": item["label"],
        "label_en": item.get("label_en", ""),
        "kinds": list(MATERIAL_KINDS),
        "max_count": ITEM_MAX_FILES,
        "max_mb": int(getattr(settings, "TALENTCLOUD_CASE_ITEM_MAX_MB", 10)),
        "required": True,
    }


def answers_save(*, request: CaseRequest, answers: dict[str, Any]) -> dict[str, str]:
    """Keep the applicant's text answers to the request's items (unknown keys are ignored); returns them."""
    keys = {i["key"] for i in request.items}
    current = answers_of(request)
    for key, value in answers.items():
        if key in keys:
            text = str(value or "").strip()[:2000]
            if text:
                current[key] = text
            else:
                current.pop(key, None)
    CaseRequest.objects.filter(pk=request.pk).update(answers=json.dumps(current, ensure_ascii=False))
    request.answers = json.dumps(current, ensure_ascii=False)
    return current


def item_files(case: Case, request: CaseRequest) -> dict[str, list[Any]]:
    """The files given for each item: for a slot, those added since the request; else those under its key."""
    files: dict[str, list[Any]] = {i["key"]: [] for i in request.items}
    for material in case.materials.filter(key__in=list(files)):
        if material.uploaded_at >= request.requested_at or not _is_slot(request, material.key):
            files[material.key].append(material)
    return files


def _is_slot(request: CaseRequest, key: str) -> bool:
    return any(i["key"] == key and i.get("slot") for i in request.items)


def missing_items(case: Case) -> list[dict[str, Any]]:
    """The items of the open request not provided yet (neither a file nor a text answer)."""
    request = open_request(case)
    if request is None:
        return []
    answered = answers_of(request)
    files = item_files(case, request)
    return [i for i in request.items if not files.get(i["key"]) and not answered.get(i["key"])]


def resubmit_guard(case: Case) -> str | None:
    """The workflow's guard on ``resubmit``: every requested item provided."""
    missing = missing_items(case)
    if missing:
        return _("Provide every item asked for first: %(items)s.") % {
            "items": "、".join(item_label(i) for i in missing)
        }
    return None


def request_open(*, case: Case, actor: User, items: list[dict[str, Any]], note: str) -> CaseRequest:
    """Record the request (inside the transition's transaction)."""
    number = (case.requests.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return CaseRequest.objects.create(
        case=case,
        number=number,
        items=items,
        note=note,
        answers="",
        requested_by=actor,
        requested_at=timezone.now(),
    )


def next_number(case: Case) -> int:
    return (case.requests.order_by("-number").values_list("number", flat=True).first() or 0) + 1


def request_close(case: Case) -> None:
    case.requests.filter(answered_at__isnull=True).update(answered_at=timezone.now())
