"""The scratch app adds an effect to the service hall's case table (the workflow engine's discovery): on every
submission it writes an audit event of its own, in the transition's transaction. The hall imports nothing of
this app. A submission whose payload carries ``scratch_refuse`` is refused here, after the write, to show that
the write goes with the transition."""

from __future__ import annotations

from talentcloud.audit.services import audit_record
from talentcloud.common.errors import Conflict
from talentcloud.servicehall.workflow import CASES
from talentcloud.workflow.tables import AFTER, Step


@CASES.after("submit")
def scratch_saw_a_submission(step: Step) -> None:
    audit_record(actor=step.actor, action="scratch.saw_submit", object_type="case", object_id=step.obj.pk)
    if step.payload.get("scratch_refuse"):
        raise Conflict("The scratch app refuses this one.")


def scratch_saw_a_withdrawal(step: Step) -> None:
    audit_record(actor=step.actor, action="scratch.saw_withdraw", object_type="case", object_id=step.obj.pk)


# The other way to declare: a list the engine discovers (common/registries.py, ``Declarations``).
WORKFLOW_EFFECTS = [CASES.effect("withdraw", AFTER, scratch_saw_a_withdrawal)]
