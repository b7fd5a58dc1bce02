"""Atlas.open_default: which store the CLI and the explorer read."""

from __future__ import annotations

import os

import pytest

from pipeline_atlas.atlas import Atlas
from pipeline_atlas.paths import ProjectPaths


class Notes(list[tuple[str, dict[str, object]]]):
    """What ``open_default`` tells its caller: message keys and their values."""

    def __call__(self, key: str, **values: object) -> None:
        self.append((key, values))


@pytest.mark.slow  # builds in memory with the reasoner (Java)
def test_builds_in_memory_when_there_is_no_store(fixture_project: ProjectPaths) -> None:
    notes = Notes()
    atlas = Atlas.open_default(paths=fixture_project, note=notes)
    assert atlas.store.path is None  # type: ignore[attr-defined]
    assert notes == [("cli.note.building_in_memory", {"store": fixture_project.default_store})]


def test_opens_a_current_store_silently(fixture_project: ProjectPaths) -> None:
    Atlas.build(
        store_dir=fixture_project.default_store, reason=False, paths=fixture_project
    ).close()
    notes = Notes()
    atlas = Atlas.open_default(paths=fixture_project, note=notes)
    assert atlas.store.path == fixture_project.default_store  # type: ignore[attr-defined]
    assert notes == []


@pytest.mark.slow  # builds in memory with the reasoner (Java)
def test_stale_store_is_noted_or_rebuilt(fixture_project: ProjectPaths) -> None:
    Atlas.build(
        store_dir=fixture_project.default_store, reason=False, paths=fixture_project
    ).close()
    source = next(fixture_project.graph_data.rglob("*.ttl"))
    later = max(f.stat().st_mtime for f in fixture_project.default_store.iterdir()) + 10
    os.utime(source, (later, later))

    notes = Notes()
    stale = Atlas.open_default(paths=fixture_project, note=notes)
    assert stale.store.path == fixture_project.default_store  # type: ignore[attr-defined]
    newer = fixture_project.relative(source)
    assert notes == [("cli.note.stale", {"file": newer, "store": fixture_project.default_store})]
    stale.close()

    notes.clear()
    fresh = Atlas.open_default(paths=fixture_project, rebuild_stale=True, note=notes)
    assert fresh.store.path is None  # type: ignore[attr-defined]
    assert notes == [
        ("cli.note.stale_rebuild", {"file": newer, "store": fixture_project.default_store})
    ]
