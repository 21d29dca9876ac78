"""Settings for development, tests and the embedded demo. Everything that differs per deployment comes
from the environment; production hardening lives in ``helpdesk.settings_prod``.

Environment:
  DATABASE_URL   PostgreSQL (psycopg 3) e.g. postgres://user:pw@host:5432/helpdesk;
                 SQLite under var/ when unset
  REDIS_URL      Celery broker + cache; when unset: a file-system broker under var/ and a local-memory cache
  SECRET_KEY, DEBUG, ALLOWED_HOSTS (comma separated), TIME_ZONE, EMAIL_URL-style settings below
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HELPDESK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# A development key only; settings_prod refuses to start without SECRET_KEY in the environment.
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
CSRF_FAILURE_VIEW = "helpdesk.errors.csrf_failure"  # templates/403_csrf.html, in the site's layout

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "axes",
    "accounts",
    "tickets",
    "triage",
    "escalation",
    "sla",
    "reports",
    "attachments",
    "playbook",
    "notifications",
    "mail",
    "anymail",
    "knowledge",
    "macros",
    "partners",
    "helpdesk",  # last: connects the signal receivers and the workspace extensions (helpdesk/apps.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "helpdesk.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the 429 page
]

ROOT_URLCONF = "helpdesk.urls"
WSGI_APPLICATION = "helpdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "helpdesk.context_processors.roles",
                "notifications.context_processors.bell",
            ],
        },
    },
]

# Django's form renderer with the common widget templates built in Python (helpdesk/form_renderer.py).
FORM_RENDERER = "helpdesk.form_renderer.FastRenderer"

_sqlite_default = f"sqlite:///{VAR_DIR / 'helpdesk.sqlite3'}"
# Connections are reused for 60 s (each gunicorn thread keeps one) and checked before reuse.
DATABASES = {
    "default": dj_database_url.config(default=_sqlite_default, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and os.environ.get(
    "DB_SERVER_SIDE_BINDING", "1"
) not in ("0", ""):
    # Parameters bound by the server, and a statement run five times on a connection prepared there
    # (psycopg's prepare_threshold, which Django turns off unless given): the pages' compiled queries
    # (helpdesk/prepared.py, constants written into the SQL) keep PostgreSQL's generic plan, so they are
    # planned once per connection instead of on every page (issue #20). DB_PREPARE_THRESHOLD=off behind
    # a pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
    _threshold = os.environ.get("DB_PREPARE_THRESHOLD", "5")
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = int(_threshold) if _threshold.isdigit() else None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Web, worker and beat share one file: wait for locks instead of failing, and use WAL.
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL;"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The covering (INCLUDE) indexes are a PostgreSQL tuning detail; SQLite keeps their key columns only.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
    # A file (not :memory:) so the integration tests' real Celery worker can share the test database.
    # One file per test process, so parallel runs never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("HELPDESK_TEST_DB")
        or str(Path(tempfile.gettempdir()) / f"helpdesk-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "helpdesk.cache.SafeRedisCache",  # Redis down = no cache, not 500 (helpdesk/cache.py)
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "helpdesk"),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    # Sessions read from Redis, written to both (a Redis outage falls back to the database): every request
    # reads its session, and the database query was a tenth of a seen-again workspace's.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    WORKSPACE_FRAGMENTS = True  # the workspace's rendered pieces kept in the cache (tickets/fragments.py)
else:
    # Shared by web workers, Celery worker and beat (a per-process cache would let one web worker show a
    # saved view or a role another worker already changed).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
        }
    }
    # A file per entry, culled past 300: no place for the workspace's many small fragments.
    WORKSPACE_FRAGMENTS = False
    # Zero-dependency mode: the queue is a folder of files (kombu built-in), see TOOLCHAIN.md §6.
    _broker_dir = VAR_DIR / "celery-broker"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(_broker_dir / "control"),
    }

CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "helpdesk")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# Every periodic job of the project, listed by hand (the tasks live in each app's tasks.py).
_TIMER_SECONDS = float(os.environ.get("HELPDESK_TIMER_INTERVAL", "60"))
_SLA_SECONDS = float(os.environ.get("HELPDESK_SLA_INTERVAL", "60"))
CELERY_BEAT_SCHEDULE = {
    # tickets: Pending reminders / auto-resolve, Resolved -> Closed, Waiting and Hold -> Open.
    "tickets-run-due-status-timers": {
        "task": "tickets.tasks.run_due_status_timers",
        "schedule": _TIMER_SECONDS,
    },
    # tickets: the notification outbox.
    "tickets-send-notifications": {"task": "tickets.tasks.send_notifications", "schedule": 30.0},
    # escalation: page the next on-call person when a page is not acknowledged; finish broadcasts.
    "escalation-page-unacknowledged-oncall": {
        "task": "escalation.tasks.page_unacknowledged_oncall",
        "schedule": 60.0,
    },
    "escalation-resume-broadcasts": {"task": "escalation.tasks.resume_broadcasts", "schedule": 300.0},
    # escalation: last-rota-day hand-backs (002) and the close-of-business-Tuesday T4 check (004).
    "escalation-rota-handbacks": {"task": "escalation.tasks.rota_handbacks", "schedule": 300.0},
    "escalation-t4-tuesday-check": {"task": "escalation.tasks.t4_tuesday_check", "schedule": 900.0},
    # sla: band changes and their warnings, stale-ticket nudges, promised updates.
    "sla-update-bands": {"task": "sla.tasks.update_sla_bands", "schedule": _SLA_SECONDS},
    "sla-nudge-stale-tickets": {"task": "sla.tasks.nudge_stale_tickets", "schedule": _SLA_SECONDS},
    "sla-check-commitments": {"task": "sla.tasks.check_commitments", "schedule": _SLA_SECONDS},
    # reports: keeps the dashboard's 5-minute percentile cache warm for its default view.
    "reports-warm-dashboard": {
        "task": "reports.tasks.warm_dashboard",
        "schedule": float(os.environ.get("HELPDESK_DASHBOARD_WARM_INTERVAL", "240")),
    },
    # notifications: chat webhooks (signed, retried), chat events, email digests.
    "notifications-deliver-webhooks": {"task": "notifications.tasks.deliver_webhooks", "schedule": 30.0},
    "notifications-queue-chat-events": {"task": "notifications.tasks.queue_chat_events", "schedule": 60.0},
    "notifications-send-digests": {"task": "notifications.tasks.send_digests", "schedule": 60.0},
    "attachments-sweep-pending": {"task": "attachments.tasks.sweep_pending", "schedule": 3600.0},
    # knowledge: duplicate answers by one agent on 3+ tickets without a doc -> one "doc needed" proposal.
    "knowledge-duplicate-answers": {
        "task": "knowledge.tasks.find_duplicate_answers",
        "schedule": float(os.environ.get("KNOWLEDGE_DUPLICATE_INTERVAL", "3600")),
    },
}
CELERY_BEAT_SCHEDULE["mail-sweep-inbound"] = {
    "task": "mail.tasks.sweep_inbound",
    "schedule": float(os.environ.get("HELPDESK_MAIL_INTERVAL", "60")),
}
# partners: side-conversation mail to partners still pending (normally sent right after commit).
CELERY_BEAT_SCHEDULE["partners-send-side-messages"] = {
    "task": "partners.tasks.send_side_messages",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["mail-poll-mailboxes"] = {
    "task": "mail.tasks.poll_mailboxes",
    "schedule": float(os.environ.get("HELPDESK_MAIL_INTERVAL", "60")),
}

# Argon2 first (Django's recommended hasher, argon2-cffi): a sign-in verifies in ~50 ms instead of PBKDF2's
# ~1 s at Django 5.2's 1,000,000 iterations. Existing PBKDF2 hashes still verify and are re-hashed with
# Argon2 on the person's next sign-in (Django upgrades a hash whose hasher is not the first one).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tickets:home"
LOGOUT_REDIRECT_URL = "login"
# Sign-in limit (django-axes, counted in the database, accounts/limits.py): this many failures per
# normalised username + client address lock further attempts (also the right password) for the window.
# Covers our sign-in page and the admin's.
LOGIN_RATE_LIMIT = env_int("LOGIN_RATE_LIMIT", 10)
LOGIN_RATE_WINDOW_SECONDS = env_int("LOGIN_RATE_WINDOW_SECONDS", 900)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = LOGIN_RATE_LIMIT
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_RATE_WINDOW_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.limits.axes_username"
AXES_LOCKOUT_CALLABLE = "accounts.limits.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Password reset requests per client address and per address asked for (django-ratelimit on the cache,
# a database counter while the cache is down).
PASSWORD_RESET_RATE = os.environ.get("PASSWORD_RESET_RATE", "5/h")

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

MEDIA_URL = "media/"  # never served directly: files go out through attachments' download view
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Files (attachments, thumbnails): the file system under var/media/ by default; S3-compatible storage via
# django-storages when HELPDESK_S3_BUCKET is set (README "Attachments and S3").
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("HELPDESK_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["HELPDESK_S3_BUCKET"],
            "endpoint_url": os.environ.get("HELPDESK_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("HELPDESK_S3_REGION") or None,
            "access_key": os.environ.get("HELPDESK_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("HELPDESK_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("HELPDESK_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Attachment limits (issue "attachments"): per file, per message, files per message; refused types in
# attachments/checks.py (HELPDESK_ATTACHMENT_REFUSED_EXTENSIONS / _TYPES override them).
HELPDESK_ATTACHMENT_MAX_BYTES = env_int("HELPDESK_ATTACHMENT_MAX_BYTES", 25 * 1024 * 1024)
HELPDESK_ATTACHMENTS_MAX_TOTAL_BYTES = env_int("HELPDESK_ATTACHMENTS_MAX_TOTAL_BYTES", 50 * 1024 * 1024)
HELPDESK_ATTACHMENTS_MAX_FILES = env_int("HELPDESK_ATTACHMENTS_MAX_FILES", 20)
# What checks, keeps and stores the files of messages written on the ticket screens and API
# (tickets/message_files.py; tickets imports no feature app itself).
HELPDESK_MESSAGE_FILES = "attachments.uploads.MESSAGE_FILES"
# Whole request bodies may carry a message's files; Django's own form-field cap stays as it is.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Embedded default: every outgoing email is written as an .eml file under var/mail/ (EMAIL_FILE_PATH).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "mail.backends.EmlFileBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# The support address requesters write to; replies go out from it, with Reply-To support+<token>@domain.
HELPDESK_SUPPORT_EMAIL = os.environ.get("HELPDESK_SUPPORT_EMAIL", "support@helpdesk.localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"Support <{HELPDESK_SUPPORT_EMAIL}>")
# Inbound email (issue #13): more recipient domains we accept, size limit, per-sender cap of new tickets.
HELPDESK_MAIL_DOMAINS = env_list("HELPDESK_MAIL_DOMAINS", "")
HELPDESK_MAIL_MAX_BYTES = env_int("HELPDESK_MAIL_MAX_BYTES", 40 * 1024 * 1024)
HELPDESK_MAIL_SENDER_CAP = env_int("HELPDESK_MAIL_SENDER_CAP", 20)
HELPDESK_MAIL_INTERVAL = float(os.environ.get("HELPDESK_MAIL_INTERVAL", "60"))
HELPDESK_CONTACT_RATE = os.environ.get("HELPDESK_CONTACT_RATE", "5/h")
HELPDESK_CONTACT_LINK_DAYS = env_int("HELPDESK_CONTACT_LINK_DAYS", 30)
ANYMAIL = {"WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", "")}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes a missing/invalid token answer 401, not 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["helpdesk.permissions.IsStaffMember"],
    "DEFAULT_PAGINATION_CLASS": "helpdesk.pagination.CursorPagination",
    "DEFAULT_PARSER_CLASSES": [
        "helpdesk.parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Helpdesk API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Schema and docs for signed-in staff only; Swagger UI from our static files (no CDN).
    "SERVE_PERMISSIONS": ["helpdesk.permissions.IsStaffMember"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation documents the 4xx it can answer (helpdesk/api_schema.py, issue #15 item 9).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "helpdesk.api_schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": "tickets.models.Status",
        "TierEnum": "tickets.models.Tier",
        "PriorityEnum": "tickets.models.Priority",
        "TicketKindEnum": "tickets.models.Kind",
        "MessageKindEnum": "tickets.models.MessageKind",
    },
}

# Status timers (DESIGN §3), in calendar days; each Organization may override any of them.
HELPDESK_TIMERS = {
    "pending_reminder_days": env_int("HELPDESK_PENDING_REMINDER_DAYS", 3),
    "pending_reminders": env_int("HELPDESK_PENDING_REMINDERS", 2),
    "pending_resolve_days": env_int("HELPDESK_PENDING_RESOLVE_DAYS", 3),
    "resolved_close_days": env_int("HELPDESK_RESOLVED_CLOSE_DAYS", 4),
    "waiting_reopen_days": env_int("HELPDESK_WAITING_REOPEN_DAYS", 10),
}
# Absolute links in emails (confirmation links, ticket links).
HELPDESK_BASE_URL = os.environ.get("HELPDESK_BASE_URL", "http://127.0.0.1:8000")
HELPDESK_WIP_LIMIT = env_int("HELPDESK_WIP_LIMIT", 3)
# Email notices to staff are batched: one email with every update that arrived within this window.
HELPDESK_DIGEST_MINUTES = env_int("HELPDESK_DIGEST_MINUTES", 5)
# How long an authorised contact's confirmation link stays valid (triage, seed 000 "authorised contacts").
HELPDESK_AUTHORISATION_LINK_DAYS = env_int("HELPDESK_AUTHORISATION_LINK_DAYS", 14)
# How long before a promised "next update by" its owner is reminded (seed 000 commitments).
SLA_COMMITMENT_REMINDER_MINUTES = env_int("SLA_COMMITMENT_REMINDER_MINUTES", 60)
HELPDESK_TIMER_CHUNK = env_int("HELPDESK_TIMER_CHUNK", 200)
# The longest reply, note, request or draft a person can send from a screen or the API (characters).
# Email from requesters is never refused for its size.
HELPDESK_REPLY_MAX_CHARS = env_int("HELPDESK_REPLY_MAX_CHARS", 100_000)
# Outbox: a claimed notification not sent within the lease is retried; after this many attempts it is
# marked failed and the managers are told.
HELPDESK_OUTBOX_LEASE_SECONDS = env_int("HELPDESK_OUTBOX_LEASE_SECONDS", 300)
HELPDESK_OUTBOX_MAX_ATTEMPTS = env_int("HELPDESK_OUTBOX_MAX_ATTEMPTS", 5)
# Knowledge base (issue #18): how long a satisfaction link in the resolved email stays valid; the
# duplicate-answer job (004 "3 duplicate answers … we need one [doc]"): similarity threshold (0–1),
# tickets per cluster, days looked back, and who hears about it (a username; empty: every Manager).
HELPDESK_RATING_LINK_DAYS = env_int("HELPDESK_RATING_LINK_DAYS", 30)
KNOWLEDGE_DUPLICATE_THRESHOLD = float(os.environ.get("KNOWLEDGE_DUPLICATE_THRESHOLD", "0.6"))
KNOWLEDGE_DUPLICATE_MIN_TICKETS = env_int("KNOWLEDGE_DUPLICATE_MIN_TICKETS", 3)
KNOWLEDGE_DUPLICATE_DAYS = env_int("KNOWLEDGE_DUPLICATE_DAYS", 7)
KNOWLEDGE_DUPLICATE_INTERVAL = env_int("KNOWLEDGE_DUPLICATE_INTERVAL", 3600)
KNOWLEDGE_LEADERSHIP = os.environ.get("KNOWLEDGE_LEADERSHIP", "")

# Content-Security-Policy (django-csp): scripts and styles from our own files only, no inline code.
# Enforced in production (settings_prod); reported only (browser console) in development and tests.
CSP_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],  # blob: previews of pasted screenshots
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
CONTENT_SECURITY_POLICY = None
CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": CSP_POLICY}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"short_client_errors": {"()": "helpdesk.log_filters.ShortClientErrors"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["short_client_errors"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler (DEBUG) printed every 403 a second time, with its traceback.
        "django": {"handlers": [], "level": "INFO"},
        "django.db.backends": {"level": "INFO"},
        "kombu.connection": {"level": "ERROR"},
        "mail.log": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
