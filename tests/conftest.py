"""Shared fixtures. Settings: tests/settings.py (development mode, fast hashing)."""

from __future__ import annotations

import pytest
from hypothesis import settings as hypothesis_settings

# No per-example deadline: a first example that warms a cache (the tagger, a spatial index) is
# slow on a busy CI machine, and speed is measured in bench/, not asserted in unit tests.
hypothesis_settings.register_profile("placeworks", deadline=None, print_blob=True)
hypothesis_settings.load_profile("placeworks")


@pytest.fixture(autouse=True)
def _clear_cache(settings):  # type: ignore[no-untyped-def]
    """The login rate limit and other cache entries must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def password() -> str:
    return "correct-horse-battery-staple"
