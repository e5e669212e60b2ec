"""Production settings are safe by default: `check --deploy` reports nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production would not.
    unset = {"PLACEWORKS_ENV", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "placeworks.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_under_production_settings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
        env={
            "SECRET_KEY": "a-long-random-production-secret-" + "k3y" * 20,
            "ALLOWED_HOSTS": "placeworks.example.org",
            "PLACEWORKS_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_a_secret_key_fails_with_instructions(tmp_path):
    result = run_manage("check", env={"SECRET_KEY": "", "PLACEWORKS_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_bad_boolean_setting_says_what_is_wrong(tmp_path):
    result = run_manage(
        "check",
        env={
            "PLACEWORKS_ENV": "development",
            "DEBUG": "maybe",
            "PLACEWORKS_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


def test_placeworks_console_script_lists_its_commands():
    script = Path(sys.executable).with_name("placeworks")
    result = subprocess.run(
        [str(script), "--help"],
        cwd=ROOT,
        env={**os.environ, "PLACEWORKS_ENV": "development"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Placeworks commands:" in result.stdout
    assert "load-demo" in result.stdout and "import-lookup" in result.stdout


def test_commands_may_be_written_with_hyphens():
    script = Path(sys.executable).with_name("placeworks")
    result = subprocess.run(
        [str(script), "import-lookup", "--help"],
        cwd=ROOT,
        env={**os.environ, "PLACEWORKS_ENV": "development"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "usage: placeworks import_lookup" in result.stdout
