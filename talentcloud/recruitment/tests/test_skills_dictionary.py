"""The skills dictionary is the tokenizer's user dictionary: an imported skill stays one term; the change
reaches every process through its version; a background job re-tokenises what was indexed before."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from talentcloud.recruitment.importing import SkillImporter
from talentcloud.recruitment.models import Skill
from talentcloud.talents import search
from talentcloud.talents.models import Talent
from talentcloud.talents.selectors import talent_list
from talentcloud.talents.tests.factories import TalentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def check_every_time(settings):
    settings.TALENTCLOUD_SEARCH_WORDS_CHECK_SECONDS = 0


def skills_sheet(*rows: tuple[str, ...]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([str(c.header) for c in SkillImporter.columns])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_imported_skill_stays_one_term_and_old_index_entries_are_retokenised(
    make_user, django_capture_on_commit_callbacks
):
    office = make_user("talent-office", "320115-ZZB")
    talent = TalentFactory.create(post="集成电路设计工程师")
    other = TalentFactory.create(post="会计")
    assert "集成电路设计" not in search.tokens("集成电路设计工程师")
    assert "集成电路设计" not in Talent.objects.get(pk=talent.pk).search_tokens.split()
    before_other = Talent.objects.get(pk=other.pk).search_tokens

    with django_capture_on_commit_callbacks(execute=True):
        result = SkillImporter().run(data=skills_sheet(("集成电路设计", "是")), actor=office)
    assert result.ok
    assert result.created == 1

    assert "集成电路设计" in search.tokens("集成电路设计工程师")
    assert "集成电路" in search.tokens("集成电路设计工程师")  # the default pieces stay
    assert "集成电路设计" in Talent.objects.get(pk=talent.pk).search_tokens.split()  # the job re-tokenised it
    assert Talent.objects.get(pk=other.pk).search_tokens == before_other
    found = talent_list(viewer=office, query="集成电路设计")
    assert list(found.values_list("pk", flat=True)) == [talent.pk]

    with django_capture_on_commit_callbacks(execute=True):
        SkillImporter().run(data=skills_sheet(("集成电路设计", "否")), actor=office)
    assert "集成电路设计" not in search.tokens("集成电路设计工程师")


def test_another_process_rebuilds_when_the_dictionary_changes(make_user):
    """A process holding a tokenizer built before the change rebuilds at its next check."""
    assert search.user_tokenizer() is None  # no skill yet: the default tokenizer alone
    office = make_user("talent-office", "320115-ZZB")
    SkillImporter().run(data=skills_sheet(("射频前端",)), actor=office)
    rebuilt = search.user_tokenizer()
    assert rebuilt is not None
    assert "射频前端" in rebuilt.cut("射频前端芯片")
    assert "射频前端" in search.tokens("射频前端芯片")


@pytest.mark.django_db(transaction=True)  # real commits: the bump is sent by the import's own commit
def test_with_a_shared_cache_the_version_carries_the_change(make_user, settings, tmp_path):
    """With a cache every process shares (here files; Redis in production), a process reads one token, not the
    table: a skill written without the import's bump is not picked up, the import's bump is, at the next
    check of every process."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    office = make_user("talent-office", "320115-ZZB")
    SkillImporter().run(data=skills_sheet(("射频前端",)), actor=office)
    assert "射频前端" in search.tokens("射频前端芯片")
    Skill.objects.create(term="版图验证")  # not through the import: no new version
    assert "版图验证" not in search.tokens("版图验证工程师")
    SkillImporter().run(data=skills_sheet(("毫米波",)), actor=office)
    assert "毫米波" in search.tokens("毫米波雷达")
    assert "版图验证" in search.tokens("版图验证工程师")  # the rebuild reads the whole dictionary
