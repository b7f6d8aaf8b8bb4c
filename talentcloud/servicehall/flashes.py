"""What the case page says after an action: what was done, and to which case ("已受理 320115-…"), never only
"done"."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DONE: dict[str, Any] = {
    "submit": _("Submitted as case %(number)s."),
    "accept": _("Accepted %(number)s."),
    "return": _("Asked for more materials on %(number)s (补正)."),
    "refuse": _("Decided not to accept %(number)s."),
    "resubmit": _("Resubmitted %(number)s."),
    "part_done": _("Your department's part of %(number)s is done."),
    "conclude": _("Concluded %(number)s."),
    "answer": _("Answered the applicant on %(number)s."),
    "rate": _("Your rating of %(number)s is recorded. Thank you."),
    "close": _("Closed %(number)s."),
    "withdraw": _("Withdrew %(number)s."),
    "reassign": _("Handed %(number)s over."),
    "escalate": _("Escalated %(number)s."),
}


def done_message(action: str, case: Any, label: Any = "") -> str:
    """The flash after ``action`` on ``case`` (a draft has no number yet: it is called the draft)."""
    number = case.number or gettext("the draft")
    template = DONE.get(action)
    if template is None:  # an action added to the table later: its label says what was done
        return gettext("“%(action)s” done: %(number)s.") % {"action": label or action, "number": number}
    return str(template) % {"number": number}
