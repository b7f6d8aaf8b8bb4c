"""A matching world: recruitment's (posts, majors, skills, two enterprises and their HR, parks, the office)
plus talents with job-seeker profiles, matching details and consent; the index forgotten before each test
(as in a fresh process)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count
from typing import Any

import pytest

from talentcloud.enterprises.models import IndustryChain
from talentcloud.matching.index import PROFILES
from talentcloud.matching.services import consent_give, details_save
from talentcloud.recruitment.models import JobSeekerProfile, Major, Post, Skill
from talentcloud.recruitment.services import profile_save
from talentcloud.recruitment.tests.conftest import approved, rworld  # noqa: F401 (a fixture)
from talentcloud.talents.tests.factories import TalentFactory

_n = count(1)


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    PROFILES.reset()
    yield
    PROFILES.reset()


def seeker(
    make_user: Any,
    *,
    post: Post,
    degree: str = "master",
    major: Major | None = None,
    skills: list[Skill] | tuple[Skill, ...] = (),
    location: str = "",
    chain: IndustryChain | None = None,
    salary_floor: int | None = None,
    summary: str = "",
    experience_years: int = 3,
    consent: bool | None = True,
    name: str | None = None,
) -> JobSeekerProfile:
    """A talent account with its archive record, job-seeker profile, matching details and (unless None)
    its answer to the "recruitment" purpose."""
    user = make_user("talent", None, username=f"seeker-{next(_n)}")
    TalentFactory.create(account=user, name=name or f"求职者{user.pk}", phone="13812345678")
    profile = profile_save(
        actor=user, post=post, degree=degree, major=major, experience_years=experience_years, open=True
    )
    details_save(
        actor=user,
        skills=list(skills),
        location=location,
        chain=chain,
        salary_floor=salary_floor,
        summary=summary,
    )
    if consent is not None:
        consent_give(actor=user, granted=consent)
    return profile


@pytest.fixture
def hire(rworld):  # noqa: F811
    """An open demand of enterprise A."""

    def make(post_code: str = "A1", **kw: Any):
        return approved(rworld.hr_a, rworld.ent_a, rworld.posts[post_code], **kw)

    return make
