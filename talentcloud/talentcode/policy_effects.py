"""The talent code's grant effect (免申即享, ``policies.effects``): a policy whose benefit is the card
(``benefit.effect: talent-card``) issues the code to everyone the sweep newly grants it, in the transaction
that tells them. A talent who holds a code in use keeps it; one without a certified grade gets none (the
code is for certified talents: ``services.issue``). Set-based: one insert per chunk the sweep hands over,
and one audit event per code issued."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from talentcloud.audit.services import audit_records
from talentcloud.policies.effects import GrantEffect
from talentcloud.talents.models import Talent

from .enums import CodeStatus, IssueBasis
from .models import TalentCode

if TYPE_CHECKING:
    from talentcloud.policies.models import Policy

EFFECT = "talent-card"


def issue_to_granted(policy: Policy, talent_ids: list[Any], on: date) -> int:
    """A code for each of these talents who is certified and holds none in use; returns how many."""
    holding = TalentCode.objects.filter(talent_id__in=talent_ids, status=CodeStatus.ACTIVE).values(
        "talent_id"
    )
    wanted = Talent.objects.filter(pk__in=talent_ids).exclude(grade="").exclude(pk__in=holding)
    made = [TalentCode(talent_id=pk, basis=IssueBasis.POLICY) for pk in wanted.values_list("pk", flat=True)]
    # A code issued meanwhile by the hall or the office (one in use per talent) wins: this one is not made.
    TalentCode.objects.bulk_create(made, ignore_conflicts=True)
    issued = list(TalentCode.objects.filter(pk__in=[c.pk for c in made]).values_list("pk", "talent_id"))
    audit_records(
        action="talentcode.issue",
        object_type="talent_code",
        events=[
            (pk, {"talent": str(talent), "basis": IssueBasis.POLICY, "policy": policy.code, "replaced": []})
            for pk, talent in issued
        ],
    )
    return len(issued)


POLICY_EFFECTS = [
    GrantEffect(
        name=EFFECT,
        label=_("issue the talent code (紫金山英才卡; certified talents)"),
        target="talent",
        apply=issue_to_granted,
    ),
]
