"""The replayable draw (#24, ADR 0027): no drawn reviewer ever has a conflict; a standalone script reproduces
every panel from the published digest and digits; a second draw needs a reason; a decline's replacement and a
conflict's replacement come from the same recorded stream."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import Conflict, ValidationFailed
from talentcloud.programs import draw, selectors, services
from talentcloud.programs.conflicts import History, Side, reasons
from talentcloud.programs.enums import SeatStatus, TieKind
from talentcloud.programs.models import Draw, Expert, Seat

from .world import make_world, reviewer

SCRIPT = Path(settings.BASE_DIR) / "tools" / "replay_draw.py"
TODAY = dt.date(2026, 11, 30)

# -- pure: the generator and the conflict rule ---------------------------------------------------------------

institutions = st.sampled_from(["东南大学", "南京大学", "河海大学", "紫峰芯片", "南京理工大学"])
people = st.sampled_from(["张三", "李四", "王五", "赵六", "钱七"])
days = st.dates(min_value=dt.date(2015, 1, 1), max_value=TODAY)
affiliation = st.tuples(institutions, days, st.one_of(st.none(), days)).map(
    lambda a: (a[0], a[1], None if a[2] is None else max(a[1], a[2]))
)
tie = st.tuples(st.sampled_from(list(TieKind.values)), st.just(None), people, st.one_of(st.none(), days))
history = st.builds(
    History,
    affiliations=st.lists(affiliation, max_size=3).map(tuple),
    ties=st.lists(tie, max_size=2).map(tuple),
)
side = st.builds(
    Side,
    talents=st.just(frozenset()),
    names=st.sets(people, min_size=1, max_size=3).map(frozenset),
    institutions=st.sets(institutions, min_size=1, max_size=2).map(frozenset),
)


@hsettings(max_examples=300, deadline=None)
@given(
    pool=st.lists(history, min_size=1, max_size=25),
    application=side,
    digits=st.text("0123456789", min_size=6, max_size=12),
    size=st.integers(1, 7),
    late=st.lists(st.tuples(st.integers(0, 24), tie), max_size=4),
)
def test_no_drawn_reviewer_ever_has_a_conflict(pool, application, digits, size, late):
    """Over generated pools and histories: the frozen pool holds no conflicted expert, the panel is drawn
    from it, and ties recorded after the draw strike the seats they touch, whose replacements again have no
    conflict."""
    codes = {f"E{i:04d}": h for i, h in enumerate(pool)}
    frozen = [c for c, h in codes.items() if not reasons(h, application, today=TODAY, years=3)]
    panel = draw.panel("A-1", frozen, digits, size)
    assert all(not reasons(codes[c], application, today=TODAY, years=3) for c in panel)
    for index, new_tie in late:  # ties recorded after the draw
        code = f"E{index % len(pool):04d}"
        h = codes[code]
        codes[code] = History(h.affiliations, (*h.ties, new_tie))
    struck = [c for c in frozen if reasons(codes[c], application, today=TODAY, years=3)]
    replayed = draw.panel("A-1", frozen, digits, size, struck)
    assert all(not reasons(codes[c], application, today=TODAY, years=3) for c in replayed)
    assert len(replayed) == min(size, len(frozen) - len(struck))


def test_the_generator_is_uniform_enough_and_a_permutation():
    seed = draw.seed_of(draw.pool_digest("A-1", ["E1", "E2", "E3"]), "123456")
    firsts = dict.fromkeys(("E1", "E2", "E3"), 0)
    for n in range(3000):
        order = draw.permutation(["E1", "E2", "E3"], draw.seed_of("d", str(n)))
        assert sorted(order) == ["E1", "E2", "E3"]
        firsts[order[0]] += 1
    assert all(800 < count < 1200 for count in firsts.values()), firsts
    assert draw.permutation(["E1", "E2", "E3"], seed) == draw.permutation(["E3", "E2", "E1"], seed)


def test_the_standalone_script_imports_nothing_of_the_project():
    text = SCRIPT.read_text()
    imports = [line for line in text.splitlines() if line.startswith(("import ", "from "))]
    assert imports == ["from __future__ import annotations", "import hashlib", "import json", "import sys"]


def test_the_script_and_the_platform_agree_on_generated_draws(tmp_path):
    rnd = random.Random(24)
    cases = []
    for n in range(60):
        pool = sorted({f"E{rnd.randrange(1, 999):04d}" for _ in range(rnd.randrange(1, 30))})
        digits = "".join(rnd.choice("0123456789") for _ in range(rnd.randrange(6, 15)))
        size = rnd.randrange(1, 8)
        struck = rnd.sample(pool, rnd.randrange(0, len(pool)))
        number = f"zjs-2026-{n:04d}"
        cases.append(
            {
                "application": number,
                "pool": pool,
                "digest": draw.pool_digest(number, pool),
                "digits": digits,
                "size": size,
                "struck": struck,
                "panel": draw.panel(number, pool, digits, size, struck),
            }
        )
    published = tmp_path / "draws.json"
    published.write_text(json.dumps({"draws": cases}))
    done = subprocess.run([sys.executable, "-I", str(SCRIPT), str(published)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "60 of 60 panels reproduced" in done.stdout
    cases[7]["panel"] = ["E9999"]  # not a code of the pool: cannot be what the draw gave
    published.write_text(json.dumps({"draws": cases}))
    done = subprocess.run([sys.executable, "-I", str(SCRIPT), str(published)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "panel DIFFERS" in done.stdout


# -- the platform: draws on the database ---------------------------------------------------------------------


@pytest.fixture
def world(make_user):
    return make_world(make_user)


def _seated(row: Draw) -> list[str]:
    return list(
        row.seats.filter(status=SeatStatus.SEATED).order_by("position").values_list("expert__code", flat=True)
    )


@pytest.mark.django_db
def test_every_panel_replays_from_the_published_digest_and_digits(world, tmp_path):
    experts = world.experts(9)
    ceremony = services.ceremony_record(
        actor=world.office, call=world.call, digits="20261130", witnesses="公证员甲"
    )
    apps = [world.application(state="accepted") for _ in range(3)]
    rows = [services.draw_panel(actor=world.office, application=a, ceremony=ceremony) for a in apps]
    seat = Seat.objects.filter(draw=rows[0], status=SeatStatus.SEATED).order_by("position")[0]
    services.seat_decline(actor=reviewer(seat), seat=seat, reason="认识申请人")
    services.tie_add(actor=world.office, expert=experts[0], kind=TieKind.FAMILY, talent=apps[1].talent)
    services.draw_panel(
        actor=world.office, application=apps[2], ceremony=ceremony, reason="第一次抽取时专家库有误"
    )
    published = selectors.published_draws(world.call)
    assert len(published["draws"]) == 4
    assert all("name" not in json.dumps(d, ensure_ascii=False) for d in published["draws"])
    path = tmp_path / "draws.json"
    path.write_text(json.dumps(published, ensure_ascii=False))
    done = subprocess.run([sys.executable, "-I", str(SCRIPT), str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    assert "4 of 4 panels reproduced" in done.stdout


@pytest.mark.django_db
def test_a_second_draw_without_a_recorded_reason_is_refused(world):
    world.experts(5)
    ceremony = services.ceremony_record(
        actor=world.office, call=world.call, digits="314159", witnesses="监督员乙"
    )
    application = world.application(state="accepted")
    first = services.draw_panel(actor=world.office, application=application, ceremony=ceremony)
    with pytest.raises(ValidationFailed) as refused:
        services.draw_panel(actor=world.office, application=application, ceremony=ceremony, reason="  ")
    assert "reason" in refused.value.fields
    assert Draw.objects.filter(application=application).count() == 1
    second = services.draw_panel(
        actor=world.office, application=application, ceremony=ceremony, reason="专家库更新"
    )
    first.refresh_from_db()
    assert (first.active, second.active, second.attempt) == (False, True, 2)
    assert application.events.filter(action="draw", note__contains="专家库更新").exists()


@pytest.mark.django_db
def test_a_declines_replacement_is_the_same_for_the_same_seed(world):
    world.experts(8)
    ceremony = services.ceremony_record(
        actor=world.office, call=world.call, digits="271828", witnesses="公证员甲"
    )
    application = world.application(state="accepted")
    row = services.draw_panel(actor=world.office, application=application, ceremony=ceremony)
    order = draw.permutation(row.pool, draw.seed_of(row.digest, "271828"))
    assert _seated(row) == order[:3]
    seat = row.seats.get(expert__code=order[1])
    replacement = services.seat_decline(actor=reviewer(seat), seat=seat, reason="时间冲突")
    assert replacement == [order[3]]
    assert _seated(row) == [order[0], order[2], order[3]]
    again = draw.panel(application.number, row.pool, "271828", 3, [order[1]])
    assert again == _seated(row)


@pytest.mark.django_db
def test_a_tie_added_after_the_draw_flags_the_panel_and_replaces_from_the_stream(world):
    world.experts(8)
    ceremony = services.ceremony_record(
        actor=world.office, call=world.call, digits="161803", witnesses="公证员甲"
    )
    application = world.application(state="accepted")
    row = services.draw_panel(actor=world.office, application=application, ceremony=ceremony)
    order = draw.permutation(row.pool, draw.seed_of(row.digest, "161803"))
    seated = row.seats.get(expert__code=order[0]).expert
    # a tie of a pool member not yet drawn (the next in the stream) and one of a seated member
    next_up = Expert.objects.get(code=order[3])
    services.tie_add(
        actor=world.office, expert=next_up, kind=TieKind.ADVISOR, person_name=application.talent.name
    )
    services.tie_add(actor=world.office, expert=seated, kind=TieKind.PARTNER, talent=application.talent)
    assert _seated(row) == [order[1], order[2], order[4]]
    flagged = row.seats.get(expert=seated)
    assert (flagged.status, flagged.reason) == (SeatStatus.CONFLICT, "partner")
    assert application.events.filter(action="panel_conflict").exists()
    assert AuditEvent.objects.filter(action="programs.seat_conflict").exists()
    for code in _seated(row):
        assert services.conflicts_of(Expert.objects.get(code=code), application) == []


@pytest.mark.django_db
def test_the_pool_leaves_out_conflicts_and_experts_at_their_cap(world):
    experts = world.experts(6)
    services.expert_save(
        actor=world.office,
        code=experts[0].code,
        name=experts[0].name,
        fields=["F03"],
        user=experts[0].user,
        affiliations=[(world.firm.name, dt.date(2020, 1, 1), None)],
    )
    talent = world.talent()
    application = world.application(talent, state="accepted")
    services.tie_add(
        actor=world.office,
        expert=experts[1],
        kind=TieKind.CO_APPLICANT,
        talent=talent,
        on=dt.date(2015, 1, 1),
    )  # outside the 3-year window: no conflict
    services.tie_add(
        actor=experts[2].user,
        expert=experts[2],
        kind=TieKind.COLLABORATOR,
        person_name=talent.name,
        on=dt.date.today(),
    )
    pool = {e.code for e in services.eligible_pool(application)}
    assert pool == {e.code for e in experts} - {experts[0].code, experts[2].code}


@pytest.mark.django_db
def test_too_small_a_pool_is_said_and_nothing_drawn(world):
    world.experts(2)
    ceremony = services.ceremony_record(actor=world.office, call=world.call, digits="123456", witnesses="甲")
    application = world.application(state="accepted")
    with pytest.raises(Conflict):
        services.draw_panel(actor=world.office, application=application, ceremony=ceremony)
    assert not Draw.objects.exists()


@pytest.mark.django_db
def test_ceremony_digits_are_checked(world):
    with pytest.raises(ValidationFailed) as refused:
        services.ceremony_record(actor=world.office, call=world.call, digits="12a", witnesses="")
    assert set(refused.value.fields) == {"digits", "witnesses"}
