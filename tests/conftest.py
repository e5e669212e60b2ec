"""Shared fixtures. Settings: tests/settings.py (development mode, fast hashing)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _clear_cache(settings):  # type: ignore[no-untyped-def]
    """The login rate limit and other cache entries must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def password() -> str:
    return "correct-horse-battery-staple"
