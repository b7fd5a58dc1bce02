"""explore.correction: correction reports (text, JSON file, reading and checking) and the
`pipeline-atlas correction FILE` command."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline_atlas import Atlas
from pipeline_atlas.cli import app
from pipeline_atlas.explore.correction import (
    FIELDS,
    FORMAT,
    CorrectionReport,
    ReportError,
    check_report,
    prepare_report,
    read_report,
)

SB54 = "https://w3id.org/pipeline-atlas/id/instrument/california-values-act"
DAY = dt.date(2026, 12, 1)
runner = CliRunner()


@pytest.fixture(scope="module")
def atlas() -> Iterator[Atlas]:
    with Atlas.open_default() as opened:
        yield opened


def report(**changes: str) -> CorrectionReport:
    made = prepare_report(
        "id/instrument/california-values-act",
        "California Values Act (SB 54)",
        " SB 554 did not die. ",
        "SB 554 (2025) is still pending.",
        "https://example.org/sb-554",
        today=DAY,
    )
    return CorrectionReport(**{**made.__dict__, **changes})


def test_json_file_round_trip_and_holds_nothing_about_the_person() -> None:
    made = report()
    assert made.node == SB54
    assert made.what_is_wrong == "SB 554 did not die."
    data = json.loads(made.to_json())
    assert list(data) == list(FIELDS)
    assert data == {
        "format": FORMAT,
        "node": SB54,
        "node_label": "California Values Act (SB 54)",
        "what_is_wrong": "SB 554 did not die.",
        "what_it_should_say": "SB 554 (2025) is still pending.",
        "source": "https://example.org/sb-554",
        "prepared": "2026-12-01",
        "language": "en",
    }
    assert read_report(made.to_json()) == made
    assert made.file_name == "correction-california-values-act-2026-12-01.json"


def test_text_to_copy_in_both_languages() -> None:
    made = report()
    assert made.to_text("en").splitlines() == [
        "Pipeline Atlas: correction report (pipeline-atlas-correction/1)",
        "Node: California Values Act (SB 54)",
        SB54,
        "What is wrong: SB 554 did not die.",
        "What it should say: SB 554 (2025) is still pending.",
        "Source that says otherwise: https://example.org/sb-554",
        "Prepared on: 2026-12-01",
    ]
    spanish = report(what_it_should_say="", language="es").to_text()
    assert (
        spanish.splitlines()[0]
        == "Pipeline Atlas: informe de corrección (pipeline-atlas-correction/1)"
    )
    assert "Qué debería decir: (no se indicó)" in spanish.splitlines()


def test_read_errors_say_what_and_where(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"^the report is not JSON at line 3 column 11: "):
        read_report('{\n  "format": "pipeline-atlas-correction/1",\n  "node": ,\n}')
    data = json.loads(report().to_json())
    del data["source"]
    with pytest.raises(ReportError, match=r"^the report: missing field 'source'$"):
        read_report(json.dumps(data))
    data = json.loads(report().to_json())
    data["node"] = "California Values Act"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        ReportError, match=rf"^{path}: field 'node' is not a node IRI: 'California Values Act'$"
    ):
        read_report(path)
    data = json.loads(report().to_json())
    data["email"] = "someone@example.org"
    with pytest.raises(ReportError, match=r"unknown field 'email'.*nothing about the person"):
        read_report(json.dumps(data))
    data = json.loads(report().to_json())
    data["format"] = "pipeline-atlas-correction/9"
    with pytest.raises(ReportError, match=r"field 'format' is 'pipeline-atlas-correction/9'"):
        read_report(json.dumps(data))
    with pytest.raises(ReportError, match=r"no such file"):
        read_report(tmp_path / "missing.json")


def test_check_report(atlas: Atlas) -> None:
    assert check_report(atlas, report()) == []
    unknown = report(node="https://w3id.org/pipeline-atlas/id/body/nobody")
    assert check_report(atlas, unknown) == [
        "the node https://w3id.org/pipeline-atlas/id/body/nobody is not in the graph"
    ]
    assert check_report(atlas, report(source=" ", what_is_wrong=""), lang="es") == [
        "el informe no dice qué está mal",
        "no se indica ninguna fuente que diga otra cosa",
    ]
    assert check_report(atlas, report(node_label="Old name")) == [
        "the report names the node “Old name”, but the graph calls it "
        "“California Values Act (SB 54)” (it may have changed since)"
    ]
    assert check_report(atlas, report(node_label="Ley de Valores de California (SB 54)")) == []
    assert check_report(atlas, report(prepared="2999-01-01")) == [
        "the report is dated 2999-01-01, a day still to come"
    ]


def test_cli_checks_a_good_report(tmp_path: Path) -> None:
    path = tmp_path / "good.json"
    path.write_text(report().to_json(), encoding="utf-8")
    result = runner.invoke(app, ["correction", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Node: {SB54}",
        "Current label: California Values Act (SB 54) "
        "(the report saw: California Values Act (SB 54))",
        "Said in: graph_data/california/laws.ttl",
        "Claim: SB 554 did not die.",
        "Should say: SB 554 (2025) is still pending.",
        "Source: https://example.org/sb-554",
        "The report can be checked against its source and loaded (see docs/corrections.md).",
    ]


def test_cli_refuses_bad_reports_with_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format":\n 1,}', encoding="utf-8")
    result = runner.invoke(app, ["correction", str(bad)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {bad} is not JSON at line 2 column 4: "
        "Expecting property name enclosed in double quotes\n"
    )
    unknown = tmp_path / "unknown.json"
    unknown.write_text(
        report(node="https://w3id.org/pipeline-atlas/id/body/nobody", source="").to_json(),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["--lang", "es", "correction", str(unknown)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"error: {unknown}: el nodo https://w3id.org/pipeline-atlas/id/body/nobody no está en "
        "el grafo; no se indica ninguna fuente que diga otra cosa"
    )
    assert result.stdout == ""
