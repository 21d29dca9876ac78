"""PostgreSQL-only indexes created by migrations (partial, expression and covering indexes that are a
tuning detail kept out of the model state). On SQLite the operation does nothing."""

from __future__ import annotations

from django.db import migrations


def pg_indexes(indexes: dict[str, str]) -> migrations.RunPython:
    """A migration operation creating ``CREATE INDEX IF NOT EXISTS <name> ON <spec>`` for each entry,
    reversible by dropping them."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for name, spec in indexes.items():
                schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {spec}")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for name in indexes:
                schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
