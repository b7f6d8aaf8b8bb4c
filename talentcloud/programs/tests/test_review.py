"""Review and approval (#24): aggregation against hand-computed cases, ranking with ties, the spread per
reviewer, blind calls showing no name, employer or ID to a reviewer, 404 on an application not assigned, and
approval down the ranking within places and budget, certifying through certification's service and keeping
the award's amount, instalments and obligation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from talentcloud.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentcloud.programs import selectors, services
from talentcloud.programs.enums import SeatStatus
from talentcloud.programs.models import Award
from talentcloud.talents.models import Talent

from .world import make_world, reviewer

D = Decimal


# -- aggregation, by hand ------------------------------------------------------------------------------------


def test_four_scores_nothing_dropped():
    # (80 + 70 + 90 + 60) / 4 = 75
    assert services.aggregate([D(80), D(70), D(90), D(60)]) == D("75.00")


def test_five_scores_drop_one_highest_and_one_lowest():
    # drop 95 and 50: (80 + 70 + 60) / 3 = 70
    assert services.aggregate([D(80), D(95), D(70), D(50), D(60)]) == D("70.00")


def test_tied_extremes_drop_only_one_of_each():
    # 90, 90, 80, 60, 60: drop one 90 and one 60 → (90 + 80 + 60) / 3 = 76.666… → 76.67
    assert services.aggregate([D(90), D(60), D(80), D(90), D(60)]) == D("76.67")
    # all equal: nothing changes the mean
    assert services.aggregate([D(70)] * 6) == D("70.00")


def test_a_missing_criterion_leaves_the_sheet_out():
    weights = {1: 40, 2: 30, 3: 30}
    # complete: (40·90 + 30·80 + 30·70) / 100 = 81
    assert services.sheet_total(weights, {1: D(90), 2: D(80), 3: D(70)}) == D("81.00")
    assert services.sheet_total(weights, {1: D(90), 2: D(80)}) is None
    # five sheets, one incomplete: four count, nothing dropped: (81 + 70 + 60 + 50) / 4 = 65.25
    sheets = [
        {1: D(90), 2: D(80), 3: D(70)},
        {1: D(70), 2: D(70), 3: D(70)},
        {1: D(60), 2: D(60), 3: D(60)},
        {1: D(50), 2: D(50), 3: D(50)},
        {1: D(100), 3: D(100)},
    ]
    totals = [t for t in (services.sheet_total(weights, s) for s in sheets) if t is not None]
    assert services.aggregate(totals) == D("65.25")


def test_no_complete_sheet_no_score():
    assert services.aggregate([]) is None


# -- on the database -----------------------------------------------------------------------------------------


@pytest.fixture
def world(make_user):
    return make_world(make_user, blind=True)


def _reviewed(world, application, marks):
    """Draw the panel and have each seated expert score every criterion ``marks[i]``."""
    ceremony = world.call.ceremonies.first() or services.ceremony_record(
        actor=world.office, call=world.call, digits="20261130", witnesses="公证员甲"
    )
    row = services.draw_panel(actor=world.office, application=application, ceremony=ceremony)
    criteria = list(world.call.criteria.all())
    for seat, mark in zip(
        row.seats.filter(status=SeatStatus.SEATED).order_by("position"), marks, strict=True
    ):
        services.score_submit(
            actor=reviewer(seat),
            seat=seat,
            values={c.pk: mark for c in criteria},
            comments={criteria[0].pk: "思路清晰"},
        )
    return row


@pytest.mark.django_db
def test_blind_reviewer_sees_no_name_employer_or_id_and_404_when_not_assigned(world):
    world.experts(6)
    talent = world.talent("欧阳明")
    talent.id_number = "320115198805011234"
    talent.save()
    application = world.application(talent, state="accepted")
    row = _reviewed(world, application, [80, 80, 80])
    seat = row.seats.filter(status=SeatStatus.SEATED)[0]
    view = selectors.review_view(selectors.seat_get(viewer=reviewer(seat), application_pk=application.pk))
    text = repr(view)
    for secret in ("欧阳明", world.firm.name, str(talent.pk), "320115198805011234", application.number):
        assert secret not in text
    other = world.experts(1, start=50)[0]
    with pytest.raises(NotFound):
        selectors.seat_get(viewer=other.user, application_pk=application.pk)
    with pytest.raises(NotFound):
        selectors.seat_get(viewer=world.office, application_pk=application.pk)


@pytest.mark.django_db
def test_scores_are_checked_and_given_once(world):
    world.experts(3)
    application = world.application(state="accepted")
    ceremony = services.ceremony_record(actor=world.office, call=world.call, digits="123456", witnesses="甲")
    row = services.draw_panel(actor=world.office, application=application, ceremony=ceremony)
    seat = row.seats.all()[0]
    criteria = list(world.call.criteria.all())
    with pytest.raises(ValidationFailed) as refused:
        services.score_submit(actor=reviewer(seat), seat=seat, values={criteria[0].pk: 120}, comments={})
    assert set(refused.value.fields) == {f"score_{c.pk}" for c in criteria}
    with pytest.raises(PermissionDenied):
        services.score_submit(actor=world.office, seat=seat, values={}, comments={})
    services.score_submit(actor=reviewer(seat), seat=seat, values={c.pk: 70 for c in criteria}, comments={})
    with pytest.raises(Conflict):
        services.score_submit(
            actor=reviewer(seat), seat=seat, values={c.pk: 70 for c in criteria}, comments={}
        )


@pytest.mark.django_db
def test_ranking_spread_and_approval_down_the_ranking_within_places_and_budget(world):
    world.experts(9)
    world.call.places = 2
    world.call.save()
    a = world.application(state="accepted")
    b = world.application(state="accepted")
    c = world.application(state="accepted")
    _reviewed(world, a, [70, 80, 90])  # 80
    _reviewed(world, b, [90, 90, 93])  # 91
    _reviewed(world, c, [80, 80, 80])  # 80: tied with a
    ranked = services.ranking(world.call)
    assert [(r.application.pk, r.score, r.rank) for r in ranked] == [
        (b.pk, D("91.00"), 1),
        (a.pk, D("80.00"), 2),
        (c.pk, D("80.00"), 2),
    ]
    spread = services.spread(world.call)
    assert sum(row["sheets"] for row in spread) == 9
    with pytest.raises(Conflict, match=b.number):
        services.approve(actor=world.office, application=a)
    award = services.approve(actor=world.office, application=b)
    assert award.amount == D("1000000")
    assert [(i.amount, i.milestone) for i in award.instalment_rows.all()] == [
        (D("500000.00"), "立项"),
        (D("300000.00"), "中期"),
        (D("200000.00"), "结项"),
    ]
    assert award.obligation_years == 5
    talent = Talent.objects.get(pk=b.talent_id)
    assert (talent.grade, talent.tier) == ("B", "pioneer")
    assert award.certification is not None
    assert award.certification.basis == "programme"
    services.approve(actor=world.office, application=a)
    with pytest.raises(Conflict, match="名额已满"):
        services.approve(actor=world.office, application=c)
    assert Award.objects.count() == 2


@pytest.mark.django_db
def test_approval_never_exceeds_the_budget(make_user):
    world = make_world(make_user, budget=D("1500000"), places=5)
    world.experts(6)
    a = world.application(state="accepted")
    b = world.application(state="accepted")
    _reviewed(world, a, [90, 90, 90])
    _reviewed(world, b, [80, 80, 80])
    services.approve(actor=world.office, application=a)
    with pytest.raises(Conflict, match="预算"):
        services.approve(actor=world.office, application=b)
    services.move(actor=world.office, application=b, action="not_approve", note="预算用尽")
