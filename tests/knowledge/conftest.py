from __future__ import annotations

import pytest

from knowledge import services
from knowledge.models import Category


@pytest.fixture
def category(db):
    return Category.objects.create(name="Calendar", slug="calendar")


@pytest.fixture
def make_article(manager, category):
    def _make(title: str, body: str = "", **extra):
        data = {
            "title": title,
            "body": body or f"How to {title.lower()}.",
            "audience": extra.pop("audience", "public"),
            "status": extra.pop("status", "published"),
            "category": extra.pop("category", category),
            **extra,
        }
        return services.save_article(manager, data)

    return _make
