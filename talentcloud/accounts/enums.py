from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    DISTRICT = "district", _("District")
    DEPARTMENT = "department", _("Department")
    PARK = "park", _("Park")
    STREET = "street", _("Street")
    EXTERNAL = "external", _("External body")


class ScopeKind(models.TextChoices):
    SELF = "self", _("Own records only")
    UNIT = "unit", _("Own unit")
    UNIT_AND_BELOW = "unit_below", _("Own unit and below")
    CUSTOM = "custom", _("Chosen units")
    ALL = "all", _("Everything")


class RoleKind(models.TextChoices):
    TALENT = "talent", _("Talent")
    ENTERPRISE = "enterprise", _("Enterprise HR")
    SERVICE_STAFF = "service_staff", _("Service staff")
    AREA_STAFF = "area_staff", _("Park / street staff")
    LIAISON_CADRE = "liaison_cadre", _("Liaison cadre")
    TALENT_OFFICE = "talent_office", _("Talent office")
    EXPERT = "expert", _("Expert reviewer")
    THINK_TANK = "think_tank", _("Think tank")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")
    CODE_VERIFIER = "code_verifier", _("Talent-code verifier (external unit)")


# Role kinds whose users are members of the public; everyone else is staff and needs a second factor.
PUBLIC_ROLE_KINDS = frozenset({RoleKind.TALENT, RoleKind.ENTERPRISE})
