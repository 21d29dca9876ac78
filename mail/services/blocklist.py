"""Senders and domains whose mail never opens a ticket (staff-managed; the spam feature reuses it)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mail.models import BlockedSender
from tickets.errors import InvalidInput


def normalise_pattern(value: str) -> str:
    pattern = (value or "").strip().lower().lstrip("@")
    if not pattern or " " in pattern or "." not in pattern.rpartition("@")[2] or len(pattern) > 320:
        raise InvalidInput("Enter an email address or a domain such as example.com.", field="pattern")
    return pattern


def block_sender(address: str, by: Any = None, *, reason: str = "") -> BlockedSender:
    pattern = normalise_pattern(address)
    with transaction.atomic():
        row, created = BlockedSender.objects.get_or_create(
            pattern=pattern,
            defaults={"created_by": by if getattr(by, "pk", None) else None, "reason": reason[:200]},
        )
    return row


def unblock_sender(address: str, by: Any = None) -> bool:
    pattern = (address or "").strip().lower().lstrip("@")
    return BlockedSender.objects.filter(pattern=pattern).delete()[0] > 0


def is_blocked(address: str) -> bool:
    address = (address or "").strip().lower()
    domain = address.rpartition("@")[2]
    candidates = {address, domain}
    parts = domain.split(".")
    candidates |= {".".join(parts[i:]) for i in range(1, len(parts) - 1)}  # sub.spam.example → spam.example
    return BlockedSender.objects.filter(pattern__in=candidates).exists()
