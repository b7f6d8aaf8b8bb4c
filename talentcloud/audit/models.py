"""Audit events: who did what to which object, when, from where, with what outcome.

Rows are only ever inserted (no service updates or deletes them). The SM3 hash chain, the sealer and the
database roles that forbid UPDATE/DELETE are the trust layer's job (docs/architecture.md); the event
shape here is already the one they seal.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    SUCCESS = "success", _("success")
    FAILURE = "failure", _("failure")
    DENIED = "denied", _("denied")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # The actor is kept by value, not by foreign key: events outlive accounts.
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    source_ip = models.GenericIPAddressField(_("source IP"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_username or '-'} {self.action} {self.outcome}"
        )


class AuditSeal(models.Model):
    """One link of the hash chain: event ``event_id`` is the ``seq``-th link.

    hash = HMAC-SM3(key ``key_id``, prev_hash + canonical(event)), or SM3 of the same for seals made before
    keys existed (``key_id`` ""). Seals are inserted by the sealer shortly after the events
    commit, so business writes never wait on the chain. ``event_id`` is a plain column, not a foreign key:
    a deleted event must leave its seal behind to be found missing.
    """

    seq = models.BigIntegerField(primary_key=True)
    event_id = models.BigIntegerField(unique=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # The HMAC-SM3 key the link was sealed with ("": plain SM3, the seals made before keys existed).
    key_id = models.CharField(max_length=16, blank=True, default="")
    sealed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"seal {self.seq} of event {self.event_id}"


class DeniedAttempt(models.Model):
    """How many times one actor, from one address, was refused at one door in one 10-minute window.

    Not part of the sealed log: the first refusal of a window writes one ``security.denied`` audit event
    (``event_id``); the later ones only add to ``count`` here (one UPSERT each), so a flood of refusals can
    neither fill the audit log nor slow the sealer. Rows are counters, updated in place.
    """

    actor_key = models.CharField(max_length=40)  # "user:<id>", or "" for an anonymous caller
    source_ip = models.CharField(max_length=45, blank=True, default="")
    door = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    event_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["actor_key", "source_ip", "door", "window_start"], name="audit_denied_window_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor_key or '-'} {self.source_ip} {self.door} ×{self.count}"
