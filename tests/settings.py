"""Settings for the test suite: development mode (unless the caller chose otherwise)."""

import os

os.environ.setdefault("PLACEWORKS_ENV", "development")

from placeworks.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only

# Per-process memory cache: the login rate limit works the same, without needing the database.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
