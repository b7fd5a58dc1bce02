"""An import killed midway leaves the store exactly as it was.

`pipeline-atlas import` runs in a subprocess on a copy of a small built store with a file large
enough that writing it takes a noticeable time. The test reads the process's stderr until the
line it prints just before the write ("writing N quads to the store in one transaction…"), sends
SIGKILL at once, and compares the store's digest with the one before. If the write had already
been committed when the signal arrived (a busy machine), that run proves nothing: the store must
then hold the whole import (never a part of it) and the test tries again with a file twice as
large, and fails if it never manages to kill a write in progress.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from pipeline_atlas.build import build_store
from pipeline_atlas.exchange.imports import import_graph_iri, store_digest
from pipeline_atlas.paths import ENV_ROOT, ProjectPaths, project_paths

pytestmark = [pytest.mark.slow, pytest.mark.integration]

FIXTURE_PROJECT = Path(__file__).resolve().parents[1] / "fixtures" / "project"
ATTEMPTS = 4
FIRST_NODES = 2000
LITERAL_SIZE = 20_000
"""The first file: 2000 triples of 20 kB literals (40 MB), about 0.3 s of writing."""


def _bulk_file(path: Path, nodes: int) -> int:
    pad = "x" * LITERAL_SIZE
    with path.open("w", encoding="utf-8") as out:
        for i in range(nodes):
            out.write(
                f"<https://example.org/bulk/n{i}> "
                f'<http://www.w3.org/2000/01/rdf-schema#comment> "{i} {pad}" .\n'
            )
    return nodes


def _graph_size(store_dir: Path, graph: str) -> int:
    store = ox.Store.read_only(str(store_dir))
    size = len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))
    del store
    return size


def _kill_while_writing(root: Path, store_dir: Path, file: Path) -> int:
    """Run the import, SIGKILL it as soon as it says it is writing; its return code."""
    env = {**os.environ, ENV_ROOT: str(root), "PIPELINE_ATLAS_LANG": "en"}
    command = [
        sys.executable, "-m", "pipeline_atlas", "import", str(file),
        "--organization", "Bulk Sender", "--store", str(store_dir),
    ]  # fmt: skip
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    seen = []
    try:
        for line in process.stderr:
            seen.append(line)
            if "writing" in line and "quads to the store" in line:
                process.send_signal(signal.SIGKILL)
                break
        else:
            pytest.fail(f"the import never said it was writing: {''.join(seen)}")
    finally:
        code = process.wait(timeout=300)
        process.stderr.close()
    return code


def test_an_import_killed_while_it_writes_leaves_the_store_unchanged(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE_PROJECT, root)
    for name in ("pipeline-atlas.ttl", "shapes.ttl"):
        shutil.copy(project_paths().ontology / name, root / "ontology" / name)
    store_dir = tmp_path / "store"
    build_store(ProjectPaths.at(root), store_dir=store_dir, reason=False).close()
    before = store_digest(store_dir)
    graph = import_graph_iri("bulk")

    nodes = FIRST_NODES
    for _attempt in range(ATTEMPTS):
        file = tmp_path / "bulk.nt"
        _bulk_file(file, nodes)
        code = _kill_while_writing(root, store_dir, file)
        if code == -signal.SIGKILL and store_digest(store_dir) == before:
            return  # killed during the write: nothing of it is in the store
        # The write finished before the signal arrived: the whole import is there, not a part.
        assert _graph_size(store_dir, graph) > nodes, f"exit code {code}: a partial import"
        shutil.rmtree(store_dir)
        build_store(ProjectPaths.at(root), store_dir=store_dir, reason=False).close()
        assert store_digest(store_dir) == before
        nodes *= 2
    pytest.fail(f"in {ATTEMPTS} attempts the import was never killed while writing")
