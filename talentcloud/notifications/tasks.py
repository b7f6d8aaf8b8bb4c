"""Delivering e-mail and SMS for a notification. The task gets the notification id only."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.utils import timezone, translation
from django_tasks import task

from talentcloud.accounts.sms import backend

from .models import Channel, Delivery, DeliveryStatus, Preference

logger = logging.getLogger(__name__)


def _sms_allowed(phone: str) -> bool:
    """At most ``settings.SMS_NOTIFY_PER_HOUR`` messages to one phone an hour (a fixed window)."""
    key = f"sms-notify:{timezone.now():%Y%m%d%H}:{phone}"
    cache.add(key, 0, 3600)
    return cache.incr(key) <= settings.SMS_NOTIFY_PER_HOUR


@task()
def notification_deliver(notification_id: int) -> None:

    for delivery in Delivery.objects.filter(notification_id=notification_id, status=DeliveryStatus.PENDING):
        # Claim the delivery first: a task run twice sends once.
        if not Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now()
        ):
            continue
        notification = delivery.notification
        preference = Preference.objects.select_related("user").get(user_id=notification.recipient_id)
        # Written in the recipient's language (the one they last chose), not the worker's.
        with translation.override(preference.user.language):
            title, body = notification.rendered()
        try:
            if delivery.channel == Channel.EMAIL:
                send_mail(title, body, settings.DEFAULT_FROM_EMAIL, [preference.email_address])
            elif not _sms_allowed(preference.phone):
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=DeliveryStatus.SKIPPED, detail="rate limited"
                )
            else:
                backend().send(phone=preference.phone, text=f"【人才云】{body}")  # the registered signature
        except Exception as exc:  # a provider failure is recorded; the inbox message stands
            logger.warning("delivery %s failed: %s", delivery.pk, type(exc).__name__)
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.FAILED, detail=str(exc)[:200]
            )
