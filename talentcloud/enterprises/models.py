"""Enterprises (一企一档) and the industry chains they belong to. The full archive grows in later work."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.models import OrgUnit
from talentcloud.common.models import TimeStampedModel
from talentcloud.common.validators import credit_code_validator


class IndustryChain(models.Model):
    """An industry chain (产业链), editable reference data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("industry chain")

    def __str__(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Enterprise(TimeStampedModel):
    scope_unit_paths = ("park", "street")
    scope_self_paths: tuple[str, ...] = ()

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[credit_code_validator]
    )
    park = models.ForeignKey(
        OrgUnit,
        verbose_name=_("park"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="park_enterprises",
    )
    street = models.ForeignKey(
        OrgUnit, verbose_name=_("street"), on_delete=models.PROTECT, related_name="street_enterprises"
    )
    chain = models.ForeignKey(
        IndustryChain, verbose_name=_("industry chain"), null=True, blank=True, on_delete=models.PROTECT
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("enterprise")

    def __str__(self) -> str:
        return self.name
