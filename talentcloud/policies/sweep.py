"""免申即享: every published policy evaluated for everyone inside the database, results kept per person.

For each policy, one SQL query (``rules.to_sql``) finds who matches; whether the facts the rule rests on are
verified is read in the same query (the newest accepted provenance record of each such fact). A match on
verified facts is granted, one on self-declared or unrecorded facts asks for verification first. Each
policy is swept in its own transaction and noted in the run, so a sweep stopped midway (a crash, a kill)
is finished by the next one; rows are upserted on (policy code, person), so a rerun adds nothing. After
all policies: 就高不重复 within exclusion groups, then yearly budgets in order of eligibility date; people
newly granted get an inbox notice (once).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce, RowNumber
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext as _

from talentcloud.audit.services import audit_record
from talentcloud.enterprises.models import Enterprise, EnterpriseMember
from talentcloud.talents.enums import FactStatus
from talentcloud.talents.models import FactRecord, Talent

from .engine import benefit_amount, published
from .facts import REPORT_FIGURES, And
from .models import Entitlement, EntitlementStatus, OnMatch, Policy, SweepRun, SweepStatus, parameters_on
from .rules import facts_used, to_sql

# Rule facts that rest on a fact with provenance (talents.FactRecord keys); the others are recorded by staff.
PROVENANCE = {
    "highest_degree": "highest_degree",
    "degree_rank": "highest_degree",
    "years_since_graduation": "graduated_on",
    "social_insurance_years": "social_insurance_since",
    "owns_home_in_city": "owns_home_in_city",
    "employed_in_district": "employer",
}
AMOUNT_COLUMNS = {"highest_degree": "highest_degree", "grade": "grade"}


def _verified(key: str) -> Subquery:
    newest = (
        FactRecord.objects.filter(talent=OuterRef("pk"), key=key)
        .exclude(status__in=[FactStatus.PENDING, FactStatus.REJECTED])
        .order_by("-created_at", "-id")
        .values("verified")[:1]
    )
    return Subquery(newest, output_field=BooleanField())


def _amount_sql(policy: Policy) -> Expression:
    """The yearly amount as SQL: a constant, or a CASE over the column the amount depends on."""
    benefit = policy.benefit
    amount = benefit.get("amount")
    field: DecimalField[Any, Any] = DecimalField(max_digits=14, decimal_places=2)
    by = amount.get("by") if isinstance(amount, dict) else None
    if by in AMOUNT_COLUMNS:
        whens = []
        for key in amount.get("table") or {}:
            money = benefit_amount(benefit, {by: key})
            if money is not None:
                whens.append(When(**{AMOUNT_COLUMNS[by]: key}, then=Value(money.yearly, output_field=field)))
        return Case(*whens, default=Value(None, output_field=field), output_field=field)
    money = benefit_amount(benefit, {})
    return Value(money.yearly if money else None, output_field=field)


def sweep_policy(policy: Policy, run: SweepRun, params: dict[str, Any]) -> int:
    """Sweep one policy (the caller holds the transaction); returns how many people newly match.

    One INSERT … SELECT … ON CONFLICT inside the database: the rule's SQL form picks who matches, the status
    reads whether the facts it rests on are verified, the amount comes from the benefit; a person already
    recorded keeps the date they first qualified and their notice, the rest is brought up to date."""
    on = run.on
    for_talents = policy.target == "talent"
    # Facts about enterprises come from their own reports: nothing there awaits verification.
    keys = sorted({PROVENANCE[f] for f in facts_used(policy.rule) if f in PROVENANCE}) if for_talents else []
    verified: list[Any] = [Exact(Coalesce(_verified(k), Value(False)), True) for k in keys]
    granted = verified[0] if len(verified) == 1 else And(*verified) if verified else Value(True)
    status = Case(
        When(ExpressionWrapper(granted, output_field=BooleanField()), then=Value(EntitlementStatus.GRANTED)),
        default=Value(EntitlementStatus.VERIFY_FIRST),
        output_field=CharField(),
    )
    base = Talent.objects.filter(restricted=False) if for_talents else Enterprise.objects.all()
    rows = (
        base.alias(ok=ExpressionWrapper(to_sql(policy.rule, params, on), output_field=BooleanField()))
        .filter(ok=True)
        .annotate(
            e_code=Value(policy.code, output_field=CharField()),
            e_policy=Value(policy.pk, output_field=IntegerField()),
            e_status=status,
            e_amount=_amount_sql(policy),
            e_since=Value(on, output_field=DateField()),
            e_run=Value(run.pk, output_field=IntegerField()),
            e_first=Value(run.pk, output_field=IntegerField()),
        )
        .order_by()
        .values_list("pk", "e_code", "e_policy", "e_status", "e_amount", "e_since", "e_run", "e_first")
    )
    select, values = rows.query.sql_with_params()
    table = Entitlement._meta.db_table
    subject = "talent_id" if for_talents else "enterprise_id"
    columns = (
        f"{subject}, policy_code, policy_id, status, yearly_amount, eligible_since, last_run_id, first_run_id"
    )
    refresh = "policy_id, status, yearly_amount, last_run_id"
    updates = ", ".join(f"{c} = excluded.{c}" for c in refresh.split(", "))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) {select} "
            f"ON CONFLICT (policy_code, {subject}) DO UPDATE SET {updates}",
            values,
        )
    Entitlement.objects.filter(policy_code=policy.code).exclude(last_run=run).update(
        status=EntitlementStatus.LAPSED
    )
    return Entitlement.objects.filter(policy_code=policy.code, first_run=run).count()


def _groups_and_budgets(run: SweepRun, policies: list[Policy]) -> None:
    """就高不重复 per person within each exclusion group; then each policy's budget by eligibility date. Both
    are window functions inside the database: the rank of each of a person's matches in a group (highest
    yearly amount, then the group's priority, then the code), and the running total of a policy's grants."""
    groups = sorted({p.exclusion_group for p in policies if p.exclusion_group})
    for group in groups:
        codes = [p.code for p in policies if p.exclusion_group == group]
        ranked = (
            Entitlement.objects.filter(policy_code__in=codes, last_run=run)
            .exclude(status=EntitlementStatus.LAPSED)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("talent_id"), F("enterprise_id")],
                    order_by=[
                        Coalesce("yearly_amount", Value(Decimal(0))).desc(),
                        F("policy__group_priority").asc(),
                        F("policy_code").asc(),
                    ],
                )
            )
            .filter(rank__gt=1, status=EntitlementStatus.GRANTED)
            .values_list("pk", flat=True)
        )
        Entitlement.objects.filter(pk__in=list(ranked)).update(status=EntitlementStatus.EXCLUDED)
    for policy in policies:
        if policy.yearly_budget is None:
            continue
        running = (
            Entitlement.objects.filter(policy_code=policy.code, status=EntitlementStatus.GRANTED)
            .annotate(
                spent=Window(
                    Sum(Coalesce("yearly_amount", Value(Decimal(0)))),
                    order_by=[F("eligible_since").asc(), F("talent_id").asc(), F("enterprise_id").asc()],
                )
            )
            .filter(spent__gt=policy.yearly_budget)
            .values_list("pk", flat=True)
        )
        Entitlement.objects.filter(pk__in=list(running)).update(status=EntitlementStatus.BUDGET_EXHAUSTED)


def _prepared_note(policy: Policy) -> str:
    return _(
        "Opened by 免申即享: you qualify for “%(policy)s” (version %(version)s). "
        "Add what is missing and submit it."
    ) % {"policy": policy.title, "version": policy.version}


def _prepare_for_enterprise(ent: Entitlement, policy: Policy) -> tuple[list[Any], Any]:
    """An enterprise's administrators, and — for a policy that opens cases — the draft prepared in the first
    one's name, its form filled in from last year's report where the fields match the report's figures."""
    from talentcloud.servicehall.cases import case_prepare

    admins = list(
        EnterpriseMember.objects.filter(enterprise=ent.enterprise_id, is_admin=True)
        .select_related("user", "enterprise")
        .order_by("pk")
    )
    if not admins or policy.on_match != OnMatch.CASE or policy.service is None:
        return [m.user for m in admins], None
    enterprise = admins[0].enterprise
    report = enterprise.reports.filter(year=ent.last_run.on.year - 1).order_by("-created_at", "-id").first()
    figures = {k: getattr(report, k) for k in REPORT_FIGURES} if report else {}
    case = case_prepare(
        service=policy.service,
        enterprise=enterprise,
        applicant=admins[0].user,
        key=f"policy:{policy.code}",
        note=_prepared_note(policy),
        data=figures,
    )
    return [m.user for m in admins], case


