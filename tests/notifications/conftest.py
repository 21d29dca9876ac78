from __future__ import annotations

import pytest

from tests.factories import UserFactory
from tickets.models import Notification


@pytest.fixture
def staff(db):
    """``staff(name)`` makes an active Agent."""

    def _make(username: str, **kwargs):
        return UserFactory(username=username, role=kwargs.pop("role", "Agent"), **kwargs)

    return _make


@pytest.fixture
def notices():
    """``notices(reason)`` → {username: count} of in-app notices with that reason."""

    def _get(reason: str | None = None) -> dict[str, int]:
        qs = Notification.objects.filter(channel=Notification.Channel.IN_APP, recipient_user__isnull=False)
        if reason:
            qs = qs.filter(reason=reason)
        found: dict[str, int] = {}
        for name in qs.values_list("recipient_user__username", flat=True):
            found[name] = found.get(name, 0) + 1
        return found

    return _get
