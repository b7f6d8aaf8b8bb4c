"""The talent code's effect on the service hall's case table (the hall imports nothing of this app, ADR 0012):
a 紫金山英才卡 case (service ``talent-card``) concluded "approved" issues the talent a code, in the
conclusion's transaction. A talent the case cannot name, or one without a certified grade, stops the
conclusion with a message at the decision, so an approval never leaves the talent without the card."""

from __future__ import annotations

from django.utils.translation import gettext as _

from talentcloud.common.errors import ValidationFailed
from talentcloud.servicehall.enums import Decision as CaseDecision
from talentcloud.servicehall.workflow import CASES
from talentcloud.talents.models import Talent
from talentcloud.workflow.tables import Step

from .enums import IssueBasis
from .services import issue

SERVICE_CODE = "talent-card"  # the catalogue's 紫金山英才卡 (servicehall/seed.py)


@CASES.after("conclude")
def issue_on_an_approved_card_case(step: Step) -> None:
    case = step.obj
    if case.service.code != SERVICE_CODE or step.payload.get("decision") != CaseDecision.APPROVED:
        return
    if case.talent_id is None:
        raise ValidationFailed(fields={"decision": [_("This case names no talent to issue the card to.")]})
    talent = Talent.objects.get(pk=case.talent_id)  # as it is now, not as the case loaded it
    if not talent.grade:
        raise ValidationFailed(
            fields={
                "decision": [_("The talent has no certified grade: certify them before issuing the card.")]
            }
        )
    issue(actor=step.actor, talent=talent, basis=IssueBasis.CASE, case=case)
