"""The skills dictionary is the Chinese tokenizer's user dictionary (``talents.search.WordList``): every
process rebuilds its tokenizer when the version ``recruitment.skills`` changes
(``dictionary.skills_changed``)."""

from __future__ import annotations

from django.db.models import Count, Max, Q

from talentcloud.talents.search import WordList

from .models import Skill

VERSION = "recruitment.skills"


def _words() -> list[str]:
    return list(Skill.objects.filter(active=True).values_list("term", flat=True))


def _stamp() -> str:
    state = Skill.objects.aggregate(n=Count("id"), active=Count("id", filter=Q(active=True)), top=Max("id"))
    return f"{state['n']}:{state['active']}:{state['top']}"


SEARCH_WORDS = [WordList(version=VERSION, words=_words, stamp=_stamp)]
