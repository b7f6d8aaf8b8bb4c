from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from talentcloud.accounts.reauth import reauth_fresh


def reauth_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send the user to re-enter their password first (bulk unmasked exports), unless they did so just now."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not reauth_fresh(request):
            return HttpResponseRedirect(
                f"{reverse('accounts:reauth')}?{urlencode({'next': request.get_full_path()})}"
            )
        return view(request, *args, **kwargs)

    return wrapped
