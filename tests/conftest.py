"""Shared fixtures: a small project of our own (tests/fixtures/project), never the real graph."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

try:
    import pipeline_atlas  # noqa: F401
except ModuleNotFoundError:  # a checkout that is not installed: test the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from pipeline_atlas.atlas import Atlas
from pipeline_atlas.paths import ENV_ROOT, ProjectPaths

FIXTURE_PROJECT = Path(__file__).resolve().parent / "fixtures" / "project"


@pytest.fixture
def fixture_project(tmp_path: Path) -> ProjectPaths:
    """A private copy of the fixture project that a test may change."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE_PROJECT, root)
    return ProjectPaths.at(root)


@pytest.fixture(scope="session")
def fixture_atlas() -> Atlas:
    """The fixture project built in memory, without the reasoner (read it, do not change it)."""
    return Atlas.build(reason=False, paths=ProjectPaths.at(FIXTURE_PROJECT))


@pytest.fixture
def fixture_env(fixture_project: ProjectPaths, monkeypatch: pytest.MonkeyPatch) -> ProjectPaths:
    """Point the CLI (``PIPELINE_ATLAS_ROOT``) at a private copy of the fixture project."""
    monkeypatch.setenv(ENV_ROOT, str(fixture_project.root))
    return fixture_project
