"""The service hall in the demo and in benchmark populations: lived-in cases made through the real
services (demo), or bulk-inserted cases (benchmarks)."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from talentcloud.accounts.models import Role, User
from talentcloud.certification.enums import Basis
from talentcloud.certification.services import Decision, record
from talentcloud.servicehall import cases
from talentcloud.servicehall.clock import case_deadline
from talentcloud.servicehall.enums import CaseState
from talentcloud.servicehall.models import Case, Service
from talentcloud.servicehall.workflow import case_transition
from talentcloud.talents.models import Talent


def demo_cases(*, seed: int) -> int:
    """A lived-in hall for the demo: the demo talent's cases in several states, and other people's cases
    across departments (some due soon, some overdue, some rated). Made through the real services, then
    dated back where the story needs it."""

    rng = random.Random(seed + 11)
    demo_talent = User.objects.filter(username="talent").first()
    if demo_talent is None or Case.objects.exists():
        return 0
    own = Talent.objects.filter(account=demo_talent).first()
    if own is not None:  # the demo talent is a certified 先锋 of grade C (through the one service, ADR 0021)
        record(
            actor=None,
            talent=own,
            decision=Decision(
                grade="C",
                tier="pioneer",
                basis=Basis.PROGRAMME,
                document_number="宁委人才〔2025〕2号（演示）",
            ),
        )
    staff = {
        u.unit.code: u
        for u in User.objects.filter(is_demo=True, roles__code="service-staff").select_related("unit")
        if u.unit is not None
    }
    services = {s.code: s for s in Service.objects.select_related("current", "department")}
    talent_role = Role.objects.get(code="talent")
    applicants = [demo_talent]
    for talent in Talent.objects.filter(account__isnull=True, grade__in=["B", "C", "D"]).order_by("pk")[:24]:
        user = User.objects.create(username=f"applicant-{talent.pk.hex[:8]}", display_name=talent.name)
        user.set_unusable_password()
        user.save()
        user.roles.add(talent_role)
        Talent.objects.filter(pk=talent.pk).update(account=user)
        applicants.append(user)

    def answers_for(service: Service) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for spec in service.current.form_fields if service.current else []:
            kind = spec["type"]
            data[spec["key"]] = {
                "number": "2",
                "date": "2026-03-02",
                "choice": (spec.get("choices") or [""])[0],
                "yes_no": "yes",
            }.get(kind, "江宁区示例")
        return data

    made = 0
    plan = [
        "rental-subsidy",
        "medical-green-channel",
        "policy-consultation",
        "health-check",
        "spouse-employment",
    ]
    for index, person in enumerate(applicants):
        code = plan[index % len(plan)]
        service = services[code]
        try:
            case = cases.case_draft_save(
                actor=person, service=service, data=answers_for(service), idempotency_key=f"demo-{index}"
            )
            for spec in case.version.materials:
                cases.material_add(
                    actor=person,
                    case=case,
                    key=spec["key"],
                    upload=b"%PDF-1.4\n%demo\n",
                    name=f"{spec['label']}.pdf",
                )
            case = cases.case_submit(
                actor=person, service=service, data={}, idempotency_key=f"demo-{index}", case=case
            )
        except Exception:  # noqa: S112 (an applicant the service does not fit is simply skipped)
            continue
        made += 1
        handler = staff.get(service.department.code)
        if handler is None or index % 5 == 4:
            continue  # left waiting for acceptance
        case = case_transition(actor=handler, case=case, action="accept")
        back = rng.randrange(0, 25)
        accepted = timezone.localdate() - timedelta(days=back)

        case.accepted_on = accepted
        due = case_deadline(case)
        Case.objects.filter(pk=case.pk).update(
            accepted_on=accepted, due_on=due.due_on, yellow_on=due.yellow_on
        )
        case.refresh_from_db()
        if index % 3 == 0:
            case = case_transition(
                actor=handler, case=case, action="conclude", decision="approved", note="经审核，符合条件。"
            )
            case = case_transition(
                actor=handler, case=case, action="answer", note="您的申请已通过，请留意后续通知。"
            )
            if person != demo_talent:
                level = rng.choice([5, 5, 4, 4, 3, 2])
                case_transition(actor=person, case=case, action="rate", level=level, comment="")
    Case.objects.filter(state=CaseState.DRAFT).update(form_data=json.dumps({}, ensure_ascii=False))
    return made


def bulk_cases(*, count: int, seed: int, batch_size: int = 5000) -> int:
    """Many cases for benchmarks (bulk inserts, not the services): spread over departments, states and
    deadlines, applicants drawn from the seeded talents' accounts (made on the fly)."""

    rng = random.Random(seed + 13)
    services = list(Service.objects.select_related("current", "department"))
    applicants = list(User.objects.filter(roles__code="talent")[:2000])
    if not applicants:
        applicants = [User.objects.create(username="bench-applicant")]
    today = timezone.localdate()
    states = [
        (CaseState.SUBMITTED, 10),
        (CaseState.IN_PROGRESS, 35),
        (CaseState.PAUSED, 5),
        (CaseState.ANSWERED, 10),
        (CaseState.RATED, 20),
        (CaseState.CLOSED, 20),
    ]
    start = Case.objects.count()
    batch: list[Case] = []
    for i in range(count):
        service = rng.choice(services)
        state = rng.choices([s for s, _w in states], weights=[w for _s, w in states])[0]
        accepted = today - timedelta(days=rng.randrange(0, 60))
        due = accepted + timedelta(days=rng.randrange(3, 40))
        batch.append(
            Case(
                number=f"BENCH-{start + i:09d}",
                service=service,
                version=service.current,
                applicant=rng.choice(applicants),
                applicant_name="申请人",
                form_data="",
                state=state,
                department=service.department,
                submitted_at=timezone.now() - timedelta(days=rng.randrange(0, 60)),
                accepted_on=None if state == CaseState.SUBMITTED else accepted,
                due_on=None if state == CaseState.SUBMITTED else due,
                yellow_on=None if state == CaseState.SUBMITTED else due - timedelta(days=2),
            )
        )
        if len(batch) >= batch_size:
            Case.objects.bulk_create(batch, batch_size=batch_size)
            batch = []
    Case.objects.bulk_create(batch, batch_size=batch_size)
    return count
