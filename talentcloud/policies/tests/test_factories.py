"""The apps' test factories make what their names promise (one test here, at the top of the domain layers,
where every app's factories may be imported)."""

from __future__ import annotations

import pytest

from talentcloud.accounts.tests.factories import PASSWORD, OrgUnitFactory, UserFactory
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.policies.engine import ELIGIBLE, calculate
from talentcloud.policies.tests.factories import PolicyFactory
from talentcloud.servicehall.tests.factories import CaseFactory, service
from talentcloud.talents.tests.factories import TalentFactory

pytestmark = pytest.mark.django_db


def test_factories_make_units_users_enterprises_talents_cases_and_policies(units):
    unit = OrgUnitFactory.create()
    assert unit.path == f"/320115/{unit.code}/"
    staff = UserFactory.create(role="park-staff", unit="320115-P-KFQ")
    assert staff.unit.code == "320115-P-KFQ"
    assert [r.code for r in staff.roles.all()] == ["park-staff"]
    assert staff.check_password(PASSWORD)
    firm, other = EnterpriseFactory.create(), EnterpriseFactory.create(in_gxq=True)
    assert (firm.park.code, firm.street.code) == ("320115-P-KFQ", "320115-S-ML")
    assert (other.park.code, other.street.code) == ("320115-P-GXQ", "320115-S-QL")
    assert firm.credit_code != other.credit_code
    talent = TalentFactory.create(employed=True, with_account=True, grade="B")
    assert talent.employer.park.code == "320115-P-KFQ"
    assert talent.account.roles.get().code == "talent"
    draft = CaseFactory.create(applicant=talent.account)
    assert (draft.service.code, draft.state, draft.applicant) == (
        "housing-purchase-subsidy",
        "draft",
        talent.account,
    )
    assert service("rental-subsidy").current is not None
    policy = PolicyFactory.create()
    assert [v.status for v in calculate(talent=talent) if v.policy == policy] == [ELIGIBLE]
