"""The distributions carry the data, and an installed wheel answers queries outside the checkout."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA_DIRS = ("ontology", "graph_data", "queries")
STAGES = [
    "Police Stop",
    "Police Arrest & Local Police Department Lockup",
    "State Crime Conviction",
    "Federal Crime",
]

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command; on failure, fail the test with its output."""
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=1200
    )
    if done.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, args))} exited {done.returncode}\n"
            f"--- stdout\n{done.stdout[-4000:]}\n--- stderr\n{done.stderr[-4000:]}"
        )
    return done.stdout


def clean_env(tmp_path: Path) -> dict[str, str]:
    """The environment less anything that could point the install back at the checkout."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}
        and not k.startswith("PIPELINE_ATLAS")
    }
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def shipped(relative: str) -> bool:
    """Whether setup.py ships a data file (it leaves out caches, dotfiles and editor backups)."""
    return not any(
        part == "__pycache__" or part.startswith(".") or part.endswith(("~", ".pyc"))
        for part in relative.split("/")
    )


def data_files(names: list[str], prefix: str) -> dict[str, list[str]]:
    """The files of each data folder among archive member ``names`` under ``prefix``."""
    return {
        d: sorted(n for n in names if n.startswith(f"{prefix}{d}/") and shipped(n) and n[-1] != "/")
        for d in DATA_DIRS
    }


def source_files(directory: str) -> list[str]:
    """The files of a data folder in the checkout, as setup.py ships them."""
    return sorted(
        relative
        for p in (ROOT / directory).rglob("*")
        if p.is_file() and shipped(relative := p.relative_to(ROOT / directory).as_posix())
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--wheel", "--outdir", out, ROOT, cwd=ROOT)
    (found,) = out.glob("pipeline_atlas-*.whl")
    return found


def test_wheel_carries_the_data_inside_the_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    in_wheel = data_files(names, "pipeline_atlas/_data/")
    for directory in DATA_DIRS:
        expected = [f"pipeline_atlas/_data/{directory}/{f}" for f in source_files(directory)]
        assert expected, f"{directory}/ is empty in the checkout"
        assert in_wheel[directory] == expected
    licences = {n.rsplit("/", 1)[-1] for n in names if ".dist-info/licenses/" in n}
    assert "LICENSE" in licences
    assert "pipeline_atlas/_data/queries/cq/cq-001-stages-in-order.rq" in names
    # the endpoint's query page is served from the package, never from a CDN (issue 8)
    static = {n for n in names if n.startswith("pipeline_atlas/server/static/")}
    for asset in ("yasgui/yasgui.min.js", "yasgui/yasgui.min.css", "query.js", "atlas.css"):
        assert f"pipeline_atlas/server/static/{asset}" in static, asset


def test_sdist_carries_what_the_wheel_is_built_from(tmp_path: Path) -> None:
    run(sys.executable, "-m", "build", "--sdist", "--outdir", tmp_path, ROOT, cwd=ROOT)
    (sdist,) = tmp_path.glob("pipeline_atlas-*.tar.gz")
    with tarfile.open(sdist) as archive:
        files = [m.name for m in archive.getmembers() if m.isfile()]
    top = files[0].split("/")[0]
    names = [n.removeprefix(f"{top}/") for n in files]
    for directory in DATA_DIRS:
        assert data_files(names, "")[directory] == [
            f"{directory}/{f}" for f in source_files(directory)
        ]
    assert "setup.py" in names
    assert "MANIFEST.in" in names


def test_installed_wheel_answers_a_query_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path, env=env)
    python = venv / "bin" / "python"
    constraints = ROOT / "constraints.txt"
    run(python, "-m", "pip", "install", "-q", "-c", constraints, wheel, cwd=tmp_path, env=env)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = "import pipeline_atlas; print(pipeline_atlas.__file__)"
    module = run(python, "-c", where, cwd=elsewhere, env=env)
    assert Path(module.strip()).is_relative_to(venv), module

    # `pip install pipeline-atlas` brings the library and the CLI, not the extras (issue 6)
    absent = "import importlib.util as u; print([m for m in ('streamlit', 'owlready2', 'pyshacl') "
    absent += "if u.find_spec(m)])"
    assert run(python, "-c", absent, cwd=elsewhere, env=env).strip() == "[]"

    cli = venv / "bin" / "pipeline-atlas"
    out = run(cli, "query", "cq-001-stages-in-order", "--format", "csv", cwd=elsewhere, env=env)
    rows = list(csv.DictReader(io.StringIO(out)))
    labels = [row["stageLabel"] for row in rows]
    positions = []
    for stage in STAGES:
        found = [i for i, label in enumerate(labels) if stage in label]
        assert found, f"stage {stage!r} not in the output:\n{out}"
        positions.append(found[0])
    assert positions == sorted(positions), labels
