"""Talent programmes for the demo (#24): two calls (a blind 紫金山英才计划 call and an open district call), a
pool of experts with institution histories and ties (the demo ``expert`` account is E0001), applications at
every step of the way, a ceremony, drawn panels with scores, and approvals down the ranking. Everything goes
through the programmes' services, so the audit log, the steps and the certifications are what a real call
leaves; the applicants' accounts are demo accounts made here (``prog-talent-N``)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from talentcloud.accounts.models import Role, User
from talentcloud.accounts.services import user_create
from talentcloud.common.errors import Conflict
from talentcloud.enterprises.models import EnterpriseMember
from talentcloud.payouts.services import budget_line_set
from talentcloud.programs import publicity, services
from talentcloud.programs.enums import SeatStatus, TieKind
from talentcloud.programs.models import Call, Criterion, Expert, PublicityEntry
from talentcloud.talents.models import Talent, TalentProgramme

from . import seed as demo_seed  # its seed_all calls this module: read at call time

FIELDS = ("F03", "F04")
INSTITUTIONS = ("东南大学", "南京大学", "河海大学", "南京航空航天大学", "南京理工大学", "中国药科大学")


def _call(programme: TalentProgramme, code: str, title: str, blind: bool, **kw: object) -> Call:
    today = timezone.localdate()
    call = Call.objects.create(
        programme=programme,
        code=code,
        title=title,
        opens_on=today - timedelta(days=30),
        closes_on=today + timedelta(days=30),
        rule={"all": [{"fact": "age", "op": "<=", "value": 50}]},
        blind=blind,
        panel_size=3,
        instalments=[
            {"share": 50, "milestone": "立项"},
            {"share": 30, "milestone": "中期考核"},
            {"share": 20, "milestone": "结项验收"},
        ],
        **kw,
    )
    for order, (name, weight) in enumerate((("创新性", 40), ("团队能力", 30), ("产业前景", 30)), start=1):
        Criterion.objects.create(call=call, name=name, weight=weight, order=order)
    return call


def _applicant_account(talent: Talent, n: int) -> User:
    if talent.account_id is not None:
        return talent.account  # type: ignore[return-value]
    role = Role.objects.get(code="talent")
    user = user_create(
        actor=None,
        username=f"prog-talent-{n}",
        password=demo_seed.generate_password(f"prog-talent-{n}"),
        unit=None,
        roles=[role],
        display_name=talent.name,
        is_demo=True,
    )
    Talent.objects.filter(pk=talent.pk).update(account=user)
    talent.account = user
    return user


def _hr_of(talent: Talent, n: int) -> User:
    assert talent.employer_id is not None  # the candidates are employed in a park
    member = EnterpriseMember.objects.filter(enterprise_id=talent.employer_id).select_related("user").first()
    if member is not None:
        return member.user
    user = user_create(
        actor=None,
        username=f"prog-hr-{n}",
        password=demo_seed.generate_password(f"prog-hr-{n}"),
        unit=None,
        roles=[Role.objects.get(code="enterprise-hr")],
        display_name=f"企业人事 {n}",
        is_demo=True,
    )
    EnterpriseMember.objects.create(enterprise_id=talent.employer_id, user=user, is_admin=True)
    return user


def seed_programmes(*, seed: int) -> int:
    """Two calls with applications, experts with ties, reviews and approvals; returns the applications."""
    rng = random.Random(seed + 24)
    office = User.objects.get(username="office")
    park_staff = {u.unit_id: u for u in User.objects.filter(username__in=("park-kfq", "park-gxq"))}
    programme, _created = TalentProgramme.objects.get_or_create(
        code="zijinshan-talents",
        defaults={"name": "紫金山英才计划", "name_en": "Zijinshan Talents Program", "level": "city"},
    )
    district, _created = TalentProgramme.objects.get_or_create(
        code="jiangning-leading-talents",
        defaults={
            "name": "江宁区创新创业领军人才计划",
            "name_en": "Jiangning Leading Talents",
            "level": "district",
        },
    )
    blind = _call(
        programme,
        "zjs-2026-1",
        "2026 年紫金山英才计划（第一批）",
        True,
        places=3,
        budget=Decimal("3000000"),
        award_amount=Decimal("1000000"),
        grade="B",
        tier="pioneer",
    )
    open_call = _call(
        district,
        "jnlj-2026",
        "2026 年江宁区创新创业领军人才",
        False,
        places=2,
        budget=Decimal("1000000"),
        award_amount=Decimal("500000"),
        grade="C",
        tier="",
    )
    for call in (blind, open_call):  # the ledger's budget lines the approvals commit on (ADR 0030)
        budget_line_set(
            actor=office,
            policy_code=call.budget_line_code,
            fiscal_year=timezone.localdate().year,
            department=office.unit,
            amount=call.budget,
        )
    expert_user = User.objects.filter(username="expert").first()
    experts: list[Expert] = []
    for i in range(1, 13):
        institution = INSTITUTIONS[i % len(INSTITUTIONS)]
        experts.append(
            services.expert_save(
                actor=office,
                code=f"E{i:04d}",
                name=expert_user.display_name if i == 1 and expert_user else f"评审专家{i:02d}",
                fields=[FIELDS[i % 2], FIELDS[(i + 1) % 2]] if i % 3 == 0 else [FIELDS[i % 2]],
                user=expert_user if i == 1 else None,
                affiliations=[(institution, date(2008 + i % 10, 9, 1), None)],
            )
        )
    candidates = list(
        Talent.objects.filter(
            employer_park_id__in=list(park_staff),
            birth_date__gte=timezone.localdate().replace(year=timezone.localdate().year - 49, day=1),
        )
        .select_related("employer")
        .order_by("pk")[:40]
    )
    rng.shuffle(candidates)
    demo_talent = Talent.objects.filter(account__username="talent", employer__isnull=False).first()
    if (
        demo_talent is not None
        and demo_talent not in candidates
        and demo_talent.employer_park_id in park_staff
        and services.eligibility(blind, demo_talent).status == "passed"
    ):
        candidates.insert(0, demo_talent)
    # a declared tie and a recent co-application: the pool of those applicants leaves these experts out
    if len(candidates) > 2:
        services.tie_add(actor=office, expert=experts[1], kind=TieKind.ADVISOR, talent=candidates[1])
        services.tie_add(
            actor=office,
            expert=experts[2],
            kind=TieKind.CO_APPLICANT,
            talent=candidates[2],
            on=timezone.localdate() - timedelta(days=400),
        )
    ceremonies = {
        call.pk: services.ceremony_record(
            actor=office,
            call=call,
            digits=f"{rng.randrange(10**7, 10**8)}",
            witnesses="公证员 王律师；纪检监督员 李明",
        )
        for call in (blind, open_call)
    }
    plan = [(blind, "accepted")] * 5 + [(blind, "recommended"), (blind, "nominated"), (blind, "submitted")]
    plan += [(open_call, "accepted")] * 3 + [(open_call, "returned"), (open_call, "draft")]
    made = 0
    accounts: list[User] = []
    titles = (
        "面向车规级芯片的高可靠封装",
        "新型固态电池电解质",
        "工业互联网安全网关",
        "智能网联汽车感知融合",
    )
    for n, ((call, target), talent) in enumerate(zip(plan, candidates, strict=False), start=1):
        account = _applicant_account(talent, n)
        application = services.application_create(
            actor=account,
            call=call,
            title=titles[n % len(titles)] + f"（{n}）",
            field=FIELDS[n % 2],
            payee_account=f"62220200{n:011d}",
        )
        accounts.append(account)
        made += 1
        steps = ["submit", "nominate", "recommend", "accept"]
        stop = {"draft": 0, "submitted": 1, "nominated": 2, "recommended": 3, "returned": 3, "accepted": 4}[
            target
        ]
        for action in steps[:stop]:
            actor = {
                "submit": account,
                "nominate": _hr_of(talent, n),
                "recommend": park_staff[talent.employer_park_id],
                "accept": office,
            }[action]
            application = services.move(actor=actor, application=application, action=action, pledge=True)
        if target == "returned":
            services.move(
                actor=office, application=application, action="return", note="请补充近三年社保缴纳证明"
            )
        if target != "accepted":
            continue
        row = services.draw_panel(actor=office, application=application, ceremony=ceremonies[call.pk])
        criteria = list(call.criteria.all())
        for seat in row.seats.filter(status=SeatStatus.SEATED).select_related("expert"):
            if seat.expert.user_id is None:  # a pool expert without an account: the office scores for them
                seat.expert.user = user_create(
                    actor=None,
                    username=f"prog-{seat.expert.code.lower()}",
                    password=demo_seed.generate_password(f"prog-{seat.expert.code.lower()}"),
                    unit=office.unit,
                    roles=[Role.objects.get(code="expert")],
                    display_name=seat.expert.name,
                    is_demo=True,
                )
                Expert.objects.filter(pk=seat.expert.pk).update(user=seat.expert.user)
            if seat.expert.code == "E0001" and n % 2:
                continue  # the demo expert has reviews still to score
            base = rng.randrange(70, 92)
            assert seat.expert.user is not None
            services.score_submit(
                actor=seat.expert.user,
                seat=seat,
                values={c.pk: min(100, base + rng.randrange(-5, 6)) for c in criteria},
                comments={criteria[0].pk: "思路清晰，产业化路径明确。"},
            )
    _publicity(office, blind, open_call, accounts[-1] if accounts else None)
    for call in (blind, open_call):
        for ranked in services.ranking(call)[:2]:
            if ranked.score is not None and ranked.sheets == call.panel_size:
                try:
                    services.approve(actor=office, application=ranked.application)
                except Conflict:  # one ranked ahead still waits for its last sheet: left for the office
                    break
    return made


def _publicity(office: User, past: Call, live: Call, objector: User | None) -> None:
    """公示: the blind call's list was published three weeks ago (its window is over, one objection was
    answered), so its best-ranked are approved; the open call's list is up now with an objection waiting."""
    today = timezone.localdate()
    for call, start in ((past, today - timedelta(days=21)), (live, today)):
        try:
            publicity.publish(actor=office, call=call, days=5, on=start)
        except Conflict:  # no application of the call has its scores: nothing to publish
            continue
        entry = PublicityEntry.objects.filter(publicity__call=call).order_by("pk").first()
        if entry is None or objector is None:
            continue
        objection = publicity.object_to(
            user=objector, entry=entry, text="该申请人的单位信息与实际不符，请核实。", on=start
        )
        if call is past:
            publicity.objection_decide(
                actor=office,
                objection=objection,
                upheld=False,
                reply="经核实，申请人劳动合同与社保缴纳单位一致，异议不成立。",
                on=start + timedelta(days=2),
            )
