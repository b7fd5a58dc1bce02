"""`pipeline-atlas export` (RDF formats and --format all), driven with Typer's CliRunner on a
store built in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from clitools import invoke
from pipeline_atlas.exchange import FILE_FORMATS, FORMATS
from pipeline_atlas.exchange.files import default_name
from pipeline_atlas.store.embedded import EmbeddedStore


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real graph built (no reasoner) into a store folder of this module."""
    folder = tmp_path_factory.mktemp("export-cli") / "store"
    assert invoke("build", "--no-reason", "--store", str(folder)).exit_code == 0
    return folder


def store_counts(store: Path) -> tuple[int, int, int]:
    """(distinct triples, quads, named graphs) of the store, by SPARQL through pyoxigraph."""
    s = EmbeddedStore(store, read_only=True)
    try:
        raw = ox.Store()
        raw.extend(s.quads())
    finally:
        s.close()

    def one(query: str) -> int:
        result = raw.query(query)
        assert isinstance(result, ox.QuerySolutions)
        (row,) = list(result)
        return int(row["n"].value)

    return (
        one(
            "SELECT (COUNT(*) AS ?n) WHERE { "
            "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
        ),
        one("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        one("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
    )


def test_export_trig_prints_what_it_wrote(store: Path, tmp_path: Path) -> None:
    output = tmp_path / "atlas.trig"
    result = invoke("export", "--format", "trig", "--output", str(output), "--store", str(store))
    assert result.exit_code == 0, result.output
    parsed = list(ox.parse(path=output, format=ox.RdfFormat.TRIG))
    triples, quads, graphs = store_counts(store)
    assert len(parsed) >= quads  # export() may add the dataset's description
    written_quads = len(parsed)
    written_graphs = len({q.graph_name for q in parsed})
    written_triples = len({q.triple for q in parsed})
    assert result.stdout == (
        f"trig: wrote {output} ({written_triples} triples, {written_graphs} named graphs, "
        f"{written_quads} quads)\n"
    )
    assert written_graphs >= graphs and written_triples >= triples


def test_export_in_spanish(store: Path, tmp_path: Path) -> None:
    output = tmp_path / "atlas.nt"
    result = invoke("--lang", "es", "export", "-f", "nt", "-o", str(output), "--store", str(store))
    assert result.exit_code == 0, result.output
    parsed = list(ox.parse(path=output, format=ox.RdfFormat.N_TRIPLES))
    assert result.stdout.startswith(f"nt: se escribió {output} ({len(parsed)} tripletas, ")
    assert result.stdout.rstrip().endswith("grafos con nombre)")


def test_the_command_takes_lang_after_it_too(store: Path, tmp_path: Path) -> None:
    """`export --format FMT --output PATH --lang es`, as the issue writes it."""
    output = tmp_path / "atlas.nq"
    result = invoke(
        "export", "-f", "nquads", "-o", str(output), "--store", str(store), "--lang", "es"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"nquads: se escribió {output} (")
    wrong = invoke("export", "-f", "nquads", "-o", str(output), "--lang", "fr")
    assert wrong.exit_code == 2 and "use one of en, es" in wrong.stderr


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_unknown_format_lists_the_formats(lang: str, store: Path, tmp_path: Path) -> None:
    output = tmp_path / "x.owl"
    result = invoke("--lang", lang, "export", "--format", "owl", "--output", str(output))
    assert result.exit_code == 2
    assert result.stdout == ""
    for name in FORMATS:
        assert name in result.stderr
    start = (
        "unknown export format 'owl'"
        if lang == "en"
        else "formato de exportación desconocido 'owl'"
    )
    assert start in result.stderr
    assert not output.exists()


def test_an_unwritable_output_is_one_line_and_exit_code_2(store: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    output = blocker / "atlas.ttl"
    result = invoke("export", "-f", "turtle", "-o", str(output), "--store", str(store))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot write turtle to ")
    assert len(result.stderr.splitlines()) == 1
    assert not output.exists()


def test_export_all_writes_every_file_format_into_a_folder(store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    result = invoke("export", "--format", "all", "--output", str(folder), "--store", str(store))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1] == f"{len(FILE_FORMATS)} exports written to {folder}"
    assert [line.split(":", 1)[0] for line in lines[:-1]] == list(FILE_FORMATS)
    for fmt in FILE_FORMATS:
        assert (folder / default_name(fmt)).exists(), fmt
    triples = store_counts(store)[0]
    turtle = list(ox.parse(path=folder / default_name("turtle"), format=ox.RdfFormat.TURTLE))
    assert len(turtle) >= triples
    assert f"turtle: wrote {folder / default_name('turtle')} ({len(turtle)} triples," in lines[0]
