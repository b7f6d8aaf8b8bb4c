"""The worklist page's cost does not grow with its rows: its labels and links are prepared once per page, its
queries are the same for a few cases or a full page, and a page read by ids keeps the list's order."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from talentcloud.accounts.models import OrgUnit
from talentcloud.servicehall import cases
from talentcloud.servicehall.models import Case, CasePart

pytestmark = pytest.mark.django_db


def _cases(service: Any, applicant: Any, count: int, *, handler: Any = None, start: int = 0) -> list[Case]:
    today = timezone.localdate()
    made = []
    for i in range(start, start + count):
        due = today + dt.timedelta(days=(i % 9) - 4)  # overdue, due soon and later: every colour
        made.append(
            Case.objects.create(
                number=f"T-{i:05d}",
                service=service,
                version=service.current,
                applicant=applicant,
                applicant_name=f"申请人{i}",
                state="submitted" if i % 4 == 0 else "in_progress",
                department=service.department,
                handler=handler if i % 2 else None,
                submitted_at=timezone.now() - dt.timedelta(days=i % 5),
                accepted_on=today - dt.timedelta(days=10),
                due_on=due,
                yellow_on=due - dt.timedelta(days=2),
            )
        )
    return made


def test_the_worklist_runs_the_same_queries_for_few_rows_or_many(catalogue, applicant, make_user, login):
    service = catalogue["policy-consultation"]
    staff = make_user("service-staff", "320115-ZZB")
    client = login(staff)
    counts = []
    made = _cases(service, applicant, 3, handler=staff)
    for url in ("/hall/work/", "/hall/work/?colour=red"):
        client.get(url)  # the session's and the user's first reads out of the way
    cursor = cases.cursor_make(cases.WorkCursor(made[0].due_on, made[0].submitted_at, made[0].pk))
    for total in (3, 40):
        if total > len(made):
            made += _cases(service, applicant, total - len(made), handler=staff, start=len(made))
        for url in ("/hall/work/", "/hall/work/?colour=red", f"/hall/work/?state=in_progress&after={cursor}"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append((url, len(queries)))
    assert counts[:3] == counts[3:]


def test_each_row_shows_its_link_state_clock_and_handler(catalogue, applicant, make_user, login):
    service = catalogue["policy-consultation"]
    staff = make_user("service-staff", "320115-ZZB")
    staff.display_name = "窗口张三"
    staff.save()
    late, waiting = _cases(service, applicant, 2, handler=staff, start=1)  # 1: overdue, handled; 2: no one
    Case.objects.filter(pk=waiting.pk).update(handler=None, state="submitted")
    page = login(staff).get("/hall/work/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'<a href="/hall/cases/{late.pk}/">{late.number}</a>' in page
    assert f'<span class="clock clock-red">{late.due_on}</span>' in page  # ISO: 2026-11-27
    assert '<td data-label="状态">办理中</td>' in page
    assert '<td data-label="经办人">窗口张三</td>' in page
    choose = f'<input type="checkbox" name="case" value="{waiting.pk}" aria-label="选择 {waiting.number}">'
    assert choose in page


def test_a_page_read_by_ids_keeps_the_lists_order(catalogue, applicant, make_user):
    service = catalogue["policy-consultation"]
    staff = make_user("service-staff", "320115-ZZB")
    _cases(service, applicant, 11)
    work = cases.worklist(viewer=staff, filters=cases.worklist_filters({}))
    open_work = Case.objects.filter(state__in=cases.WORK_STATES)
    everything = list(open_work.order_by("due_on", "submitted_at", "id"))
    assert len(everything) == 11
    assert [c.pk for c in work.page(3, 5)] == [c.pk for c in everything[3:8]]
    assert [c.pk for c in work.page(9, 5)] == [c.pk for c in everything[9:]]
    assert work.count(5) == 5
    assert work.count(50) == len(everything)


def test_a_department_sees_its_cases_and_its_open_joint_parts_merged_in_deadline_order(
    catalogue, applicant, make_user
):
    """Two parts, one order: the cases a department leads and those where it holds an open joint part
    interleave by deadline across pages; a finished part drops out; each case is listed once."""
    service = catalogue["policy-consultation"]  # led by another department than the staff's
    staff = make_user("service-staff", "320115-RSJ")
    rsj = OrgUnit.objects.get(code="320115-RSJ")
    assert service.department_id != rsj.pk
    theirs = _cases(service, applicant, 6)
    own = _cases(service, applicant, 6, start=6)
    Case.objects.filter(pk__in=[c.pk for c in own]).update(department=rsj)
    for i, case in enumerate(theirs):
        status = ("waiting", "active", "done")[i % 3]
        CasePart.objects.create(case=case, department=rsj, order=1, status=status)
    CasePart.objects.create(case=own[0], department=rsj, order=2, status="active")  # its own case, joint too
    expected = [c.pk for c in own] + [c.pk for i, c in enumerate(theirs) if i % 3 != 2]
    ordered = list(Case.objects.filter(pk__in=expected).order_by("due_on", "submitted_at", "id"))
    work = cases.worklist(viewer=staff, filters=cases.worklist_filters({}))
    assert len(work.parts) == 2
    listed = work.page(0, 5) + work.page(5, 5)
    assert [c.pk for c in listed] == [c.pk for c in ordered]
    assert work.count() == 10
    assert work.count(7) == 7
    red = cases.worklist(viewer=staff, filters=cases.worklist_filters({"colour": "red"}))
    today = timezone.localdate()
    overdue = [c.pk for c in ordered if c.state == "in_progress" and c.due_on and c.due_on < today]
    assert overdue
    assert [c.pk for c in red.page(0, 50)] == overdue


def test_next_links_walk_every_case_once_in_order_and_a_forged_cursor_starts_over(
    catalogue, applicant, make_user, login
):
    """Keyset pages: following "Next" from the first page lists each open case exactly once, those with a
    deadline first (earliest first), then those not yet accepted; a cursor not made by the platform gives
    the first page."""
    service = catalogue["policy-consultation"]
    staff = make_user("service-staff", "320115-ZZB")
    made = _cases(service, applicant, 57)
    undated_ids = [c.pk for c in made[::5]]
    Case.objects.filter(pk__in=undated_ids).update(due_on=None, yellow_on=None, state="submitted")
    client = login(staff)
    seen: list[str] = []
    url = "/hall/work/"
    for _page in range(5):
        page = client.get(url).content.decode()
        seen += re.findall(r'<a href="/hall/cases/[0-9a-f-]+/">(T-\d+)</a>', page)
        following = re.search(r'<a href="(\?[^"]*)" rel="next"', page)
        if following is None:
            break
        url = "/hall/work/" + html.unescape(following.group(1))
    rows = Case.objects.filter(pk__in=[c.pk for c in made])
    dated = rows.exclude(due_on=None).order_by("due_on", "submitted_at", "id")
    undated = rows.filter(due_on=None).order_by("submitted_at", "id")
    assert seen == [c.number for c in dated] + [c.number for c in undated]
    assert len(seen) == len(set(seen)) == 57
    work = cases.worklist(viewer=staff, filters=cases.worklist_filters({}))
    assert [c.number for c in work.page(45, 10)] == seen[45:55]  # the API's and the export's pages agree
    forged = client.get("/hall/work/?after=not-a-cursor")
    assert forged.status_code == 200
    assert re.findall(r'<a href="/hall/cases/[0-9a-f-]+/">(T-\d+)</a>', forged.content.decode()) == seen[:50]
