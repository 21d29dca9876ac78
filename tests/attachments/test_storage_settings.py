"""STORAGES: the file system under var/media/ by default, S3 via django-storages when configured."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.conf import settings

SCRIPT = (
    "import json, django; from django.conf import settings; django.setup(); "
    "from django.core.files.storage import storages; s = storages['default']; "
    "print(json.dumps([settings.STORAGES['default']['BACKEND'], type(s).__name__, "
    "getattr(s, 'bucket_name', None), getattr(s, 'endpoint_url', None), getattr(s, 'default_acl', None)]))"
)


def _run(**env: str) -> list:
    full = {**os.environ, "SECRET_KEY": "x" * 60, **env}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=full,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_default_is_the_file_system_under_var_media():
    assert settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    backend = _run(DJANGO_SETTINGS_MODULE="helpdesk.settings")
    assert backend[1] == "FileSystemStorage"


def test_s3_when_a_bucket_is_set_also_in_production():
    for module in ("helpdesk.settings", "helpdesk.settings_prod"):
        backend = _run(
            DJANGO_SETTINGS_MODULE=module,
            HELPDESK_S3_BUCKET="helpdesk-files",
            HELPDESK_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        )
        assert backend == [
            "storages.backends.s3.S3Storage",
            "S3Storage",
            "helpdesk-files",
            "http://127.0.0.1:9000",
            "private",
        ]
