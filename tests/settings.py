"""Settings for the test suite: development mode (unless the caller chose otherwise)."""

import os

os.environ.setdefault("PLACEWORKS_ENV", "development")

from placeworks.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
