"""Every example in the geometry package's docstrings runs and gives the stated answer."""

from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

MODULES = ["crs", "io", "index", "simplify", "overlap", "measure"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name):
    module = importlib.import_module(f"placeworks.geo.{name}")
    failed, attempted = doctest.testmod(module)
    assert attempted > 0, f"placeworks.geo.{name} has no examples"
    assert failed == 0


def test_every_public_function_and_method_has_an_example():
    geo = importlib.import_module("placeworks.geo")
    lacking = []
    for name in geo.__all__:
        item = getattr(geo, name)
        if inspect.isfunction(item) and ">>>" not in (item.__doc__ or ""):
            lacking.append(name)
        if inspect.isclass(item) and name == "AreaIndex":
            for method_name, method in vars(item).items():
                function = getattr(method, "__func__", method)
                if (
                    not method_name.startswith("_")
                    and inspect.isfunction(function)
                    and ">>>" not in (function.__doc__ or "")
                ):
                    lacking.append(f"{name}.{method_name}")
    assert not lacking, f"add a docstring example to: {lacking}"


def test_the_package_does_not_import_django():
    import subprocess
    import sys

    code = "import sys, placeworks.geo; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
