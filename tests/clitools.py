"""Running the `pipeline-atlas` command in-process (Typer's CliRunner), for every CLI test."""

from __future__ import annotations

from typer.testing import CliRunner, Result

from pipeline_atlas.cli import app

runner = CliRunner()


def invoke(*args: str) -> Result:
    """Run the command with ``args``; a traceback or an exception other than an exit fails the
    test (every error must reach the user as a message)."""
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result
