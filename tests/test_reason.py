"""The reasoner (owlready2 + HermiT): the real graph is consistent, the defined classes and the
property chain are materialised, an inconsistent graph is refused, and the cache works."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from pipeline_atlas.build import reason
from pipeline_atlas.build.load import parse_files, source_files
from pipeline_atlas.build.reason import InconsistentOntologyError, cache_key, infer, reasoner_input
from pipeline_atlas.errors import ReasonerError
from pipeline_atlas.namespaces import INFERRED_GRAPH, PREFIXES
from pipeline_atlas.paths import project_paths

pytestmark = pytest.mark.slow  # Java (HermiT)

PATHS = project_paths()
INVALID = Path(__file__).resolve().parent / "data" / "invalid" / "reasoner"
PA = PREFIXES["pa"]
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")


def action(slug: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES["action"] + slug)


def project_quads() -> list[ox.Quad]:
    graphs = parse_files(source_files(PATHS), root=PATHS.root)
    return [q for quads in graphs.values() for q in quads]


def with_file(path: Path) -> list[ox.Quad]:
    return project_quads() + list(ox.parse(path=path, format=ox.RdfFormat.TURTLE))


def members(triples: list[ox.Triple], cls: str) -> set[ox.NamedNode | ox.BlankNode]:
    target = ox.NamedNode(PA + cls)
    return {t.subject for t in triples if t.predicate == RDF_TYPE and t.object == target}


@pytest.fixture(scope="module")
def build_dir(reasoner_build_dir: Path) -> Path:
    """The session's build directory (tests/conftest.py), where HermiT already reasoned over the
    real graph once: ``inferred`` is its cached answer, not a second run of Java."""
    return reasoner_build_dir


@pytest.fixture(scope="module")
def inferred(build_dir: Path) -> list[ox.Triple]:
    return infer(project_quads(), build_dir=build_dir)


def test_the_real_ontology_and_data_are_consistent(inferred: list[ox.Triple]) -> None:
    assert inferred  # no InconsistentOntologyError, and something was inferred


def test_exactly_the_four_blocking_actions_are_information_blocking(
    inferred: list[ox.Triple],
) -> None:
    assert members(inferred, "InformationBlockingAction") == {
        action("city-noncooperation-ordinance"),
        action("state-law-cdcr-noncooperation"),
        action("county-probation-ordinance"),
        action("limit-collection-and-sharing"),
    }


def test_representation_actions_are_legal_representation_actions(
    inferred: list[ox.Triple],
) -> None:
    assert members(inferred, "LegalRepresentationAction") == {
        action("city-justice-fund"),
        action("federal-universal-representation"),
    }


def test_the_property_chain_says_who_can_block_a_flow(inferred: list[ox.Triple]) -> None:
    flow = ox.NamedNode(PREFIXES["flow"] + "city-departments-to-immigration-enforcement")
    council = ox.NamedNode(PREFIXES["body"] + "city-council")
    assert ox.Triple(flow, ox.NamedNode(PA + "canBeBlockedBy"), council) in inferred
    assert ox.Triple(council, ox.NamedNode(PA + "canBlock"), flow) in inferred
    blockable = {t.subject for t in inferred if t.predicate.value == PA + "canBeBlockedBy"}
    # the federal transfer to ICE is blocked by no action in the source, so by no body
    assert ox.NamedNode(PREFIXES["flow"] + "federal-transfer-to-ice") not in blockable
    assert ox.NamedNode(PREFIXES["flow"] + "booking-fingerprints") not in blockable
    # issue #3: blocking a flow blocks its parts (pa:blocksFlow o pa:hasPartFlow)
    assert {f.value.removeprefix(PREFIXES["flow"]) for f in blockable} == {
        "city-departments-to-immigration-enforcement",
        "lockup-personal-information",
        "jail-detainers-and-notifications",
        "cdcr-cooperation-with-ice",
        "cdcr-referrals",
        "cdcr-release-dates-and-transfers",
        "probation-appointment-notification",
    }


def test_only_new_triples_between_iris_are_returned(inferred: list[ox.Triple]) -> None:
    asserted = set(reasoner_input(project_quads()))
    for t in inferred:
        assert t not in asserted, t
        assert isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode), t
    assert inferred == sorted(inferred, key=str)


def test_a_graph_with_a_stage_that_is_an_action_is_inconsistent(build_dir: Path) -> None:
    with pytest.raises(InconsistentOntologyError) as caught:
        infer(with_file(INVALID / "stage-and-action.ttl"), build_dir=build_dir)
    error = caught.value
    assert isinstance(error, ReasonerError)
    assert "stage:police-stop is both pa:Action and pa:Stage, which are disjoint" in str(error)
    assert error.individuals == (PREFIXES["stage"] + "police-stop",)
    assert set(error.classes) == {PA + "Action", PA + "Stage"}


def test_an_unsatisfiable_class_is_named(build_dir: Path) -> None:
    with pytest.raises(InconsistentOntologyError) as caught:
        infer(with_file(INVALID / "unsatisfiable-class.ttl"), build_dir=build_dir)
    assert caught.value.classes == (PA + "StageAction",)
    assert "pa:StageAction" in str(caught.value)


def test_a_second_run_is_answered_from_the_cache(
    build_dir: Path, inferred: list[ox.Triple], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_java(*args: object, **kwargs: object) -> list[ox.Triple]:
        raise AssertionError("HermiT ran although the answer was cached")

    monkeypatch.setattr(reason, "_run_hermit", no_java)
    # parsed again: new blank-node labels, same key
    assert infer(project_quads(), build_dir=build_dir) == inferred
    assert list((build_dir / "reasoner").glob("*.nt"))


def test_the_cache_key_ignores_blank_node_labels_and_order() -> None:
    first = reasoner_input(project_quads())
    second = reasoner_input(project_quads())
    assert {t for t in first if isinstance(t.subject, ox.BlankNode)} != {
        t for t in second if isinstance(t.subject, ox.BlankNode)
    }
    assert cache_key(first) == cache_key(reversed(second))
    assert cache_key(first) != cache_key(first[1:])


def test_the_inferred_and_shapes_graphs_are_not_reasoned_over() -> None:
    quads = project_quads()
    kept = reasoner_input(quads)
    extra = ox.Quad(
        ox.NamedNode("https://e.org/x"),
        RDF_TYPE,
        ox.NamedNode(PA + "Stage"),
        ox.NamedNode(INFERRED_GRAPH),
    )
    assert reasoner_input([*quads, extra]) == kept
    shapes = PREFIXES["pag"] + "ontology/shapes"
    assert any(q.graph_name == ox.NamedNode(shapes) for q in quads)
    assert not {t.subject for t in kept if t.subject.value.startswith(PREFIXES["pash"])}


def test_a_store_can_be_passed(build_dir: Path, inferred: list[ox.Triple]) -> None:
    store = ox.Store()
    store.extend(project_quads())
    assert infer(store, build_dir=build_dir) == inferred


def test_java_output_stays_off_the_terminal(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    infer(project_quads(), build_dir=tmp_path, cache=False)
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_missing_java_says_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(ReasonerError, match="default-jre-headless"):
        infer(project_quads(), build_dir=tmp_path, cache=False, java="no-such-java-here")


def test_the_atlas_materialises_the_inferred_graph() -> None:
    from pipeline_atlas.atlas import Atlas

    atlas = Atlas.build()
    rows = atlas.query(
        "SELECT ?a WHERE { GRAPH <" + INFERRED_GRAPH + "> { ?a a pa:InformationBlockingAction } }"
    ).rows
    assert len(rows) == 4
