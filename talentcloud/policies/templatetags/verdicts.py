"""The calculator's list of verdicts, built in Python.

The calculator page shows every policy in force (some 50) with its reasons on every request; through the
template engine that list cost about 3 ms of each request's ~17 ms. The markup is the one the template had:
the policies that fit or may fit in full, the rest folded under "why".
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def _status(verdict: Any) -> str:
    if verdict.status == "eligible":
        return _("Eligible")
    if verdict.status == "missing":
        return _("Information missing")
    return _("Eligible, but a better one of its group applies")


def _card(verdict: Any, library: str) -> SafeString:
    policy = verdict.policy
    extras = []
    if verdict.amount:
        extras.append(format_html(" · <strong>{}</strong>", verdict.amount.text()))
    entitlement = verdict.entitlement()
    if entitlement:
        extras.append(format_html(" · {}", entitlement))
    items = format_html_join("", "<li>{}</li>", ((line,) for line in [*verdict.reasons, *verdict.notes]))
    if verdict.amount and verdict.amount.steps:  # how the amount was computed, so it can be checked
        items = format_html(
            '{}<li data-testid="computation-{}">{}{}</li>',
            items,
            policy.code,
            _("Computation: "),
            verdict.amount.computation(),
        )
    apply = ""
    if verdict.status == "eligible" and policy.service:
        apply = format_html(
            '<a href="{}">{}</a>',
            reverse("servicehall:service", args=[policy.service.code]),
            _("Apply through the service hall"),
        )
    return format_html(
        '<article data-testid="verdict-{code}" class="verdict verdict-{status}">'
        '<header><strong><a href="{library}{code}/">{title}</a></strong> · '
        '<span data-testid="status-{code}">{label}</span>{extras} '
        '<small class="muted">v{version}</small></header>'
        "<ul>{items}</ul>{apply}</article>",
        code=policy.code,
        status=verdict.status,
        library=library,
        title=str(policy),
        label=_status(verdict),
        extras=mark_safe("".join(extras)),  # noqa: S308 (each part built by format_html)
        version=policy.version,
        items=items,
        apply=apply,
    )


@register.simple_tag
def verdict_list(verdicts: list[Any], library: str) -> SafeString:
    """Verdicts that fit or may fit, each in full; the ones that do not fit folded, with why. A policy's
    page is the library's address and its code (one reverse per page)."""
    decided = [v for v in verdicts if v.decided]
    cards = mark_safe("".join(_card(v, library) for v in verdicts if not v.decided))  # noqa: S308
    if not decided:
        return cards
    summary = ngettext("%(n)s policy does not fit (why)", "%(n)s policies do not fit (why)", len(decided)) % {
        "n": len(decided)
    }
    rows = format_html_join(
        "",
        '<li data-testid="verdict-{}"><a href="{}{}/">{}</a> '
        '<span data-testid="status-{}" class="muted">{}</span>: {}</li>',
        (
            (
                v.policy.code,
                library,
                v.policy.code,
                str(v.policy),
                v.policy.code,
                _("Not eligible"),
                " ".join(v.reasons),
            )
            for v in decided
        ),
    )
    folded = format_html(
        '<details data-testid="not-eligible"><summary>{}</summary><ul>{}</ul></details>', summary, rows
    )
    return format_html("{}{}", cards, folded)
