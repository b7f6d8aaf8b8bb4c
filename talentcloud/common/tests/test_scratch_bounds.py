"""The domain apps' hooks (ADR 0011): an app above enterprises runs its own step in an enterprise merge, and
an app above the service hall adds a section to every service's guide, each declared in the app's own file
and gone when the app is."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from stdnum.cn import uscc

from talentcloud.common.tests.scratch import scratch_app
from talentcloud.common.tests.scratchapp.enterprise_changes import CHANGED
from talentcloud.common.tests.scratchapp.enterprise_merge import MERGED
from talentcloud.common.tests.scratchapp.talent_merge import TALENTS_MERGED
from talentcloud.enterprises.changes import CHANGE_HOOKS
from talentcloud.enterprises.clashes import MERGE_HOOKS, clash_merge
from talentcloud.enterprises.models import ClashVia, Enterprise, EnterpriseClash
from talentcloud.enterprises.services import enterprise_update
from talentcloud.servicehall.guide import GUIDE_SECTIONS
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.talents import clashes as talent_clashes
from talentcloud.talents.models import Talent, TalentClash
from talentcloud.web.tests.pagetext import main_text

pytestmark = pytest.mark.django_db


def pending_clash(units: dict[str, Any], n: int) -> EnterpriseClash:
    """A pending record whose code an existing enterprise holds, waiting for the office."""
    first17 = f"91320115MA1X2W{n:03d}"
    code = first17 + uscc.calc_check_digit(first17)
    place = {"park": units["320115-P-KFQ"], "street": units["320115-S-ML"]}
    existing = Enterprise.objects.create(name=f"原有企业{n}", credit_code=code, **place)
    new = Enterprise.objects.create(name=f"新登记企业{n}", credit_code=code, pending_merge=True, **place)
    return EnterpriseClash.objects.create(new=new, existing=existing, via=ClashVia.CREATE)


def test_a_merge_hook_declared_by_an_app_runs_in_the_merge_and_is_gone_with_the_app(units, make_user):
    office = make_user("talent-office", "320115-ZZB")
    MERGED.clear()
    with scratch_app():
        assert "scratchapp.merged" in [hook.name for hook in MERGE_HOOKS]
        clash = pending_clash(units, 1)
        new_id = clash.new_id
        clash_merge(actor=office, clash_id=clash.pk)
        assert MERGED == [("原有企业1", (new_id, "新登记企业1"))]  # noqa: SIM300
    assert "scratchapp.merged" not in [hook.name for hook in MERGE_HOOKS]
    assert "talents.search_tokens" in [hook.name for hook in MERGE_HOOKS]
    clash_merge(actor=office, clash_id=pending_clash(units, 2).pk)
    assert len(MERGED) == 1  # the scratch app's hook no longer runs
    assert not Enterprise.objects.filter(pending_merge=True).exists()


def test_a_talent_merge_hook_declared_by_an_app_runs_in_the_merge_and_is_gone_with_the_app(units, make_user):
    office = make_user("talent-office", "320115-ZZB")
    common = {
        "gender": "F",
        "birth_date": dt.date(1990, 1, 1),
        "highest_degree": "master",
        "category": "young",
    }

    def pending(n: int) -> TalentClash:
        existing = Talent.objects.create(name=f"原有人才{n}", **common)
        new = Talent.objects.create(name=f"新登记人才{n}", pending_merge=True, **common)
        return TalentClash.objects.create(new=new, existing=existing, via="edit")

    TALENTS_MERGED.clear()
    with scratch_app():
        assert "scratchapp.talents_merged" in [hook.name for hook in talent_clashes.MERGE_HOOKS]
        talent_clashes.clash_merge(actor=office, clash_id=pending(1).pk)
        assert TALENTS_MERGED == [("原有人才1", office.username)]  # noqa: SIM300
    assert "scratchapp.talents_merged" not in [hook.name for hook in talent_clashes.MERGE_HOOKS]
    assert "certification.one_history" in [hook.name for hook in talent_clashes.MERGE_HOOKS]
    talent_clashes.clash_merge(actor=office, clash_id=pending(2).pk)
    assert len(TALENTS_MERGED) == 1  # the scratch app's hook no longer runs


def test_a_change_hook_declared_by_an_app_runs_when_an_enterprise_changes_and_is_gone_with_the_app(
    units, make_user
):
    office = make_user("talent-office", "320115-ZZB")
    enterprise = pending_clash(units, 3).existing
    CHANGED.clear()
    with scratch_app():
        assert "scratchapp.changed" in [hook.name for hook in CHANGE_HOOKS]
        enterprise_update(actor=office, enterprise=enterprise, changes={"name": "改名企业", "park": None})
        assert CHANGED == [(["改名企业"], ["name", "park"])]
    assert "scratchapp.changed" not in [hook.name for hook in CHANGE_HOOKS]
    assert "talents.scope_keys_and_tokens" in [hook.name for hook in CHANGE_HOOKS]
    enterprise_update(actor=office, enterprise=enterprise, changes={"name": "又改名企业"})
    assert len(CHANGED) == 1  # the scratch app's hook no longer runs


def test_a_guide_section_declared_by_an_app_shows_on_every_service_guide_and_is_gone_with_the_app(units):
    catalogue_install()
    cache.clear()
    url = "/hall/guide/rental-subsidy/"
    with scratch_app():
        assert "scratchapp.section" in [section.name for section in GUIDE_SECTIONS]
        page = Client().get(url).content.decode()
        assert 'data-testid="scratch-guide-part"' in page
        text = main_text(page)
        assert "scratch condition of rental-subsidy" in text
        assert "Scratch regulation（SCRATCH-2026-1）" in text  # joined to the legal basis
    assert "scratchapp.section" not in [section.name for section in GUIDE_SECTIONS]
    page = Client().get(url).content.decode()
    assert "scratch-guide-part" not in page
    assert "SCRATCH-2026-1" not in page
