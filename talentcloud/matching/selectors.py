"""The matching app's reads: talents for a demand (through the index, re-read through the hard filters and
the consent), posts for a talent, and whether an enterprise may see a talent's contact details."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from talentcloud.enterprises.models import Enterprise
from talentcloud.privacy.masking import mask_email, mask_phone, mask_text
from talentcloud.recruitment.models import Demand, JobSeekerProfile
from talentcloud.talents.enums import Degree
from talentcloud.talents.models import Talent

from .enums import ContactState
from .facts import DemandFacts, ProfileFacts, violations
from .index import PROFILES
from .models import ContactRequest, MatchDetails
from .queries import demand_facts, demands_passing, passing_facts_and_changes, profile_facts, profiles_passing
from .ranking import Match, rank, text_overlap

TOP = 10
MAX_CANDIDATES = 5000

# Other apps may also allow contact (a campaign's applicant applied to the enterprise's post): each callable
# takes (enterprise_id, account_id) and says yes or no. ``contact_allowed`` asks them after the requests.
CONTACT_GRANTS: list[Callable[[Any, Any], bool]] = []


def facts_of(demand: Demand) -> DemandFacts:
    return demand_facts([demand])[0]


def talents_for_demand(demand: Demand | DemandFacts, limit: int = TOP) -> list[Match]:
    """The best ``limit`` consented profiles passing ``demand``'s hard filters, explained. The index proposes
    candidates; the database rows decide (a profile edited, filtered out or withdrawn since is dropped)."""
    facts = demand if isinstance(demand, DemandFacts) else facts_of(demand)
    wanted = max(limit * 3, 30)
    while True:
        hits, rows = PROFILES.search_read(
            facts, wanted, lambda ids, unapplied: passing_facts_and_changes(facts, ids, unapplied)
        )
        text = dict(hits)
        candidates = [(facts, p, text[p.pk]) for p in rows if not violations(facts, p)]
        if len(candidates) >= limit or len(hits) < wanted or wanted >= MAX_CANDIDATES:
            return rank(candidates, limit)
        wanted *= 4


def raw_retrieval(demand: DemandFacts, limit: int = TOP) -> list[tuple[int, float]]:
    """The index alone, with the same query and filters: what the benchmark compares against."""
    return PROFILES.search(demand, limit)


def matches_profile(demand: Demand, profile_id: int) -> bool:
    return profiles_passing(facts_of(demand)).filter(pk=profile_id).exists()


def own_profile(account: Any) -> JobSeekerProfile | None:
    return JobSeekerProfile.objects.filter(account=account).select_related("post", "major").first()


def profile_facts_of(profile: JobSeekerProfile) -> ProfileFacts:
    return profile_facts(JobSeekerProfile.objects.filter(pk=profile.pk))[0]


def posts_for_profile(profile: JobSeekerProfile, limit: int = 20) -> list[Match]:
    """Open demands whose hard filters the profile passes, best first, explained."""
    facts = profile_facts_of(profile)
    qs = demands_passing(facts, Demand.objects.select_related("enterprise", "post", "chain"))
    demands = demand_facts(qs.order_by("-created_at", "id")[:MAX_CANDIDATES])
    own = set(
        (MatchDetails.objects.filter(pk=profile.pk).values_list("tokens", flat=True).first() or "").split()
    )
    candidates = [(d, facts, text_overlap(d, own)) for d in demands if not violations(d, facts)]
    return rank(candidates, limit)


def contact_allowed(enterprise: Enterprise | Any, account: Any) -> bool:
    """Whether ``enterprise`` may see the talent of ``account`` unmasked: the talent accepted its request for
    contact, or another app says so (``CONTACT_GRANTS``: a talent who applied to its post)."""
    enterprise_id: Any = getattr(enterprise, "pk", enterprise)
    account_id = getattr(account, "pk", account)
    if ContactRequest.objects.filter(
        enterprise_id=enterprise_id, profile__account_id=account_id, state=ContactState.ACCEPTED
    ).exists():
        return True
    return any(grant(enterprise_id, account_id) for grant in CONTACT_GRANTS)


@dataclass
class Shown:
    """A matched profile as an enterprise sees it: masked until contact is allowed."""

    profile_id: int
    name: str
    phone: str
    email: str
    degree: str
    major: str
    post: str
    experience_years: int
    skills: list[str]
    location: str
    summary: str
    unmasked: bool
    contact_state: str


def shown(matches: list[Match], enterprise_id: Any, demand_id: Any) -> list[Shown]:
    accounts = [m.profile.account_id for m in matches]
    talents = {t.account_id: t for t in Talent.objects.filter(account_id__in=accounts)}
    allowed = set(
        ContactRequest.objects.filter(
            enterprise_id=enterprise_id, profile__account_id__in=accounts, state=ContactState.ACCEPTED
        ).values_list("profile__account_id", flat=True)
    )
    states = dict(
        ContactRequest.objects.filter(demand_id=demand_id, profile__account_id__in=accounts).values_list(
            "profile__account_id", "state"
        )
    )
    out = []
    for m in matches:
        p = m.profile
        talent = talents.get(p.account_id)
        open_ = p.account_id in allowed or (
            bool(CONTACT_GRANTS) and contact_allowed(enterprise_id, p.account_id)
        )
        name = talent.name if talent else ""
        phone = talent.phone if talent else ""
        email = talent.email if talent else ""
        out.append(
            Shown(
                profile_id=p.pk,
                name=name if open_ else mask_text(name),
                phone=phone if open_ else mask_phone(phone),
                email=email if open_ else mask_email(email),
                degree=str(Degree(p.degree).label),
                major=p.major_name,
                post=p.post_name,
                experience_years=p.experience_years,
                skills=list(p.skills.values()),
                location=p.location,
                summary=p.summary if open_ else "",
                unmasked=open_,
                contact_state=states.get(p.account_id, ""),
            )
        )
    return out


def requests_for(account: Any) -> list[ContactRequest]:
    return list(
        ContactRequest.objects.filter(profile__account=account)
        .select_related("enterprise", "demand__post")
        .order_by("-requested_at", "-id")
    )
