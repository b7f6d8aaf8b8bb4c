"""Organisation units, roles with permissions and data scope, users, password history, API tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from talentcloud.common.models import TimeStampedModel

from .enums import PUBLIC_ROLE_KINDS, RoleKind, ScopeKind, UnitKind


class OrgUnit(TimeStampedModel):
    """A node of the district's organisation tree: district → departments, parks, streets."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of codes ("/320115/320115-P-KFQ/"): descendants are a prefix match.
    path = models.CharField(max_length=500, db_index=True, editable=False)
    sort_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path", "sort_order"]
        verbose_name = _("organisation unit")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class Role(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=RoleKind.choices)
    scope = models.CharField(_("data scope"), max_length=20, choices=ScopeKind.choices)
    permissions = models.JSONField(_("permissions"), default=list, blank=True)
    custom_units = models.ManyToManyField(
        OrgUnit, verbose_name=_("chosen units"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("role")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class StandardGrant(models.Model):
    """A code the standard catalogue granted a standard role once (``roles.standard_grants_sync``): a grant
    remembered here is never given again, so a code an administrator took from a role stays away."""

    role_code = models.SlugField(_("role code"), max_length=50)
    permission = models.CharField(_("permission"), max_length=100)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role_code", "permission"], name="accounts_standardgrant_once")
        ]
        verbose_name = _("standard grant")

    def __str__(self) -> str:
        return f"{self.role_code}: {self.permission}"


class User(AbstractUser):
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    roles = models.ManyToManyField(Role, verbose_name=_("roles"), blank=True, related_name="users")
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo account"), default=False)
    # The language the person last chose with the switch ("" until then: the platform's default). Messages
    # written for them away from a page (e-mail, SMS by the worker) are in this language.
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )

    class Meta:
        verbose_name = _("user")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def language(self) -> str:
        """The language to write to this person in when no page is open: their choice, else the default."""
        return self.preferred_language or settings.LANGUAGE_CODE

    if TYPE_CHECKING:

        def is_verified(self) -> bool:
            """Added by django-otp's middleware: True once the second factor passed in this session."""
            ...

    def _role_list(self) -> list[Role]:
        cached: list[Role] | None = getattr(self, "_tc_roles", None)
        if cached is None:
            cached = list(self.roles.all()) if self.pk else []
            self._tc_roles = cached
        return cached

    def forget_cached_roles(self) -> None:
        for attr in ("_tc_roles", "_tc_scope", "_tc_held_kinds"):
            self.__dict__.pop(attr, None)

    def permission_codes(self) -> frozenset[str]:
        return frozenset(code for role in self._role_list() for code in role.permissions)

    def role_kinds(self) -> frozenset[str]:
        return frozenset(role.kind for role in self._role_list())

    @property
    def requires_second_factor(self) -> bool:
        """Staff (every role that is not a talent's or an enterprise's) log in with TOTP as well."""
        kinds = self.role_kinds()
        return bool(kinds - PUBLIC_ROLE_KINDS) or self.is_superuser

    @property
    def primary_role_kind(self) -> str:
        roles = self._role_list()
        return roles[0].kind if roles else ""


class PasswordHistory(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"password of {self.user_id} set {self.created_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """A personal API token. Only a digest is stored; the token is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    # The last password or authenticator check made through this token (POST /api/v1/auth/step-up): calls
    # returning personal data in clear need one within settings.PRIVACY_REAUTH_SECONDS.
    stepped_up_at = models.DateTimeField(_("identity confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: Any | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
