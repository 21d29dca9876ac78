"""Issue #17 performance: CSS and JS together under 100 KB compressed, served under hashed names with
long-lived cache headers in production."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BUDGET = 100 * 1024
STATIC = Path(settings.BASE_DIR) / "static"


def _assets() -> list[Path]:
    return sorted(p for p in STATIC.rglob("*") if p.suffix in (".css", ".js") and p.is_file())


def test_css_and_js_fit_the_compressed_budget():
    files = _assets()
    assert any(p.name == "app.css" for p in files) and any("htmx" in p.name for p in files)
    total = sum(len(gzip.compress(p.read_bytes(), compresslevel=9)) for p in files)
    assert total < BUDGET, f"{total} bytes gzipped across {len(files)} files"


def test_production_serves_hashed_names_with_long_cache_headers():
    env = {
        "DJANGO_SETTINGS_MODULE": "helpdesk.settings_prod",
        "SECRET_KEY": "k" * 60,
        "PATH": "/usr/bin:/bin",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.STORAGES['staticfiles']['BACKEND']); "
        "print('whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE); "
        "print(getattr(s, 'WHITENOISE_MAX_AGE', None))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True)
    lines = result.stdout.decode().split()
    # Manifest storage: hashed names, for which WhiteNoise sends "Cache-Control: max-age=315360000,
    # public, immutable" (its manifest-aware immutable_file_test); the default max-age is left alone.
    assert lines == ["whitenoise.storage.CompressedManifestStaticFilesStorage", "True", "None"], result.stderr
