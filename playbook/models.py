"""The tuned playbook parameters and their audit trail. This app's lower layer (models, ``params``)
imports no other app of the project, so every app — ``tickets`` included — may read parameters."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PlaybookSetting(models.Model):
    """A parameter a manager changed from its default (``playbook.params.PARAMS``); absent = default."""

    key = models.CharField(max_length=60, unique=True)
    value = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key} = {self.value!r}"


class PlaybookChange(models.Model):
    """Append-only: who changed which parameter from what to what, when, and how (screen or import)."""

    class Source(models.TextChoices):
        SCREEN = "screen", "Playbook screen"
        IMPORT = "import", "YAML import"

    key = models.CharField(max_length=60)
    old_value = models.JSONField(null=True)
    new_value = models.JSONField(null=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.SCREEN)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["-changed_at", "-id"], name="playbook_change_recent")]

    def __str__(self) -> str:
        return f"{self.key}: {self.old_value!r} → {self.new_value!r}"


class RuleRun(models.Model):
    """One row per (rule, period) a periodic rule check acted on — e.g. the T4 check of one week — so
    the check acts exactly once however often its job runs; the Playbook screen counts them."""

    rule = models.CharField(max_length=40)
    period = models.CharField(max_length=60)
    ran_at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "period"], name="one_run_per_rule_period")]
        indexes = [models.Index(fields=["rule", "ran_at"], name="rulerun_recent")]

    def __str__(self) -> str:
        return f"{self.rule} {self.period}"
