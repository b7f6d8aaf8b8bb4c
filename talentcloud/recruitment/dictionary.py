"""What follows a change of the skills dictionary: a new version for every process's tokenizer, and once the
change commits, a background job re-tokenising what was indexed under the old dictionary."""

from __future__ import annotations

from django.db import transaction

from talentcloud.common import versions
from talentcloud.talents.tasks import search_words_changed_job

from .search_words import VERSION


def skills_changed(terms: list[str]) -> None:
    """Call inside the transaction that changed ``terms`` (added, or taken in or out of use)."""
    versions.bump(VERSION)
    words = sorted(set(terms))
    transaction.on_commit(lambda: search_words_changed_job.enqueue(words=words))
