"""Escalation fixtures: engineers on a tier's rota, on-call shifts, a known issue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import ContactFactory, UserFactory
from tickets import services as core


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """PBKDF2 costs ~0.3 s per user on a busy box; tests do not need it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def on_rota():
    """``on_rota(user, tier)`` puts ``user`` on ``tier`` for this week (±7 days)."""
    from escalation.models import TierAssignment

    def _put(user, tier):
        today = timezone.localdate()
        return TierAssignment.objects.create(
            user=user, tier=tier, starts_on=today - dt.timedelta(days=7), ends_on=today + dt.timedelta(days=7)
        )

    return _put


@pytest.fixture
def engineer(db):
    return UserFactory(username="eng3", role="Agent", email="eng3@staff.example")


@pytest.fixture
def make_ticket(db):
    def _make(subject="Calendar sync broken", **kwargs):
        return core.open_ticket(ContactFactory(), subject, "Details of the problem.", **kwargs)

    return _make


@pytest.fixture
def known_issue(db, manager):
    from escalation.services import known_issues

    return known_issues.create_known_issue(
        manager,
        title="Airbnb calendar sync delayed",
        short_name="airbnb sync",
        external_url="https://github.com/example/app/issues/42",
    )
