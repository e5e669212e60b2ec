"""The ``placeworks`` console script, in process (test_deploy.py runs the installed script)."""

from __future__ import annotations

import pytest

from placeworks.cli import main


def test_help_lists_placeworks_commands_with_hyphens(capsys):
    main(["placeworks", "--help"])
    out = capsys.readouterr().out
    assert "Placeworks commands:" in out
    assert "import-iod" in out and "load-demo" in out and "import_iod" not in out


def test_a_hyphenated_command_runs_the_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["placeworks", "import-groupings", "--help"])
    assert exit_.value.code == 0
    assert "usage: placeworks import_groupings" in capsys.readouterr().out


def test_an_unknown_command_says_so(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["placeworks", "no-such-command"])
    assert exit_.value.code == 1
    assert "Unknown command: 'no_such_command'" in capsys.readouterr().err
