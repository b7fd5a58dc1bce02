"""Atlas.open_default: which store the CLI and the explorer read."""

from __future__ import annotations

import os

from pipeline_atlas.atlas import Atlas
from pipeline_atlas.paths import ProjectPaths


def test_builds_in_memory_when_there_is_no_store(fixture_project: ProjectPaths) -> None:
    notes: list[str] = []
    atlas = Atlas.open_default(paths=fixture_project, note=notes.append)
    assert atlas.store.path is None
    assert len(notes) == 1 and notes[0].startswith("no store at ")


def test_opens_a_current_store_silently(fixture_project: ProjectPaths) -> None:
    Atlas.build(
        store_dir=fixture_project.default_store, reason=False, paths=fixture_project
    ).close()
    notes: list[str] = []
    atlas = Atlas.open_default(paths=fixture_project, note=notes.append)
    assert atlas.store.path == fixture_project.default_store
    assert notes == []


def test_stale_store_is_noted_or_rebuilt(fixture_project: ProjectPaths) -> None:
    Atlas.build(
        store_dir=fixture_project.default_store, reason=False, paths=fixture_project
    ).close()
    source = next(fixture_project.graph_data.rglob("*.ttl"))
    later = max(f.stat().st_mtime for f in fixture_project.default_store.iterdir()) + 10
    os.utime(source, (later, later))

    notes: list[str] = []
    stale = Atlas.open_default(paths=fixture_project, note=notes.append)
    assert stale.store.path == fixture_project.default_store
    assert "is newer than the store" in notes[0]
    stale.close()

    notes.clear()
    fresh = Atlas.open_default(paths=fixture_project, rebuild_stale=True, note=notes.append)
    assert fresh.store.path is None
    assert "building anew" in notes[0]
