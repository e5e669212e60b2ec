"""Docs that cannot go stale: settings, permissions and commands are all documented."""

from __future__ import annotations

import re
from pathlib import Path

from placeworks.partners.permissions import Permission

ROOT = Path(__file__).resolve().parents[1]


def test_every_environment_setting_is_documented():
    source = (ROOT / "placeworks" / "settings.py").read_text()
    names = set(re.findall(r'(?:environ\.get|env_bool|env_list)\("([A-Z_]+)"', source))
    documented = (ROOT / "docs" / "settings.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in documented)
    assert not missing, f"Add these settings to docs/settings.md: {missing}"


def test_every_permission_is_documented():
    documented = (ROOT / "docs" / "permissions.md").read_text()
    missing = [p.value for p in Permission if f"`{p.value}`" not in documented]
    assert not missing, f"Add these permissions to docs/permissions.md: {missing}"


def test_command_reference_is_current(db):
    from placeworks.web.management.commands.command_docs import render

    current = (ROOT / "docs" / "commands.md").read_text()
    assert current == render(), (
        "docs/commands.md is out of date: run "
        "`.venv/bin/placeworks command_docs > docs/commands.md`"
    )
