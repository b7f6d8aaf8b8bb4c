"""Demo matching (#26): the demo talent and twenty talents with accounts keep job-seeker profiles with
matching details and consent (a few refuse), shaped after open demand, so the demo HR account sees talents
for its posts and the demo talent sees posts for them."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from talentcloud.accounts.models import Role, User
from talentcloud.enterprises.models import EnterpriseMember
from talentcloud.matching.services import details_save
from talentcloud.recruitment.enums import DemandState, SalaryKind
from talentcloud.recruitment.models import Demand, JobSeekerProfile
from talentcloud.recruitment.services import annual_band, profile_save
from talentcloud.talents.consents import consent_set
from talentcloud.talents.models import Talent

SEEKERS = 20
ABOUT = [
    "在{post}岗位做过三年，熟悉{skill}，希望来江宁发展。",
    "硕士期间研究{skill}，参与过{post}相关项目。",
    "有{skill}经验，愿意从事{post}工作。",
]


def _open_demand_of_hr() -> Demand | None:
    hr = User.objects.filter(username="hr").first()
    member = EnterpriseMember.objects.filter(user=hr).select_related("enterprise").first() if hr else None
    if member is None:
        return None
    demand = Demand.objects.filter(enterprise=member.enterprise, state=DemandState.OPEN).first()
    if demand is None:
        other = Demand.objects.filter(state=DemandState.OPEN).order_by("created_at", "id").first()
        if other is None:
            return None
        low, high = annual_band(SalaryKind.MONTHLY, 15000, 25000)
        demand = Demand.objects.create(
            enterprise=member.enterprise,
            post=other.post,
            title="研发工程师",
            headcount=3,
            degree="bachelor",
            salary_kind=SalaryKind.MONTHLY,
            salary_min=15000,
            salary_max=25000,
            annual_min=low,
            annual_max=high,
            deadline=timezone.localdate() + timedelta(days=90),
            year=timezone.localdate().year,
            state=DemandState.OPEN,
            posted_by=hr,
        )
        demand.majors.set(other.post.majors.all()[:2])
        demand.skills.set(other.skills.all()[:3])
    return demand


def _seek(user: User, demand: Demand, rng: random.Random, *, consent: bool) -> None:
    talent = Talent.objects.filter(account=user).first()
    if talent is None or JobSeekerProfile.objects.filter(account=user).exists():
        return
    majors = list(demand.majors.all())
    skills = list(demand.skills.all())
    profile_save(
        actor=user,
        post=demand.post,
        degree=rng.choice(["master", "doctor"]),
        major=rng.choice(majors) if majors else None,
        experience_years=rng.randrange(0, 10),
        open=True,
    )
    own = rng.sample(skills, rng.randrange(0, len(skills) + 1)) if skills else []
    details_save(
        actor=user,
        skills=own,
        location="",
        chain=None,
        salary_floor=rng.choice([None, 100_000, 150_000]),
        summary=rng.choice(ABOUT).format(post=demand.post.name, skill=own[0].term if own else "研发"),
    )
    consent_set(actor=user, talent=talent, purpose="recruitment", granted=consent)


def seed_matching(*, seed: int) -> int:
    """Profiles for the demo talent and ``SEEKERS`` talents given accounts; returns the profiles made."""
    rng = random.Random(seed + 26)
    demand = _open_demand_of_hr()
    if demand is None:
        return 0
    made = 0
    talent_role = Role.objects.filter(code="talent").first()
    demo = User.objects.filter(username="talent").first()
    if demo is not None:
        _seek(demo, demand, rng, consent=True)
        made += 1
    others = Talent.objects.filter(account__isnull=True).order_by("name", "id")[:SEEKERS]
    for i, talent in enumerate(others):
        user = User.objects.create(username=f"seeker{i + 1:02d}", display_name=talent.name)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        if talent_role is not None:
            user.roles.add(talent_role)
        Talent.objects.filter(pk=talent.pk).update(account=user)
        _seek(user, demand, rng, consent=i % 7 != 6)  # a few say no: they are never matched
        made += 1
    return made
