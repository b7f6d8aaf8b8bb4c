"""Request type for views behind the login requirement (LoginRequiredMiddleware guarantees the user)."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
