"""The talent's timeline on the detail page, built in Python.

An archive's timeline holds up to 200 lines; through the template engine each line cost a chain of six
``if``/``elif`` tests, a date filter and a translation, which made the timeline most of the page's time
once a person had some history. The markup is the one the template had; the words are translated once per
page and the needs list's address reversed once.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext as _

register = template.Library()


def _when(at: Any) -> str:
    """As the ``date:"Y-m-d H:i"`` filter shows it: in the local time."""
    if not at:
        return ""
    return (localtime(at) if is_aware(at) else at).strftime("%Y-%m-%d %H:%M")


def _line(event: Any, words: dict[str, str], needs: str) -> SafeString:
    item, kind = event.item, event.kind
    if kind == "change":
        body = format_html(
            '{} {}: {} → {} <small class="muted">{}</small>',
            words["changed"],
            item.field,
            item.before or "—",
            item.after or "—",
            item.who,
        )
    elif kind == "fact":
        verified = format_html(" · {}", words["verified"]) if item.verified else ""
        body = format_html(
            '{} {} = {} <small class="muted">{}{}</small>',
            words["fact"],
            item.key,
            item.value,
            item.get_source_display(),
            verified,
        )
    elif kind == "contact":
        body = format_html('{} · {} <small class="muted">{}</small>', item.label, item.who, item.day)
    elif kind == "need":
        late = format_html(' <strong class="overdue">{}</strong>', words["overdue"]) if item.overdue else ""
        body = format_html(
            '{}: <a href="{}{}/">{}</a> — {} · {}{}',
            words["need"],
            needs,
            item.pk,
            item.title,
            item.department,
            item.status,
            late,
        )
    elif kind == "rights":
        body = format_html("{} · {}", item.label, item.status)
    else:  # a line another app contributes (its timeline.py): heading, title (linked), label, state
        parts = [format_html("{} ", event.heading)] if event.heading else []
        parts.append(format_html('<a href="{}">{}</a>', event.url, item.title) if event.url else item.title)
        if item.label:
            parts.append(format_html(" · {}", item.label))
        if item.status:
            parts.append(format_html(' · <span data-testid="timeline-{}-state">{}</span>', kind, item.status))
        body = format_html_join("", "{}", ((part,) for part in parts))
    return format_html("<li><strong>{}</strong> {}</li>", _when(event.at), body)


@register.simple_tag
def timeline_list(events: list[Any]) -> SafeString:
    """The timeline's lines, newest first (``selectors.timeline``); "Nothing yet." when there are none."""
    if not events:
        return format_html('<li class="muted">{}</li>', _("Nothing yet."))
    words = {
        "changed": _("Changed"),
        "fact": _("Fact"),
        "verified": _("verified"),
        "need": _("Need"),
        "overdue": _("overdue"),
    }
    needs = reverse("talents:needs")  # a need's page is the needs list's address and its id
    return mark_safe("".join(_line(event, words, needs) for event in events))  # noqa: S308 (format_html)
