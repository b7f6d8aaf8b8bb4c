"""Send a notification: always to the inbox; by e-mail and SMS when the person chose them. E-mail and SMS
go out after the commit, through a background task (``tasks.notification_deliver``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from talentcloud.audit.services import audit_record

from .events import event_get, render
from .models import Channel, Delivery, Notification, Preference
from .tasks import notification_deliver
from .texts import params_encode

if TYPE_CHECKING:
    from talentcloud.accounts.models import User


def notify(*, recipient: Any, event: str, params: dict[str, Any], url: str = "") -> Notification:
    """Tell ``recipient`` of ``event``. ``params`` may hold model instances (their name in every language is
    kept), lazy translations (their message id is kept), dates and numbers: the text is written when read,
    in the reader's language. The text in the default language is stored as well, as a fallback. An event
    no installed app declares raises ``UnknownEvent`` (a ``KeyError``) before anything is written."""
    event_get(event)
    stored = params_encode(params)
    with translation.override(settings.LANGUAGE_CODE):
        title, body = render(event, stored)
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient, event=event, params=stored, title=title[:200], body=body, url=url[:300]
        )
        preference = Preference.objects.filter(user=recipient).first()
        channels = []
        if preference is not None:
            if preference.email and preference.email_address:
                channels.append(Channel.EMAIL)
            if preference.sms and preference.phone:
                channels.append(Channel.SMS)
        if channels:
            Delivery.objects.bulk_create([Delivery(notification=notification, channel=c) for c in channels])
            notification_id = notification.pk

            def enqueue() -> None:
                notification_deliver.enqueue(notification_id=notification_id)

            transaction.on_commit(enqueue)
    return notification


def notify_many(*, recipients: list[tuple[Any, str]], event: str, params: dict[str, Any]) -> int:
    """``notify`` for many people told the same thing: ``recipients`` are (user id, link) pairs
    (``notify_groups`` with one group). Returns how many were told."""
    return notify_groups(event=event, groups=[(params, recipients)])


def notify_groups(*, event: str, groups: list[tuple[dict[str, Any], list[tuple[Any, str]]]]) -> int:
    """``notify`` for many people told one event with a few different ``params`` (the amount each is
    granted): ``groups`` are (params, recipients) with recipients as (user id, link) pairs. Each group's text
    is written once; the inbox rows and deliveries of every group together are bulk inserts, one per thousand,
    and the preferences one query per thousand, so telling people costs the same however many amounts they
    differ in. E-mail and SMS go out after the commit as ``notify``'s do. Returns how many were told."""
    event_get(event)
    rows: list[Notification] = []
    for params, recipients in groups:
        if not recipients:
            continue
        stored = params_encode(params)
        with translation.override(settings.LANGUAGE_CODE):
            title, body = render(event, stored)
        rows += [
            Notification(
                recipient_id=user, event=event, params=stored, title=title[:200], body=body, url=url[:300]
            )
            for user, url in recipients
        ]
    if not rows:
        return 0
    deliver: list[int] = []
    with transaction.atomic():
        for start in range(0, len(rows), 1000):
            chunk = Notification.objects.bulk_create(rows[start : start + 1000])
            preferences = Preference.objects.filter(user_id__in={n.recipient_id for n in chunk})
            channels: dict[Any, list[str]] = {}
            for preference in preferences:
                wanted = channels.setdefault(preference.user_id, [])
                if preference.email and preference.email_address:
                    wanted.append(Channel.EMAIL)
                if preference.sms and preference.phone:
                    wanted.append(Channel.SMS)
            deliveries = [
                Delivery(notification=n, channel=c) for n in chunk for c in channels.get(n.recipient_id, [])
            ]
            Delivery.objects.bulk_create(deliveries)
            deliver += sorted({d.notification.pk for d in deliveries})

        def enqueue() -> None:
            for notification_id in deliver:
                notification_deliver.enqueue(notification_id=notification_id)

        if deliver:
            transaction.on_commit(enqueue)
    return len(rows)


def notification_read(*, actor: User, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_set(*, actor: User, email: bool, sms: bool, email_address: str, phone: str) -> Preference:
    with transaction.atomic():
        preference, _created = Preference.objects.get_or_create(user=actor)
        preference.email, preference.sms = email, sms
        preference.email_address, preference.phone = email_address, phone
        preference.save()
        audit_record(
            actor=actor,
            action="notify.preference",
            object_type="user",
            object_id=actor.pk,
            details={"email": email, "sms": sms},
        )
    return preference


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
