"""A database counter for rate limits, used only while the shared cache is unreachable."""

from django.db import models


class RateCounter(models.Model):
    """Hits of one limit key in one fixed window (``window`` = start of the window, epoch seconds)."""

    key = models.CharField(max_length=250)
    window = models.BigIntegerField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="accounts_ratecounter_key_window")
        ]
        indexes = [models.Index(fields=["window"], name="accounts_ratecounter_window")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window}: {self.hits}"
