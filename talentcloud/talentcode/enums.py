from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeStatus(models.TextChoices):
    ACTIVE = "active", _("In use")
    SUPERSEDED = "superseded", _("Replaced by a newer code")
    REVOKED = "revoked", _("Revoked by the office")


class IssueBasis(models.TextChoices):
    CASE = "case", _("Talent card application (hall case)")
    OFFICE = "office", _("Issued by the talent office")
    POLICY = "policy", _("Granted by a policy (免申即享)")


class Result(models.TextChoices):
    """What a verification answered; everything but ``valid`` is a refusal, named for the verifier."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired: ask the talent to show the code again")
    REVOKED = "revoked", _("Revoked: the code is no longer valid")
    NOT_ENTITLED = "not_entitled", _("Not entitled to this scene")
    FORGED = "forged", _("Forged or damaged code")
    UNKNOWN_KEY = "unknown_key", _("Signed with a key this platform does not hold")
