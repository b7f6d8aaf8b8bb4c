"""The audit actions (and object types) this app records, named for the audit log's reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.audit.registry import ObjectKind

from .models import User

AUDIT_ACTIONS = {
    "auth.login": _("Signed in"),
    "auth.logout": _("Signed out"),
    "auth.otp": _("Checked the authenticator code"),
    "auth.step_up": _("Confirmed identity again (step-up)"),
    "account.lockout": _("Account locked after failed sign-ins"),
    "account.unlock": _("Account unlocked"),
    "account.language": _("Changed the display language"),
    "session.expire": _("Session ended"),
    "session.end": _("Signed a session out (forced)"),
    "otp.enrol": _("Enrolled an authenticator app"),
    "orgunit.create": _("Created an organisational unit"),
    "token.create": _("Created an API token"),
    "token.revoke": _("Revoked an API token"),
    "token.shorten": _("Shortened an API token's lifetime"),
    "user.create": _("Created a user account"),
    "user.activate": _("Enabled or disabled a user account"),
    "user.password_change": _("Changed the password"),
    "user.password_reset": _("Reset a password"),
    "user.roles_change": _("Changed a user's roles"),
    "role.grant_standard": _("A standard role gained a permission an app grants it"),
}


def _user_names(ids: list[str]) -> dict[str, str]:

    pks = [int(i) for i in ids if i.isdigit()]
    return {str(u.pk): str(u) for u in User.objects.filter(pk__in=pks).only("id", "username", "display_name")}


AUDIT_OBJECTS = {"user": ObjectKind(_("User"), names=_user_names)}
