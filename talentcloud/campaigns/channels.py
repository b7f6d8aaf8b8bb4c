"""The channels an application comes through (渠道): ``direct``, a ``campaign`` (招贤令), a 双选会
``session``, and the kinds higher apps register (the stations app: an ``event``, an overseas ``station``).

An apply address names its channel as ``?via=<kind>:<ref>`` (``via=campaign:<uuid>``); the channel checks the
reference for the post and the talent before anything is written, and the application keeps the kind and the
reference for the office's conversion figures. A higher app declares its kinds in its own
``campaign_channels.py``::

    CHANNELS = [Channel("event", _("Talent event"), check=event_check, describe=event_name)]

(the registry discovers them, ``common.registries``); this app never imports that app."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.common.errors import ValidationFailed
from talentcloud.common.registries import Declarations

from .enums import CampaignState
from .models import Campaign, FairSession, SessionRegistration

# check(ref, demand, account) -> a problem to show at the "via" field, or None when the reference holds.
Check = Callable[[str, Any, Any], Any]


@dataclass(frozen=True)
class Channel:
    kind: str
    label: Any
    check: Check | None = field(default=None, compare=False)  # None: the kind takes no reference
    describe: Callable[[str], str] | None = field(default=None, compare=False)  # a reference's readable name


@dataclass(frozen=True)
class Via:
    """A channel as an application records it."""

    kind: str
    ref: str = ""

    @property
    def code(self) -> str:
        return f"{self.kind}:{self.ref}" if self.ref else self.kind


def _uuid(ref: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(ref)
    except ValueError:
        return None


def campaign_check(ref: str, demand: Any, account: Any) -> Any:
    pk = _uuid(ref)
    today = timezone.localdate()
    campaign = Campaign.objects.filter(pk=pk, state=CampaignState.PUBLISHED).first() if pk else None
    if campaign is None or not campaign.posts.filter(pk=demand.pk).exists():
        return _("This campaign does not list this post.")
    if not campaign.starts_on <= today <= campaign.ends_on:
        return _("This campaign is not running today (%(start)s – %(end)s).") % {
            "start": campaign.starts_on.isoformat(),
            "end": campaign.ends_on.isoformat(),
        }
    return None


def session_check(ref: str, demand: Any, account: Any) -> Any:
    pk = _uuid(ref)
    session = FairSession.objects.filter(pk=pk).first() if pk else None
    if session is None or not session.posts.filter(pk=demand.pk).exists():
        return _("This job fair session does not list this post.")
    now = timezone.now()
    if not session.starts_at <= now < session.ends_at:
        return _("The job fair session takes applications only while it is open.")
    if not SessionRegistration.objects.filter(session=session, account=account).exists():
        return _("Register for the job fair session first.")
    return None


def _campaign_name(ref: str) -> str:
    pk = _uuid(ref)
    return str(Campaign.objects.filter(pk=pk).values_list("title", flat=True).first() or ref) if pk else ref


def _session_name(ref: str) -> str:
    pk = _uuid(ref)
    return (
        str(FairSession.objects.filter(pk=pk).values_list("title", flat=True).first() or ref) if pk else ref
    )


BUILT_IN = [
    Channel("direct", _("Direct")),
    Channel("campaign", _("Campaign (招贤令)"), check=campaign_check, describe=_campaign_name),
    Channel("session", _("Job fair session (双选会)"), check=session_check, describe=_session_name),
]

# ``CHANNELS = [...]`` in every installed app's ``campaign_channels.py``.
CHANNELS: Declarations[Channel] = Declarations("campaign_channels", "CHANNELS")


def channels() -> dict[str, Channel]:
    """Every channel kind: the built-in ones, then the installed apps' (a kind is declared once)."""
    found = {c.kind: c for c in BUILT_IN}
    for channel in CHANNELS.items():
        if channel.kind in found:
            raise ValueError(f"channel kind {channel.kind!r} is declared twice")
        found[channel.kind] = channel
    return found


def parse_via(via: str, *, demand: Any, account: Any) -> Via:
    """``<kind>:<ref>`` (or nothing: direct), checked by its channel for this post and talent; a bad one is a
    ValidationFailed at the field ``via``."""
    via = (via or "").strip()
    if not via:
        return Via("direct")
    kind, _sep, ref = via.partition(":")
    channel = channels().get(kind)
    if channel is None:
        raise ValidationFailed(fields={"via": [_("Unknown channel “%(kind)s”.") % {"kind": kind[:20]}]})
    if channel.check is None:
        if ref:
            raise ValidationFailed(fields={"via": [_("This channel takes no reference.")]})
        return Via(kind)
    if not ref or len(ref) > 64:
        raise ValidationFailed(fields={"via": [_("The channel needs its reference (kind:reference).")]})
    problem = channel.check(ref, demand, account)
    if problem:
        raise ValidationFailed(fields={"via": [problem]})
    return Via(kind, ref)


def channel_label(kind: str) -> str:
    channel = channels().get(kind)
    return str(channel.label) if channel else kind


def ref_name(kind: str, ref: str) -> str:
    channel = channels().get(kind)
    if not ref or channel is None or channel.describe is None:
        return ref
    return channel.describe(ref)
