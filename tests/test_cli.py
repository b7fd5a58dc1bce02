"""The command line, driven in-process with Typer's CliRunner (and once as `python -m`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clitools import invoke
from pipeline_atlas.paths import ProjectPaths
from processes import free_port

STAGE = "https://w3id.org/pipeline-atlas/id/stage/"


def built(paths: ProjectPaths) -> Path:
    store = paths.root / "store"
    assert invoke("build", "--no-reason", "--store", str(store)).exit_code == 0
    return store


def test_help_lists_the_commands() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("build", "queries", "query", "validate", "stats"):
        assert command in result.stdout


def test_queries_lists_ids_and_summaries(fixture_env: ProjectPaths) -> None:
    result = invoke("queries")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "cq-001-stages-in-order   The stages, in order.",
        "cq-002-stage-label       The English label of one stage.",
        "cq-003-stages-from       Stages at or after a position, optionally only the last one.",
        "cq-004-is-stage          Whether something is a stage.",
        "cq-005-labels-graph      The English labels of the stages, as a graph.",
        "cq-006-search            Things whose label contains a text.",
        "label-missing-violation  Instances without a label (any row is a failure).",
    ]


def test_queries_filtered_by_tag(fixture_env: ProjectPaths) -> None:
    result = invoke("queries", "--tag", "order", "--tag", "export")
    assert result.stdout.splitlines() == [
        "cq-003-stages-from   Stages at or after a position, optionally only the last one.",
        "cq-005-labels-graph  The English labels of the stages, as a graph.",
    ]


def test_build_then_query_the_store(fixture_env: ProjectPaths) -> None:
    store = fixture_env.root / "store"
    result = invoke("build", "--no-reason", "--store", str(store))
    assert result.exit_code == 0
    assert result.stdout == f"built {store}: 21 triples in 3 graphs\n"
    result = invoke(
        "query", "cq-002", "--param", "stage=arrest", "--store", str(store), "--format", "csv"
    )
    assert result.exit_code == 0
    assert result.stdout_bytes == f"stage,label\r\n{STAGE}arrest,Arrest\r\n".encode()
    assert result.stderr == ""


def test_build_without_store_uses_the_default_store(fixture_env: ProjectPaths) -> None:
    assert invoke("build", "--no-reason").exit_code == 0
    assert (fixture_env.default_store / "CURRENT").is_file()
    result = invoke("query", "cq-001", "-p", "lang=es", "-f", "tsv")
    assert result.exit_code == 0
    assert result.stdout == (  # SPARQL 1.1 TSV (issue 6, point 5)
        "?stage\t?label\t?order\n"
        f'<{STAGE}police-stop>\t"Parada policial"@es\t1\n'
        f'<{STAGE}arrest>\t"Arresto"@es\t2\n'
    )
    assert result.stderr == ""
    # --lang also picks the labels of a query that takes a lang parameter, unless one is given
    spanish = invoke("--lang", "es", "query", "cq-001", "-f", "tsv")
    assert spanish.stdout == result.stdout
    english = invoke("--lang", "es", "query", "cq-001", "-p", "lang=en", "-f", "tsv")
    assert '"Police stop"@en' in english.stdout


def test_stale_default_store_is_noted(fixture_env: ProjectPaths) -> None:
    assert invoke("build", "--no-reason").exit_code == 0
    seed = fixture_env.graph_data / "seed" / "stages.ttl"
    # later than anything in the store, whenever the fixture files were last written
    future = time.time() + 3600
    os.utime(seed, (future, future))
    result = invoke("query", "cq-004", "-p", "thing=stage:arrest")
    assert result.exit_code == 0
    assert result.stdout == "true\n"
    assert result.stderr.startswith("note: graph_data/seed/stages.ttl is newer than the store")


@pytest.mark.slow  # builds in memory with the reasoner (Java)
def test_query_without_any_store_builds_in_memory(
    fixture_env: ProjectPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = invoke("query", "cq-004", "--param", "thing=stage:arrest", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"head": {}, "boolean": True}
    assert result.stderr.startswith("note: no store at ")
    assert not fixture_env.default_store.exists()


def test_table_format_is_the_default(fixture_env: ProjectPaths) -> None:
    store = built(fixture_env)
    result = invoke("query", "cq-001", "--store", str(store))
    assert result.stdout == (
        "stage              label        order\n"
        "-----------------  -----------  -----\n"
        "stage:police-stop  Police stop  1\n"
        "stage:arrest       Arrest       2\n"
        "(2 rows)\n"
    )


def test_json_format(fixture_env: ProjectPaths) -> None:
    store = built(fixture_env)
    result = invoke("query", "cq-006", "-p", "text=arr", "--store", str(store), "-f", "json")
    assert json.loads(result.stdout)["results"]["bindings"] == [
        {
            "thing": {"type": "uri", "value": f"{STAGE}arrest"},
            "label": {"type": "literal", "value": "Arrest", "xml:lang": "en"},
        },
        {
            "thing": {"type": "uri", "value": f"{STAGE}arrest"},
            "label": {"type": "literal", "value": "Arresto", "xml:lang": "es"},
        },
    ]


def test_xml_format(fixture_env: ProjectPaths) -> None:
    store = built(fixture_env)
    result = invoke(
        "query", "cq-004", "-p", "thing=stage:arrest", "--store", str(store), "--format", "xml"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        "<head></head><boolean>true</boolean></sparql>\n"
    )


def test_construct_as_ntriples(fixture_env: ProjectPaths) -> None:
    store = built(fixture_env)
    result = invoke("query", "cq-005", "--store", str(store), "--format", "ntriples")
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    assert result.stdout == (
        f'<{STAGE}arrest> <{label}> "Arrest"@en .\n'
        f'<{STAGE}police-stop> <{label}> "Police stop"@en .\n'
    )


def test_query_a_file_and_raw_sparql(fixture_env: ProjectPaths, tmp_path: Path) -> None:
    store = built(fixture_env)
    path = tmp_path / "bodies.rq"
    path.write_text(
        "PREFIX pa: <https://w3id.org/pipeline-atlas/ont/>\n"
        "SELECT ?b WHERE { ?b a pa:PublicBody }\n",
        encoding="utf-8",
    )
    by_file = invoke("query", str(path), "--store", str(store), "-f", "csv")
    by_text = invoke(
        "query", "SELECT ?b WHERE { ?b a pa:PublicBody }", "--store", str(store), "-f", "csv"
    )
    expected = "b\r\nhttps://w3id.org/pipeline-atlas/id/body/city-council\r\n"
    assert (by_file.stdout_bytes, by_text.stdout_bytes) == (expected.encode(), expected.encode())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "cq-001-stages-in-ordr"], "error: no query named 'cq-001-stages-in-ordr'; did "
         "you mean cq-001-stages-in-order?\n"),
        (["query", "zzz"], "error: no query named 'zzz' in the catalogue; `pipeline-atlas "
         "queries` lists them\n"),
        (["query", "cq-00"], "error: 'cq-00' matches 6 queries: cq-001-stages-in-order, "
         "cq-002-stage-label, cq-003-stages-from, cq-004-is-stage, cq-005-labels-graph, "
         "cq-006-search; give more of the id\n"),
        (["query", "cq-002", "-p", "stag=arrest"], "error: query cq-002-stage-label: no parameter "
         "'stag' (did you mean 'stage'?); it takes stage\n"),
        (["query", "cq-003", "-p", "from=two"], "error: query cq-003-stages-from: parameter "
         "'from' expects an integer, got 'two'\n"),
        (["query", "cq-002", "-p", "stage"], "error: --param expects key=value, got 'stage'\n"),
        (["query", "cq-001", "-f", "turtle"], "error: format 'turtle' is for CONSTRUCT and "
         "DESCRIBE results; use one of table, csv, tsv, json, xml\n"),
        (["query", "SELECT ?s WHERE { ?s ?p }"], None),
        (["stats", "--store", "/nonexistent/store"], "error: no store at /nonexistent/store; "
         "build one with `pipeline-atlas build`\n"),
    ],
)  # fmt: skip
def test_errors_are_one_line_and_exit_2(
    fixture_env: ProjectPaths, args: list[str], message: str | None
) -> None:
    if args[0] == "query" and args[1] in ("cq-001", "SELECT ?s WHERE { ?s ?p }"):
        args = [*args, "--store", str(built(fixture_env))]
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    if message is not None:
        assert result.stderr == message
    else:  # a person's query is parsed where it runs (the sandbox), after the store is opened
        errors = [line for line in result.stderr.splitlines() if not line.startswith("note: ")]
        assert len(errors) == 1
        assert errors[0].startswith("error: <query>:1:26: SPARQL syntax error: ")


def test_missing_required_parameter_fails_before_building(fixture_env: ProjectPaths) -> None:
    result = invoke("query", "cq-002")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: query cq-002-stage-label: parameter 'stage' is required"
    )
    assert not fixture_env.default_store.exists()


def test_malformed_turtle_fails_the_build_with_its_location(fixture_env: ProjectPaths) -> None:
    (fixture_env.graph_data / "seed" / "broken.ttl").write_text(
        "<https://e.org/a> <https://e.org/p> .\n", encoding="utf-8"
    )
    result = invoke("build", "--no-reason")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: graph_data/seed/broken.ttl:1:")
    assert "Turtle syntax error" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not fixture_env.default_store.exists()


@pytest.mark.slow  # builds in memory with the reasoner (Java)
def test_build_with_reasoner_adds_the_inferred_graph(
    fixture_env: ProjectPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the real reasoner (HermiT) runs; the fixture entails nothing new, so its graph is empty
    result = invoke("build")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(": 21 triples in 4 graphs\n")
    stats = invoke("stats")
    assert "   0  pag:inferred\n" in stats.stdout


def test_stats(fixture_env: ProjectPaths) -> None:
    store = built(fixture_env)
    result = invoke("stats", "--store", str(store))
    assert result.exit_code == 0
    assert result.stdout == (
        "triples: 21 (21 quads)\n"
        "graphs: 3\n"
        "   2  pag:graph_data/extra/bodies\n"
        "   9  pag:graph_data/seed/stages\n"
        "  10  pag:ontology/test-ontology\n"
        "classes: 5\n"
        "  2  owl:Class\n"
        "  2  pa:Stage\n"
        "  1  owl:DatatypeProperty\n"
        "  1  owl:ObjectProperty\n"
        "  1  pa:PublicBody\n"
    )


@pytest.mark.slow
def test_validate_the_real_project_conforms(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PIPELINE_ATLAS_ROOT", raising=False)
    result = invoke("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout == "conforms: no findings (shacl, qc, reasoner)\n"


@pytest.mark.slow
def test_validate_a_broken_project_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path(__file__).resolve().parents[1]
    for part in ("ontology", "graph_data", "queries"):
        shutil.copytree(real / part, tmp_path / part)
    (tmp_path / "graph_data" / "broken.ttl").write_text(
        "<https://w3id.org/pipeline-atlas/id/stage/police-stop> "
        "<https://w3id.org/pipeline-atlas/ont/stageOrder> 0 .\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PIPELINE_ATLAS_ROOT", str(tmp_path))
    result = invoke("validate")
    assert result.exit_code == 1
    lines = [line.split()[:3] for line in result.stdout.splitlines()]
    assert ["shacl", "pash:StageShape-stageOrder", "stage:police-stop"] in lines
    assert ["qc", "stage-order-violation", "stage:police-stop"] in lines
    assert result.stderr == ""


def test_python_dash_m_runs_the_cli(fixture_project: ProjectPaths) -> None:
    src = Path(__file__).resolve().parents[1] / "src"
    env = {**os.environ, "PIPELINE_ATLAS_ROOT": str(fixture_project.root)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "pipeline_atlas", "query", "nope"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert (
        done.stderr
        == "error: no query named 'nope' in the catalogue; `pipeline-atlas queries` lists them\n"
    )


def test_an_unreachable_endpoint_is_one_line(fixture_env: ProjectPaths) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = invoke("--endpoint", url, "query", "cq-001")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: named graphs: cannot reach {url}: ")
    assert result.stderr.count("\n") == 1


def test_the_endpoint_comes_from_the_environment(
    fixture_env: ProjectPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    monkeypatch.setenv("PIPELINE_ATLAS_ENDPOINT", url)
    result = invoke("stats")
    assert result.exit_code == 2
    assert f"cannot reach {url}" in result.stderr


def test_an_endpoint_must_be_http(fixture_env: ProjectPaths) -> None:
    result = invoke("--endpoint", "file:///etc/passwd", "query", "cq-001")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: the endpoint URL must start with http:// or https://, got 'file:///etc/passwd'\n"
    )


def test_push_needs_an_endpoint(fixture_env: ProjectPaths) -> None:
    result = invoke("push", "--no-reason")
    assert result.exit_code == 2
    assert result.stderr == "error: push needs --endpoint URL (or --graph-store URL)\n"


def test_push_to_an_unreachable_graph_store_names_it(fixture_env: ProjectPaths) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = invoke("--endpoint", url, "push", "--no-reason")
    assert result.exit_code == 2
    store = url.replace("/query", "/store")
    assert result.stderr.startswith(f"error: cannot reach the Graph Store {store}: ")


def test_push_takes_the_endpoint_after_the_command_too(fixture_env: ProjectPaths) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = invoke("push", "--endpoint", url, "--no-reason", "--user", "dba", "--password", "x")
    assert result.exit_code == 2
    store = url.replace("/query", "/store")
    assert result.stderr.startswith(f"error: cannot reach the Graph Store {store}: ")


def test_the_commands_own_words_come_in_spanish(fixture_env: ProjectPaths) -> None:
    # issue 6: every word the CLI shows comes from the message catalogue, in both languages
    result = invoke("--lang", "es", "query", "zzz")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: no query named 'zzz' in the catalogue; `pipeline-atlas queries` las enumera\n"
    )


@pytest.mark.slow  # builds in memory with the reasoner (Java)
def test_the_commands_notes_come_in_spanish(fixture_env: ProjectPaths) -> None:
    result = invoke("--lang", "es", "stats")
    assert result.exit_code == 0
    store = fixture_env.default_store
    assert result.stderr == f"nota: no hay almacén en {store}; se construye el grafo en memoria\n"


def test_an_unknown_language_is_refused(fixture_env: ProjectPaths) -> None:
    result = invoke("--lang", "fr", "queries")
    assert result.exit_code == 2
    assert "use one of en, es" in result.stderr
