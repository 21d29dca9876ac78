"""Production settings: ``DJANGO_SETTINGS_MODULE=helpdesk.settings_prod``. Passes ``check --deploy``."""

import os

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403
from .settings import env_bool, env_int

DEBUG = False
HELPDESK_PRODUCTION = True  # seed_demo refuses to run
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment (50+ random characters) in production"
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_POLICY}  # noqa: F405 (from .settings)
CONTENT_SECURITY_POLICY_REPORT_ONLY = None
STORAGES = {
    "default": STORAGES["default"],  # noqa: F405 - var/media/ or S3 (settings.py)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
