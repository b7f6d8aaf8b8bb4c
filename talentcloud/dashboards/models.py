from __future__ import annotations

from django.db import models


class MetricSnapshot(models.Model):
    """A metric's figures as computed at one time. Pages read the newest; the refresh job writes them."""

    metric = models.CharField(max_length=60, db_index=True)
    computed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    data = models.JSONField()

    class Meta:
        ordering = ["-computed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.metric} @ {self.computed_at:%Y-%m-%d %H:%M}"
