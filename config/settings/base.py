"""Settings shared by every environment. Values come from config.env, never from os.environ."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import read_environment

ENV = read_environment()
BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = ENV.secret_key
DEBUG = ENV.debug
ALLOWED_HOSTS = list(ENV.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "parley.core",
    "parley.communities",
    "parley.identity",
    "parley.stories",
    "parley.comments",
    "parley.moderation",
    "parley.campaigns",
    "parley.realtime",
    "parley.embed",
    "parley.api",
    "parley.ops",
]

MIDDLEWARE = [
    "parley.core.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "parley.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(ENV.database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the worker and several server processes share one file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Under ASGI each request's sync code runs in its own thread, so persistent per-thread
    # connections pile up until PostgreSQL refuses more ("too many clients"). A small pool
    # per server process reuses connections instead (Django 5.1+, psycopg_pool).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2,
        "max_size": 12,
        "timeout": 10,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if ENV.redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": ENV.redis_url,
            "KEY_PREFIX": "parley",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# "campaigns" is its own queue so an operator may give campaign detection its own worker.
TASKS = {
    "default": {
        # django_tasks_db's backend, able to write several tasks in one INSERT.
        "BACKEND": "parley.core.tasks.BatchingDatabaseBackend",
        "QUEUES": ["default", "campaigns"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "parley" / "locale"]
TIME_ZONE = ENV.time_zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = None  # WhiteNoise serves from the app folders; no collectstatic needed
# Static files are served from the installed package (no collectstatic step to forget).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "/dashboard/login/"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# Parley's own settings (server-level; newsroom policy lives in the database).
PARLEY_DATA_DIR = ENV.data_dir
PARLEY_SSO_SECRET = ENV.sso_secret
PARLEY_SSO_PUBLIC_KEY = ENV.sso_public_key
PARLEY_EMBED_ORIGINS = ENV.embed_origins
PARLEY_PURGE_URL = ENV.purge_url
PARLEY_DEMO_LOGIN = ENV.demo_login
# Multiplies every rate limit; 0 turns them off (load tests on loopback only).
PARLEY_RATE_LIMIT_SCALE = ENV.rate_limit_scale
# Serve cached thread pages from the ASGI fast path (config/fastpath.py).
PARLEY_PAGE_FAST_PATH = ENV.page_fast_path
PARLEY_TRUSTED_PROXIES = ENV.trusted_proxies
PARLEY_REDIS_URL = ENV.redis_url
PARLEY_PERSPECTIVE_API_KEY = ENV.perspective_api_key
if ENV.scorer:
    PARLEY_SCORER = ENV.scorer
PARLEY_REALTIME_BACKEND = (
    "parley.realtime.backends.RedisBackend"
    if ENV.redis_url
    else "parley.realtime.backends.LocalBackend"
)
# The intake pipeline's moderation hooks (see parley.comments.intake).
PARLEY_INTAKE_SCREENS = ["parley.moderation.intake.word_list_screen"]
PARLEY_INTAKE_LISTENERS = [
    "parley.moderation.intake.enqueue_scoring",
    "parley.campaigns.intake.observe_comment",
]
# Campaign detection's paraphrase check: "auto" (MiniLM when installed), "minilm" or "hashed".
PARLEY_CAMPAIGN_EMBEDDING = "auto"
# The guideline rule a banned word-list term cites when a community's lists do not name one.
PARLEY_WORD_LIST_REJECT_RULE = "R1"
PARLEY_LIMITS = {
    "body_max_chars": 5000,
    "reply_max_depth": 3,
    "edit_window_seconds": 15 * 60,
    "report_reason_max_chars": 1000,
    "sso_token_max_bytes": 8192,
    "page_size_max": 100,
    "counts_max_urls": 100,
    "comments_per_minute_per_account": 6,
    "comments_per_minute_per_address": 30,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"parley": {"level": "INFO"}},
}
