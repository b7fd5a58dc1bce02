"""docs/ontology.md is generated from the ontology and must be current."""

from pipeline_atlas.build.docs import ontology_reference
from pipeline_atlas.paths import project_paths


def test_committed_reference_is_current() -> None:
    paths = project_paths()
    committed = (paths.root / "docs" / "ontology.md").read_text(encoding="utf-8")
    assert committed == ontology_reference(paths), "run `pipeline-atlas docs` and commit"


def test_reference_lists_every_term_once() -> None:
    text = ontology_reference()
    for term in ("pa:Stage", "pa:InformationFlow", "pa:blocksFlow", "pa:stageOrder"):
        assert [ln for ln in text.splitlines() if ln.startswith(f"| `{term}` |")] != []
        assert sum(ln.startswith(f"| `{term}` |") for ln in text.splitlines()) == 1
    assert "chain pa:isBlockedBy o pa:targets" in text
