"""The consent the 免申即享 sweep reads (``talents.consents.withdrawn("policy_push")``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.talents.consents import Purpose

CONSENT_PURPOSES = {
    # 免申即享 notices go out until the talent turns them off (the box on their page shows this, and the sweep
    # reads the same answer through ``withdrawn``).
    "policy_push": Purpose(
        label=_("Tell me about policies I qualify for (免申即享)"), default=True, order=10
    ),
}
