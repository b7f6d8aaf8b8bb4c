"""Send a notification: always to the inbox; by e-mail and SMS when the person chose them. E-mail and SMS
go out after the commit, through a background task (``tasks.notification_deliver``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone, translation

from talentcloud.audit.services import audit_record
from talentcloud.common.bulk import rows_insert

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
    granted): ``groups`` are (params, recipients) with recipients as (user id, link) pairs
    (``notify_events`` with one event). Returns how many were told."""
    return notify_events([(event, params, recipients) for params, recipients in groups])


# A preference query over these many recipients reads every preference with a channel on instead (a list of
# hundreds of thousands of ids costs more to send than the preferences cost to read).
FEW = 5000


def _channels(users: set[Any]) -> dict[Any, list[str]]:
    """The channels besides the inbox each of ``users`` chose (those with none left out): one query. Whether
    an address or a number is there is read from its encrypted column (empty stays empty), none decrypted."""
    wanted = Preference.objects.filter(Q(email=True) | Q(sms=True))
    if len(users) <= FEW:
        wanted = wanted.filter(user_id__in=users)
    rows = wanted.annotate(has_email=Length("email_address"), has_phone=Length("phone")).values_list(
        "user_id", "email", "has_email", "sms", "has_phone"
    )
    channels: dict[Any, list[str]] = {}
    for user, email, has_email, sms, has_phone in rows.iterator(chunk_size=20_000):
        if user not in users:
            continue
        chosen: list[str] = [Channel.EMAIL] if email and has_email else []
        chosen += [Channel.SMS] if sms and has_phone else []
        if chosen:
            channels[user] = chosen
    return channels


def notify_events(groups: list[tuple[str, dict[str, Any], list[tuple[Any, str]]]]) -> int:
    """``notify`` for many people told a few events with a few different ``params`` each (免申即享 telling
    everyone a sweep found: per policy and amount, granted or a draft opened): ``groups`` are (event, params,
    recipients) with recipients as (user id, link) pairs. Each group's text is written once; the preferences
    of everyone are one query; the inbox rows of every group together, and their deliveries, are one bulk
    insert each (``common.bulk.rows_insert``: COPY on PostgreSQL), so telling people costs the same however
    many events and amounts they differ in. E-mail and SMS go out after the commit as ``notify``'s do.
    Returns how many were told."""
    rows: list[tuple[Any, str, str, Any, str, str]] = []
    memo: dict[int, Any] = {}
    for event, params, recipients in groups:
        event_get(event)
        if not recipients:
            continue
        stored = params_encode(params, memo)
        with translation.override(settings.LANGUAGE_CODE):
            title, body = render(event, stored)
        title = title[:200]
        rows += [(user, url[:300], event, stored, title, body) for user, url in recipients]
    if not rows:
        return 0
    columns = ["recipient_id", "url", "event", "params", "title", "body"]
    with transaction.atomic():
        channels = _channels({row[0] for row in rows})
        ids = rows_insert(Notification, {}, columns, rows, ids=bool(channels))
        deliveries = [
            (notification, channel)
            for notification, row in zip(ids, rows, strict=False)
            for channel in channels.get(row[0], ())
        ]
        rows_insert(Delivery, {}, ["notification_id", "channel"], deliveries)
        deliver = sorted({notification for notification, _channel in deliveries})

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
