"""The Chinese catalogue reads as Chinese: Chinese punctuation after Chinese text (no ASCII colon such as
"准予: …", no "。。"), ages in 岁, links to an item say 查看 (not 待办), and the label separator is "："."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

HAN = "\u3400-\u4dbf\u4e00-\u9fff"
CHINESE_THEN_ASCII = re.compile(f"[{HAN}）」”》、，。；：][ ]?[:;]")  # 准予: … / 年份; …
DOUBLE_STOP = re.compile(r"。\s*。|。\.|\.。")


def catalogue() -> polib.POFile:
    path = Path(settings.BASE_DIR) / "talentcloud/locale/zh_Hans/LC_MESSAGES/django.po"
    return polib.pofile(str(path))


def translations() -> list[tuple[polib.POEntry, str]]:
    return [
        (entry, text)
        for entry in catalogue()
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if text
    ]


def test_no_ascii_colon_or_semicolon_after_chinese_text():
    bad = [(e.msgid, text) for e, text in translations() if CHINESE_THEN_ASCII.search(text)]
    assert bad == []


def test_no_doubled_full_stop():
    bad = [(e.msgid, text) for e, text in translations() if DOUBLE_STOP.search(text)]
    assert bad == []
    # A free-text parameter (a note, a reason) may end with its own 。: none is followed by another one.
    after_note = re.compile(r"%\((note|reason|comment)\)s[。.]")
    assert [(e.msgid, text) for e, text in translations() if after_note.search(text)] == []


def test_the_scan_catches_what_it_should():
    assert CHINESE_THEN_ASCII.search("准予: 符合条件")
    assert CHINESE_THEN_ASCII.search("年龄:30")
    assert not CHINESE_THEN_ASCII.search("准予：符合条件")
    assert not CHINESE_THEN_ASCII.search("Time: 10:30")
    assert DOUBLE_STOP.search("请补充材料。。")


def test_words_that_were_wrong_are_right():
    entries = {(e.msgctxt, e.msgid): e.msgstr for e in catalogue()}
    assert entries[(None, "View")] == "查看"
    assert entries[("age", " years")] == " 岁"
    assert entries[(None, "%(age)s years old")] == "%(age)s 岁"
    assert [entries[(None, band)] for band in ("Under 35", "35–45", "45–55", "55 and over")] == [
        "35 岁以下",
        "35–45 岁",
        "45–55 岁",
        "55 岁及以上",
    ]
    assert entries[(None, "Field code")] != "密钥"
    assert entries[("label separator", ": ")] == "："


def test_the_colon_tag_follows_the_language():
    template = Template("{% load wording %}准予{% colon %}符合条件")
    with translation.override("zh-hans"):
        assert template.render(Context()) == "准予：符合条件"
    with translation.override("en"):
        assert template.render(Context()) == "准予: 符合条件"
