"""Notifications: an in-app inbox for everyone, e-mail and SMS for those who chose them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from talentcloud.privacy.fields import EncryptedTextField

from .events import events, render


class Channel(models.TextChoices):
    INBOX = "inbox", _("In-app inbox")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One message to one person. The inbox row is the message; ``deliveries`` records e-mail and SMS."""

    scope_unit_paths: tuple[str, ...] = ()
    scope_self_paths = ("recipient",)

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=50)
    # The event's parameters (``texts.params_encode``): title and body are written from them in the reader's
    # language when read. Rows from before parameters were kept have none and show their stored text.
    params = models.JSONField(null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)  # as written (default language): the fallback
    body = models.TextField(_("message"))
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx")
        ]

    def __str__(self) -> str:
        return self.display_title

    def rendered(self) -> tuple[str, str]:
        """Title and body in the active language; the stored text for a row without parameters or whose
        event is no longer known."""
        if self.params is None or self.event not in events():
            return self.title, self.body
        try:
            return render(self.event, self.params)
        except (KeyError, TypeError, ValueError):  # parameters that no longer fit the event's text
            return self.title, self.body

    @property
    def display_title(self) -> str:
        return self.rendered()[0]

    @property
    def display_body(self) -> str:
        return self.rendered()[1]


class Delivery(models.Model):
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    detail = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once")]

    def __str__(self) -> str:
        return f"{self.channel} {self.status}"


class Preference(models.Model):
    """Which channels a person wants besides the inbox (the inbox is always on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_pref"
    )
    email = models.BooleanField(_("by e-mail"), default=False)
    sms = models.BooleanField(_("by SMS"), default=True)
    email_address = EncryptedTextField(_("e-mail address"), blank=True)
    phone = EncryptedTextField(_("mobile number"), blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}"
