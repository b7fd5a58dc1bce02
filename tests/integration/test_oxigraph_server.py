"""A real Oxigraph server on 127.0.0.1 (issue 6, point 2): the graph pushed through the Graph Store
Protocol answers like the embedded store, with the server's default graph the union of the named
graphs or not, and through the real ``pipeline-atlas`` console script.

The servers are started by tests/conftest.py (``oxigraph_server``, ``oxigraph_endpoint``): a free
port, a temporary ``--location``, polled until they answer, stopped at the end of the session.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest

from pipeline_atlas import Atlas
from pipeline_atlas.atlas import ENV_ENDPOINT, ENV_UNION
from pipeline_atlas.build.push import graph_store_url, push_graphs
from pipeline_atlas.paths import ENV_ROOT, ProjectPaths
from pipeline_atlas.store import EmbeddedStore

if TYPE_CHECKING:
    from conftest import OxigraphServer

pytestmark = pytest.mark.integration

CLI = Path(sys.executable).with_name("pipeline-atlas")


def count_in_default_graph(query_url: str) -> int:
    """Triples the server's own default graph holds (no ``default-graph-uri``)."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        query_url, data=data, headers={"Accept": "application/sparql-results+json"}
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=30) as answer:
        body = json.load(answer)
    return int(body["results"]["bindings"][0]["n"]["value"])


def test_the_server_default_graph_is_empty_so_queries_name_the_graphs(
    oxigraph_endpoint: str,
) -> None:
    """Without --union-default-graph the server's default graph holds nothing: the answers of
    the competency-question tests on ``atlas[oxigraph]`` come through ``default-graph-uri``."""
    assert count_in_default_graph(oxigraph_endpoint) == 0
    atlas = Atlas.open_endpoint(oxigraph_endpoint, union_default_graph=False)
    try:
        assert len(atlas.query("cq-001").rows) == 4
    finally:
        atlas.close()


def test_a_union_default_graph_server_gives_the_same_cq003_answer(
    oxigraph_server: Callable[..., OxigraphServer],
    oxigraph_endpoint: str,
    reasoned_graphs: dict[str, list[ox.Quad]],
) -> None:
    union = oxigraph_server(union_default_graph=True)
    push_graphs(reasoned_graphs, graph_store=graph_store_url(union.query_url))
    assert count_in_default_graph(union.query_url) > 0

    def cq003(atlas: Atlas) -> list[dict[str, object]]:
        try:
            return atlas.query("cq-003").rows
        finally:
            atlas.close()

    on_union = cq003(Atlas.open_endpoint(union.query_url, union_default_graph=True))
    named = cq003(Atlas.open_endpoint(oxigraph_endpoint, union_default_graph=False))
    store = EmbeddedStore()
    store.replace_graphs(reasoned_graphs)
    embedded = cq003(Atlas(store))
    assert on_union
    assert on_union == named == embedded


def run_cli(*args: str, env: dict[str, str]) -> str:
    """Run the installed ``pipeline-atlas`` console script; its standard output."""
    done = subprocess.run(
        [str(CLI), *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert done.returncode == 0, f"pipeline-atlas {' '.join(args)}:\n{done.stderr}"
    return done.stdout


def test_cli_push_then_query_answers_like_the_embedded_store(
    oxigraph_server: Callable[..., OxigraphServer],
    project_with_reasoner_cache: ProjectPaths,  # the session's reasoner answer: no second Java run
    tmp_path: Path,
) -> None:
    assert CLI.is_file(), f"no console script at {CLI}: pip install -e '.[dev]'"
    server = oxigraph_server(union_default_graph=False)
    env = {k: v for k, v in os.environ.items() if k not in (ENV_ENDPOINT, ENV_UNION)}
    env[ENV_ROOT] = str(project_with_reasoner_cache.root)
    env["NO_PROXY"] = "127.0.0.1"

    pushed = run_cli("--endpoint", server.query_url, "push", env=env)
    assert pushed.startswith("pushed ") and server.store_url in pushed
    remote = run_cli("--endpoint", server.query_url, "query", "cq-001", "--format", "csv", env=env)

    store = tmp_path / "store"
    run_cli("build", "--store", str(store), env=env)
    embedded = run_cli("query", "cq-001", "--format", "csv", "--store", str(store), env=env)
    assert remote == embedded
    assert remote.splitlines()[0].startswith("stage,")
    assert len(remote.splitlines()) == 5  # a header and the four stages
