"""Settings for the test suite: development mode (unless the caller chose otherwise)."""

import os

os.environ.setdefault("PLACEWORKS_ENV", "development")

from placeworks.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only

# Per-process memory cache: the login rate limit works the same, without needing the database.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# One test database file per test run, so two runs in one checkout never share (or lock) it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405
