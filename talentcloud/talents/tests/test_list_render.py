"""The talent list's rows are formatted once per page by the view (``views/archive.py``, ``_table_rows``): the
HTML is what the table's template loop wrote, in both languages, with names escaped and gaps shown as —."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from talentcloud.enterprises.models import IndustryChain
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db

# The table's loop as the template wrote it before the rows were formatted by the view.
TEMPLATE_ROWS = Template(
    "{% load i18n %}"
    '{% translate "Name" as l_name %}{% translate "Pyramid category" as l_category %}'
    '{% translate "Highest degree" as l_degree %}{% translate "Employer" as l_employer %}'
    '{% translate "Industry chain" as l_chain %}'
    "{% url 'talents:list' as talents %}{% for t in rows %}\n"
    '    <tr><td data-label="{{ l_name }}"><a href="{{ talents }}{{ t.pk }}/">{{ t.name }}</a></td>'
    '<td data-label="{{ l_category }}">{{ t.get_category_display }}</td>'
    '<td data-label="{{ l_degree }}">{{ t.get_highest_degree_display }}</td>'
    '<td data-label="{{ l_employer }}">{{ t.employer.name|default:"—" }}</td>'
    '<td data-label="{{ l_chain }}">{{ t.chain|default:"—" }}</td></tr>\n'
    "  {% endfor %}"
)


def table_rows(html: str) -> str:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.sub(r">\s+<", "><", body.strip())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_rows_are_the_html_the_template_wrote(units, make_user, login, language):
    firm = EnterpriseFactory.create(name="紫峰 <软件> & 数据")
    person = {"gender": "F", "birth_date": dt.date(1990, 1, 1)}
    chain = IndustryChain.objects.get(code="software")
    Talent.objects.create(
        name="王<b>小明</b>",
        employer=firm,
        chain=chain,
        highest_degree="doctor",
        category="top_expert",
        **person,
    )
    Talent.objects.create(name="李华", highest_degree="bachelor", category="young", **person)
    client = login(make_user("talent-office", "320115-ZZB"))
    client.cookies["django_language"] = language
    with translation.override(language):
        page = client.get("/talents/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        rows = list(Talent.objects.select_related("employer", "chain").order_by("name", "id"))
        expected = TEMPLATE_ROWS.render(Context({"rows": rows}))
    assert table_rows(page) == re.sub(r">\s+<", "><", expected.strip())
    assert "王&lt;b&gt;小明&lt;/b&gt;" in page
    assert "—" in page
    assert "紫峰 &lt;软件&gt; &amp; 数据" in page


def test_an_empty_list_says_so(units, make_user, login):
    page = login(make_user("talent-office", "320115-ZZB")).get("/talents/?q=nobody").content.decode()
    assert "没有符合条件的人才。" in page or "No talent matches." in page
