"""Re-encrypt personal data under the active key, in batches; safe to stop and run again (resumes).

Each batch is one transaction: rows are read (decrypting with whichever key they name) and written back
(encrypting with the active key). A row already under the active key is never selected again, so a killed
run loses nothing and a rerun continues where it stopped. When no row names an old key, that key can be
removed from PRIVACY_KEYS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.apps import apps
from django.db import models, transaction
from django.db.models import F, Q, TextField
from django.db.models.functions import Cast

from talentcloud.audit.services import audit_record
from talentcloud.common.crypto import PREFIX
from talentcloud.common.keys import keyring

from .fields import EncryptedTextField


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found


def _stale(model: type[models.Model], names: list[str], active_prefix: str) -> models.QuerySet[models.Model]:
    raw = {f"raw_{name}": Cast(F(name), output_field=TextField()) for name in names}
    conditions = [
        Q(**{f"raw_{name}__gt": ""}) & ~Q(**{f"raw_{name}__startswith": active_prefix}) for name in names
    ]
    return model._default_manager.annotate(**raw).filter(reduce(or_, conditions)).order_by("pk")


@dataclass
class RotationReport:
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def stale_counts() -> dict[str, int]:
    prefix = f"{PREFIX}${keyring().active}$"
    return {model._meta.label: _stale(model, names, prefix).count() for model, names in encrypted_fields()}


def rotate(*, batch_size: int = 1000, on_batch: Callable[[str, int], None] | None = None) -> RotationReport:
    prefix = f"{PREFIX}${keyring().active}$"
    report = RotationReport()
    for model, names in encrypted_fields():
        label = model._meta.label
        report.rows[label] = 0
        while True:
            with transaction.atomic():
                batch = list(_stale(model, names, prefix)[:batch_size])
                if not batch:
                    break
                model._default_manager.bulk_update(batch, names)
            report.rows[label] += len(batch)
            if on_batch:
                on_batch(label, len(batch))
    audit_record(
        actor=None,
        actor_username="console",
        action="privacy.rotate",
        details={"active_key": keyring().active, "rows": report.rows},
    )
    return report