def _prepare_for_talent(ent: Entitlement, policy: Policy) -> tuple[list[Any], Any]:
    """The talent's account, and — for a policy that opens cases — the draft prepared in their name."""
    from talentcloud.servicehall.cases import case_prepare

    talent = ent.talent
    assert talent is not None  # a talent's entitlement (the check constraint: one or the other)
    case = None
    if policy.on_match == OnMatch.CASE and policy.service is not None:
        case = case_prepare(
            service=policy.service, talent=talent, key=f"policy:{policy.code}", note=_prepared_note(policy)
        )
    return [talent.account], case


def _reach_new(run: SweepRun) -> int:
    """Everyone newly granted hears of it once: a notice, or — for a policy that applies through a service and
    says so — a pre-filled draft in that service with a notice pointing to it. For an enterprise, its
    administrators hear of it and the first of them finds the draft."""
    from talentcloud.notifications.services import notify

    fresh = Entitlement.objects.filter(status=EntitlementStatus.GRANTED, notified_at__isnull=True).filter(
        Q(talent__account__isnull=False) | Q(enterprise__isnull=False)
    )
    count = 0
    for ent in fresh.select_related("policy__service", "talent__account", "last_run").iterator(
        chunk_size=1000
    ):
        policy = ent.policy
        amount = ent.yearly_amount if ent.yearly_amount is not None else "—"
        if ent.enterprise_id is not None:
            recipients, case = _prepare_for_enterprise(ent, policy)
            calculator = f"/policies/calculator/enterprise/{ent.enterprise_id}/"
        else:
            recipients, case = _prepare_for_talent(ent, policy)
            calculator = "/policies/calculator/"
        if case is not None:
            Entitlement.objects.filter(pk=ent.pk).update(case=case)
        for recipient in recipients:
            if case is not None and recipient.pk == case.applicant_id:
                params = {"policy": policy.title, "amount": amount, "service": case.service.name}
                notify(
                    recipient=recipient,
                    event="policy.case_opened",
                    params=params,
                    url=f"/hall/cases/{case.pk}/",
                )
            else:
                params = {"policy": policy.title, "amount": amount}
                notify(recipient=recipient, event="policy.granted", params=params, url=calculator)
        count += 1
    fresh.update(notified_at=timezone.now())
    return count


