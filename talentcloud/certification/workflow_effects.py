"""The certification app's effect on the service hall's case table (the hall imports nothing of this app,
ADR 0012): a 人才认定 case (service ``talent-certification``) concluded "approved" certifies its talent at the
grade the applicant asked for (the form's ``grade`` answer), in the conclusion's transaction, through the one
service that sets grades (``services.record``). A grade the case cannot name stops the conclusion with a
message at the decision, so an approval never leaves the talent uncertified."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from talentcloud.common.errors import ValidationFailed
from talentcloud.servicehall.enums import Decision as CaseDecision
from talentcloud.servicehall.workflow import CASES
from talentcloud.talents.enums import CertificationGrade
from talentcloud.workflow.tables import Step

from .enums import Basis
from .services import Decision, record

SERVICE_CODE = "talent-certification"  # the catalogue's 人才认定 (servicehall/seed.py)
GRADE_FIELD = "grade"  # the case form's answer: the grade applied for


@CASES.after("conclude")
def certify_an_approved_case(step: Step) -> None:
    case = step.obj
    if case.service.code != SERVICE_CODE or step.payload.get("decision") != CaseDecision.APPROVED:
        return
    if case.talent_id is None:
        raise ValidationFailed(fields={"decision": [_("This case names no talent to certify.")]})
    answers = json.loads(case.form_data) if case.form_data else {}
    grade = str(answers.get(GRADE_FIELD) or "").strip().upper()
    if grade not in CertificationGrade.values:
        raise ValidationFailed(
            fields={"decision": [_("The application does not say which grade (A–F) it asks for.")]}
        )
    talent = case.talent
    record(
        actor=step.actor,
        talent=talent,
        decision=Decision(
            grade=grade,
            tier=talent.tier,
            basis=Basis.CASE,
            document_number=case.number or "",
            reason=str(step.payload.get("note") or "").strip(),
        ),
        case=case,
    )
