"""People's queries run in a sandboxed worker: time, memory and row limits, crashes survived.

Regression tests for issue 6 ("user queries that cannot hurt the process"): a query nested 20,000
deep used to crash `pipeline-atlas query` (exit 139), a 4-way cross join and a COUNT over four
150-value VALUES blocks ran until killed.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline_atlas import Atlas, Limits
from pipeline_atlas.errors import (
    ForbiddenQueryError,
    QueryLimitError,
    QueryStoppedError,
    SparqlSyntaxError,
)
from pipeline_atlas.paths import ProjectPaths

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "project"
VALUES_150 = " ".join(f'"{i}"' for i in range(150))

NESTED = "SELECT * WHERE " + "{" * 20_000 + " ?s ?p ?o " + "}" * 20_000
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CROSS_JOIN_ROWS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
VALUES_COUNT = (
    "SELECT (COUNT(*) AS ?n) WHERE { "
    + " ".join(f"VALUES ?v{k} {{ {VALUES_150} }}" for k in range(4))
    + " }"
)
MEMORY_HOG = (
    'SELECT (STRLEN(GROUP_CONCAT(CONCAT("' + "x" * 10_000 + '", STR(?a), STR(?b)))) AS ?x) '
    "WHERE { VALUES ?a { " + " ".join(map(str, range(200))) + " } "
    "VALUES ?b { " + " ".join(map(str, range(200))) + " } }"
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture
def atlas() -> Iterator[Atlas]:
    """The fixture project (21 triples) with a short time limit."""
    atlas = Atlas.build(reason=False, paths=ProjectPaths.at(FIXTURE))
    atlas.limits = Limits(timeout=3, memory_mb=1024)
    yield atlas
    atlas.close()


@pytest.fixture(scope="module")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's graph (no reasoner) in a store directory, for the CLI."""
    target = tmp_path_factory.mktemp("sandbox") / "store"
    Atlas.build(store_dir=target, reason=False).close()
    return target


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real console entry point in a child process (a crash there is an exit code)."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline_atlas", *args],
        capture_output=True,
        text=True,
        timeout=180,  # a hang guard, not a speed requirement
        cwd=ROOT,
        check=False,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NESTED, "error: q.rq:1:116: the query is nested deeper than 100 levels (the limit); "
         "flatten its groups"),
        (CROSS_JOIN, "error: q.rq: the query was stopped after the time limit of 3 s; simplify "
         "the query or raise --timeout"),
        (VALUES_COUNT, "error: q.rq: the query was stopped after the time limit of 3 s; "
         "simplify the query or raise --timeout"),
    ],
    ids=["nested-20000", "cross-join", "values-count"],
)  # fmt: skip
def test_hostile_queries_end_with_one_line_and_exit_2(
    real_store: Path, tmp_path: Path, text: str, expected: str
) -> None:
    file = tmp_path / "q.rq"
    file.write_text(text, encoding="utf-8")
    result = cli("query", str(file), "--store", str(real_store), "--timeout", "3")
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [expected.replace("q.rq", str(file))]


def test_hostile_sparql_text_on_the_command_line(real_store: Path) -> None:
    result = cli("query", VALUES_COUNT, "--store", str(real_store), "--timeout", "2")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: <query>: the query was stopped after the time limit of 2 s; simplify the query "
        "or raise --timeout"
    ]


@pytest.mark.parametrize("text", [CROSS_JOIN, VALUES_COUNT], ids=["cross-join", "values-count"])
def test_a_stopped_query_is_followed_by_a_normal_answer(real_store: Path, text: str) -> None:
    with Atlas.open(real_store) as atlas:
        atlas.limits = Limits(timeout=3)
        stages = atlas.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a pa:Stage }").rows
        first = atlas.sandbox().worker_pid
        with pytest.raises(QueryStoppedError) as info:
            atlas.query(text)
        assert (info.value.reason, info.value.limit) == ("timeout", 3)
        assert str(info.value) == "<query>: the query was stopped after the time limit of 3 s"
        assert atlas.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a pa:Stage }").rows == stages
        assert atlas.sandbox().worker_pid not in (None, first)
    assert stages == [{"n": 4}]


