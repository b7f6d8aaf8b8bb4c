"""Configurable stages (#24): a call lists its stages; applications move through them in order on the shared
engine (no skipping a configured stage, no entering one the call does not have); 答辩/路演 scores are its
own, and the ranking takes the call's last scoring stage."""

from __future__ import annotations

import pytest

from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import Conflict, PermissionDenied
from talentcloud.programs import publicity, services
from talentcloud.programs.enums import SeatStatus, Stage
from talentcloud.programs.models import ApplicationEvent, Score

from .world import make_world, reviewer

pytestmark = pytest.mark.django_db

WITH_DEFENSE = ["formal_check", "written_review", "defense"]
ALL_FOUR = ["formal_check", "written_review", "defense", "site_visit"]


def _scored(world, application, value=80):
    ceremony = services.ceremony_record(actor=world.office, call=world.call, digits="123456", witnesses="甲")
    row = services.draw_panel(actor=world.office, application=application, ceremony=ceremony)
    criteria = list(world.call.criteria.all())
    seats = list(row.seats.filter(status=SeatStatus.SEATED))
    for seat in seats:
        services.score_submit(
            actor=reviewer(seat), seat=seat, values={c.pk: value for c in criteria}, comments={}
        )
    return seats


def test_the_default_call_has_formal_check_and_written_review(make_user):
    world = make_world(make_user)
    assert world.call.stages == ["formal_check", "written_review"]
    application = world.application(state="accepted")
    assert application.stage == Stage.WRITTEN_REVIEW
    with pytest.raises(Conflict, match="本批次没有“答辩/路演”阶段"):
        services.stage_advance(actor=world.office, application=application, action="to_defense")


def test_a_call_with_defense_requires_it_before_publicity(make_user):
    world = make_world(make_user, stages=WITH_DEFENSE)
    world.experts(3)
    application = world.application(state="accepted")
    seats = _scored(world, application, 80)
    with pytest.raises(Conflict, match="答辩"):
        publicity.publish(actor=world.office, call=world.call, days=5)
    moved = services.stage_advance(actor=world.office, application=application, action="to_defense")
    assert moved.stage == Stage.DEFENSE
    assert ApplicationEvent.objects.filter(application=application, action="to_defense").exists()
    assert AuditEvent.objects.filter(action="programs.stage.to_defense").exists()
    # the defence has its own sheets; the ranking uses them, not the written review's
    assert services.ranking(world.call)[0].score is None
    criteria = list(world.call.criteria.all())
    for seat in seats:
        services.score_submit(
            actor=reviewer(seat), seat=seat, values={c.pk: 90 for c in criteria}, comments={}
        )
    assert Score.objects.filter(stage=Stage.DEFENSE).count() == 3 * len(criteria)
    assert services.ranking(world.call)[0].score == 90
    publicity.publish(actor=world.office, call=world.call, days=5)


def test_a_call_without_defense_refuses_it(make_user):
    world = make_world(make_user, stages=["formal_check", "written_review", "site_visit"])
    application = world.application(state="accepted")
    with pytest.raises(Conflict, match="本批次没有“答辩/路演”阶段"):
        services.stage_advance(actor=world.office, application=application, action="to_defense")
    application.refresh_from_db()
    assert application.stage == Stage.WRITTEN_REVIEW
    services.stage_advance(actor=world.office, application=application, action="to_site_visit")


def test_a_configured_stage_is_not_skipped(make_user):
    world = make_world(make_user, stages=ALL_FOUR)
    application = world.application(state="accepted")
    with pytest.raises(Conflict, match="须先经过本批次的“答辩/路演”阶段"):
        services.stage_advance(actor=world.office, application=application, action="to_site_visit")
    application = services.stage_advance(actor=world.office, application=application, action="to_defense")
    application = services.stage_advance(actor=world.office, application=application, action="to_site_visit")
    assert application.stage == Stage.SITE_VISIT


def test_no_stage_move_before_the_formal_check_nor_by_others(make_user):
    world = make_world(make_user, stages=WITH_DEFENSE)
    application = world.application(state="recommended")
    with pytest.raises(Conflict):
        services.stage_advance(actor=world.office, application=application, action="to_defense")
    accepted = world.application(world.talent("李四"), state="accepted")
    assert accepted.talent.account is not None
    with pytest.raises(PermissionDenied):
        services.stage_advance(actor=accepted.talent.account, application=accepted, action="to_defense")


def test_the_office_moves_a_stage_by_page_and_api(make_user, login):
    world = make_world(make_user, stages=WITH_DEFENSE)
    application = world.application(state="accepted")
    client = login(world.office)
    page = client.get(f"/programs/applications/{application.pk}/")
    assert b'value="to_defense"' in page.content
    response = client.post(
        f"/programs/applications/{application.pk}/",
        {"action": "to_defense", "revision": application.revision, "note": ""},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.DEFENSE
    other = world.application(world.talent("王五"), state="accepted")
    world.call.stages = ["formal_check", "written_review"]
    world.call.save()
    response = client.post(
        f"/api/v1/programs/applications/{other.pk}/actions",
        {"action": "to_defense"},
        content_type="application/json",
    )
    assert response.status_code == 409, response.content
    assert "答辩" in str(response.json())


def test_the_expert_scores_the_defense_on_their_review_page(make_user, login):
    world = make_world(make_user, stages=WITH_DEFENSE)
    world.experts(3)
    application = world.application(state="accepted")
    seats = _scored(world, application, 70)
    expert = login(reviewer(seats[0]))
    page = f"/programs/reviews/{application.pk}/"
    assert expert.get(f"/api/v1/programs/reviews/{application.pk}").json()["submitted"] is True
    services.stage_advance(actor=world.office, application=application, action="to_defense")
    review = expert.get(f"/api/v1/programs/reviews/{application.pk}").json()
    assert review["submitted"] is False
    assert review["stage"] == "defense"
    criteria = list(world.call.criteria.all())
    response = expert.post(page, {f"score_{c.pk}": "95" for c in criteria})
    assert response.status_code == 302
    assert Score.objects.filter(seat=seats[0], stage=Stage.DEFENSE).count() == len(criteria)
    assert Score.objects.filter(seat=seats[0], stage=Stage.WRITTEN_REVIEW).count() == len(criteria)
