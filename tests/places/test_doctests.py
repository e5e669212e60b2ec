"""The runnable examples in the places modules' docstrings are true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "placeworks.places.codes",
    "placeworks.places.store",
    "placeworks.places.queries",
    "placeworks.places.services",
    "placeworks.places.ingest.common",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    failed, attempted = doctest.testmod(importlib.import_module(name))
    assert attempted > 0 and failed == 0
