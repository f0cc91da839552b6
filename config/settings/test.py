"""Test settings: SQLite in memory by default; PARLEY_TEST_DATABASE_URL selects PostgreSQL."""

import os
import tempfile

# The test run owns its data folder and secrets; setdefault keeps an explicit override.
import dj_database_url

os.environ.setdefault("PARLEY_DATA_DIR", tempfile.mkdtemp(prefix="parley-test-"))
os.environ.setdefault("PARLEY_SSO_SECRET", "test-sso-secret-with-enough-length-for-hs256!")
os.environ.setdefault("PARLEY_SECRET_KEY", "test-secret-key")

from config.settings.base import *  # noqa: F403

_test_db = ENV.test_database_url  # noqa: F405
DATABASES = {
    "default": dj_database_url.parse(_test_db)
    if _test_db
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
}
_test_redis = ENV.test_redis_url  # noqa: F405
if _test_redis:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _test_redis,
            "KEY_PREFIX": "parley-test",
        }
    }
    PARLEY_REDIS_URL = _test_redis
    PARLEY_REALTIME_BACKEND = "parley.realtime.backends.RedisBackend"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    PARLEY_REDIS_URL = None
    PARLEY_REALTIME_BACKEND = "parley.realtime.backends.LocalBackend"
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "campaigns"],
    }
}
# Deterministic and light: no embedding model in tests.
PARLEY_CAMPAIGN_EMBEDDING = "hashed"
# A non-UTC zone catches naive/aware mix-ups.
TIME_ZONE = "America/St_Johns"
PARLEY_DEMO_LOGIN = True
PARLEY_PURGE_URL = None
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
