"""The ``placeworks`` console script: Django's management commands for this project.

``placeworks --help`` lists Placeworks' own commands (imports, demo, checks) first. Commands may
be written with hyphens or underscores: ``placeworks import-lookup`` is ``import_lookup``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placeworks.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "placeworks"
    if len(argv) == 1 or argv[1] in {"-h", "--help", "help"} and len(argv) == 2:
        print_help()
        return
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def placeworks_commands() -> dict[str, str]:
    """Placeworks' own management commands and their one-line help, by command name."""
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    commands = {}
    for name, app in sorted(get_commands().items()):
        if app.startswith("placeworks."):
            command = load_command_class(app, name)
            commands[name] = (command.help or "").strip().splitlines()[0]
    return commands


def print_help() -> None:
    print("Usage: placeworks <command> [options]\n")
    print("Placeworks commands:")
    for name, summary in placeworks_commands().items():
        print(f"  {name.replace('_', '-'):<24} {summary}")
    print(
        "\nEvery Django management command also works (migrate, createsuperuser, runserver, ...)."
    )
    print("Run 'placeworks <command> --help' for a command's options; hyphens and underscores")
    print("in command names are the same (import-lookup = import_lookup).")
