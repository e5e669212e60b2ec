"""Every example in the statistics package's docstrings runs and gives the stated answer."""

from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

MODULES = ["aggregate", "benchmark", "deprivation", "inequality", "intervals", "standardised"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name):
    module = importlib.import_module(f"placeworks.stats.{name}")
    failed, attempted = doctest.testmod(module)
    assert attempted > 0, f"placeworks.stats.{name} has no examples"
    assert failed == 0


def test_every_public_function_documents_its_method_with_an_example():
    stats = importlib.import_module("placeworks.stats")
    functions = [getattr(stats, name) for name in stats.__all__]
    lacking = [
        function.__name__
        for function in functions
        if inspect.isfunction(function) and ">>>" not in (function.__doc__ or "")
    ]
    assert not lacking, f"add a docstring example to: {lacking}"