def test_a_query_that_crashes_the_worker_is_reported_and_the_worker_replaced(
    atlas: Atlas,
) -> None:
    # with the nesting check lifted, pyoxigraph's parser overflows its stack: the worker dies,
    # this process does not
    atlas.limits = atlas.limits.with_options(max_depth=1_000_000)
    with pytest.raises(QueryStoppedError) as info:
        atlas.query(NESTED)
    assert info.value.reason == "crash"
    assert str(info.value).startswith("<query>: the query crashed its worker process, which was")
    assert atlas.query(COUNT).rows == [{"n": 21}]


def test_a_query_past_the_memory_limit_is_stopped(atlas: Atlas) -> None:
    atlas.limits = atlas.limits.with_options(memory_mb=300, timeout=60)
    with pytest.raises(QueryStoppedError) as info:
        atlas.query(MEMORY_HOG)
    assert str(info.value) == (
        "<query>: the query was stopped: it needed more than the memory limit of 300 MB"
    )
    assert atlas.query(COUNT).rows == [{"n": 21}]


def test_the_same_query_runs_with_enough_memory(atlas: Atlas) -> None:
    atlas.limits = atlas.limits.with_options(memory_mb=2048, timeout=60)
    # 40,000 items of 10,000 x's and two numbers (490 digits per 200), 39,999 separators
    assert atlas.query(MEMORY_HOG).rows == [{"x": 40_000 * 10_000 + 2 * 490 * 200 + 39_999}]


def test_the_row_cap_applies_to_every_kind_of_result(atlas: Atlas) -> None:
    with pytest.raises(QueryLimitError, match=r"^<query>: more than 5 result rows"):
        atlas.query(CROSS_JOIN_ROWS, max_rows=5)
    with pytest.raises(QueryLimitError, match=r"^<query>: more than 5 result rows"):
        atlas.query("CONSTRUCT WHERE { ?s ?p ?o }", max_rows=5)
    with pytest.raises(QueryLimitError, match=r"^<query>: more than 2 result rows"):
        atlas.query("DESCRIBE ?s WHERE { ?s a pa:Stage }", max_rows=2)
    atlas.limits = atlas.limits.with_options(max_rows=10)
    with pytest.raises(QueryLimitError, match=r"^<query>: more than 10 result rows"):
        atlas.query("SELECT * WHERE { ?s ?p ?o }", max_rows=None)


def test_syntax_errors_keep_the_persons_line_and_column(atlas: Atlas) -> None:
    # default prefixes are put before the text; positions are still those of the text (the
    # column is the one pyoxigraph gives for the same text without them)
    with pytest.raises(SparqlSyntaxError) as info:
        atlas.query("SELECT * WHERE { ?s a pa:Stage . ?s ?p }")
    assert (info.value.line, info.value.column) == (1, 41)
    with pytest.raises(SparqlSyntaxError) as info:
        atlas.query("SELECT *\nWHERE { ?s a pa:Stage .\n ?s ?p }")
    assert (info.value.line, info.value.column) == (3, 9)


def test_updates_and_service_are_refused_before_anything_runs(atlas: Atlas) -> None:
    with pytest.raises(ForbiddenQueryError):
        atlas.query("DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(ForbiddenQueryError):
        atlas.query("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert atlas.sandbox().worker_pid is None  # no worker was even started


def test_a_text_longer_than_the_limit_is_refused(atlas: Atlas) -> None:
    atlas.limits = atlas.limits.with_options(max_length=100)
    with pytest.raises(QueryLimitError) as info:
        atlas.query("SELECT * WHERE { ?s ?p ?o } # " + "x" * 100)
    assert str(info.value) == ("<query>: the query has 130 characters, more than the limit of 100")


def test_a_store_directory_is_queried_by_the_worker(real_store: Path) -> None:
    with Atlas.open(real_store) as atlas:
        catalogue = atlas.query("cq-001").rows
        ad_hoc = atlas.query(
            "SELECT ?stage ?order WHERE { ?stage pa:stageOrder ?order } ORDER BY ?order"
        ).rows
    assert [(r["stage"], r["order"]) for r in catalogue] == [
        (r["stage"], r["order"]) for r in ad_hoc
    ]


def test_catalogue_queries_run_in_process(atlas: Atlas) -> None:
    assert atlas.query("cq-001").rows
    assert atlas.sandbox().worker_pid is None


def test_importing_the_library_loads_nothing_heavy() -> None:
    code = (
        "import pipeline_atlas, sys; print(sorted(m for m in "
        "('streamlit','owlready2','pyshacl','rdflib') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout == "[]\n"
