"""Query-string lists read the same way on every page and API."""

from __future__ import annotations

import doctest

from django.http import QueryDict

import placeworks.params
from placeworks.params import values


def test_repeated_and_comma_separated_values_are_the_same():
    assert values(QueryDict("kind=school&kind=library"), "kind") == ["school", "library"]
    assert values(QueryDict("kind=school,library"), "kind") == ["school", "library"]
    assert values(QueryDict("kind=&kind=%20,"), "kind") == []
    assert values(QueryDict(""), "kind") == []


def test_the_module_doctests_pass():
    failed, attempted = doctest.testmod(placeworks.params)
    assert attempted and not failed
