from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access

from . import services
from .forms import PreferenceForm
from .models import Notification, Preference


@access("own")
@require_http_methods(["GET"])
def inbox_view(request: AuthedRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=request.user)[:100]
    return render(request, "notifications/inbox.html", {"notifications": notifications})


@access("own")
@require_POST
def read_view(request: AuthedRequest, notification_id: int) -> HttpResponse:
    notification = Notification.objects.filter(pk=notification_id, recipient=request.user).first()
    if notification is None:
        raise Http404
    services.notification_read(actor=request.user, notification_id=notification_id)
    return redirect(notification.url or "notifications:inbox")


@access("own")
@require_http_methods(["GET", "POST"])
def preferences_view(request: AuthedRequest) -> HttpResponse:
    current = Preference.objects.filter(user=request.user).first()
    initial = (
        {
            "sms": current.sms,
            "phone": current.phone,
            "email": current.email,
            "email_address": current.email_address,
        }
        if current
        else {"sms": False}
    )
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.preference_set(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("notifications:preferences")
    return render(
        request, "notifications/preferences.html", {"form": form}, status=400 if form.errors else 200
    )