def _refresh_statistics() -> None:
    """After writing many rows, tell PostgreSQL's planner how big the table now is: with the statistics of
    an empty table it joins the fresh rows by nested loops, and the steps after take minutes, not seconds."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Entitlement._meta.db_table}")


def swept_policies(on: date) -> list[Policy]:
    """Every policy in force, for talents and for enterprises."""
    return published(on, "talent") + published(on, "enterprise")


def sweep(*, on: date | None = None, stop_after: int | None = None) -> SweepRun:
    """Run (or resume) the sweep. ``stop_after`` stops after that many policies (what a crash would leave)."""
    on = on or timezone.localdate()
    policies = swept_policies(on)
    run = SweepRun.objects.filter(status=SweepStatus.RUNNING).first() or SweepRun.objects.create(
        on=on, total=len(policies)
    )
    params = parameters_on(run.on)
    swept = 0
    for policy in policies:
        if policy.code in run.done:
            continue
        if stop_after is not None and swept >= stop_after:
            return run
        with transaction.atomic():
            new = sweep_policy(policy, run, params)
            run.done = [*run.done, policy.code]
            run.new += new
            SweepRun.objects.filter(pk=run.pk).update(done=run.done, new=run.new)
        swept += 1
    _refresh_statistics()
    with transaction.atomic():
        _groups_and_budgets(run, policies)
        notified = _reach_new(run)
        run.status, run.finished_at = SweepStatus.DONE, timezone.now()
        run.save(update_fields=["status", "finished_at"])
        audit_record(
            actor=None,
            actor_username="system",
            action="policy.sweep",
            object_type="sweep",
            object_id=run.pk,
            details={"policies": len(policies), "new": run.new, "notified": notified},
        )
    return run


def sweep_job() -> None:
    sweep()


def run_results(*, run: SweepRun, viewer: Any) -> QuerySet[Any]:
    """What a sweep found per policy, counted over the entitlements in the viewer's scope."""
    from talentcloud.accounts.scope import scope_queryset

    return (
        scope_queryset(Entitlement.objects.filter(last_run=run), viewer)
        .values("policy_code", "policy__title")
        .annotate(
            granted=Count("pk", filter=Q(status=EntitlementStatus.GRANTED)),
            verify=Count("pk", filter=Q(status=EntitlementStatus.VERIFY_FIRST)),
            excluded=Count("pk", filter=Q(status=EntitlementStatus.EXCLUDED)),
            exhausted=Count("pk", filter=Q(status=EntitlementStatus.BUDGET_EXHAUSTED)),
            new=Count("pk", filter=Q(first_run=run) & ~Q(status=EntitlementStatus.LAPSED)),
        )
        .order_by("policy_code")
    )
