"""Writes of the playbook: tuning parameters (validated, audited, cache cleared) from the screen or an
import. Validation happens before the first write, so a refused change stores nothing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from . import params
from .models import PlaybookChange, PlaybookSetting


def set_param(key: str, raw: Any, by: Any) -> PlaybookChange | None:
    """Set one parameter; None when the value is already in force."""
    made = set_params({key: raw}, by)
    return made[0] if made else None


def clean_changes(raw: dict[str, Any]) -> dict[str, Any]:
    """Validate ``raw`` (key → value) alone and together with every other value in force."""
    cleaned = {key: params.validate(key, value) for key, value in raw.items()}
    params.validate_together({**params.current(), **cleaned})
    return cleaned


def set_params(
    raw: dict[str, Any], by: Any, source: str = PlaybookChange.Source.SCREEN
) -> list[PlaybookChange]:
    """Apply several parameter values at once (all or nothing); one audit row per value that changed."""
    cleaned = clean_changes(raw)
    now = timezone.now()
    actor = by if getattr(by, "is_authenticated", False) else None
    changes = []
    with transaction.atomic():
        stored = {s.key: s for s in PlaybookSetting.objects.select_for_update().filter(key__in=cleaned)}
        for key, value in cleaned.items():
            old = stored[key].value if key in stored else params.default(key)
            if old == value:
                continue
            if value == params.default(key):
                PlaybookSetting.objects.filter(key=key).delete()  # back to following the deployment default
            else:
                PlaybookSetting.objects.update_or_create(
                    key=key, defaults={"value": value, "changed_by": actor, "changed_at": now}
                )
            changes.append(
                PlaybookChange.objects.create(
                    key=key, old_value=old, new_value=value, changed_by=actor, changed_at=now, source=source
                )
            )
        if changes:
            params.forget()
    return changes
