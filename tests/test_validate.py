"""SHACL shapes and the validation report: the real data conforms, and every counter-example in
tests/data/invalid/ breaks exactly the shape it is named after.

A counter-example is ``<Shape>-<property>.ttl``, or ``<Shape>-<property>.<variant>.ttl`` when one
property shape has more than one rule worth showing; it is added to the real data, so it may use
the real nodes."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from pipeline_atlas.atlas import Atlas
from pipeline_atlas.errors import AtlasError, TurtleSyntaxError, ValidationError
from pipeline_atlas.namespaces import PREFIXES
from pipeline_atlas.paths import project_paths
from pipeline_atlas.build.load import parse_files, source_files
from pipeline_atlas.store import EmbeddedStore
from pipeline_atlas.build.validate import Finding, ValidationReport, validate

PATHS = project_paths()
SHAPES_FILE = PATHS.ontology / "shapes.ttl"
INVALID = Path(__file__).resolve().parent / "data" / "invalid"
COUNTER_EXAMPLES = sorted(INVALID.glob("*.ttl"))
BROKEN_SHAPES = {p: p.name.split(".")[0] for p in COUNTER_EXAMPLES}
PA = PREFIXES["pa"]
PASH = PREFIXES["pash"]

# The classes that the data model is made of: each has its own node shape.
MODEL_CLASSES = [
    "Stage",
    "PublicBody",
    "Office",
    "Jurisdiction",
    "Action",
    "InformationFlow",
    "LegalInstrument",
    "LegalProceeding",
    "SourcePassage",
    "SourceDocument",
    "GovernmentLevel",
    "ActionInstrument",
    "ActionEffect",
    "ActionScope",
    "DataKind",
    "ProceedingType",
    "LegalRepresentationProgram",
    "EnforcementAgreement",
    "CharterStatus",
    "MunicipalType",
    "DeportabilityGround",
    "City",
    "County",
]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def _key(finding: Finding) -> tuple[str, str | None, str, str | None]:
    return (finding.rule, finding.focus, finding.message, finding.value)


@pytest.fixture(scope="module")
def real_findings() -> set[tuple[str, str | None, str, str | None]]:
    """What SHACL finds in the real data alone (nothing, when it conforms): a counter-example is
    judged by what it adds, so that one problem in the real data does not fail every example."""
    return {_key(f) for f in validate(checks=["shacl"]).findings}


def test_the_real_data_conforms_to_the_shapes_and_quality_checks() -> None:
    report = validate(checks=["shacl", "qc"])
    assert report.conforms, str(report)
    assert report.checks == ("shacl", "qc")
    assert str(report) == "conforms: no findings (shacl, qc)"


@pytest.mark.slow
def test_the_real_data_passes_every_check_including_the_reasoner(tmp_path: Path) -> None:
    report = validate(build_dir=tmp_path)
    assert report.conforms, str(report)
    assert report.checks == ("shacl", "qc", "reasoner")


def test_there_are_enough_counter_examples() -> None:
    assert len(COUNTER_EXAMPLES) >= 90


def test_counter_examples_are_named_after_shapes_that_exist(shapes: Graph) -> None:
    for example, shape in BROKEN_SHAPES.items():
        assert (URIRef(PASH + shape), RDF.type, SH.PropertyShape) in shapes, example.name


def _subjects(example: Path) -> list[str]:
    triples = ox.parse(path=str(example), format=ox.RdfFormat.TURTLE)
    return sorted({t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)})


@pytest.mark.parametrize("example", COUNTER_EXAMPLES, ids=[p.stem for p in COUNTER_EXAMPLES])
def test_counter_example_breaks_exactly_its_shape(
    example: Path, real_findings: set[tuple[str, str | None, str, str | None]]
) -> None:
    expected = {f"pash:{BROKEN_SHAPES[example]}"}

    def added_by(report: ValidationReport) -> list[Finding]:
        return [f for f in report.findings if _key(f) not in real_findings]

    # First SHACL on the counter-example's own nodes only (the whole graph is still there for
    # their neighbours), which is quick however large graph_data/ grows. pySHACL's focus mode
    # misses some constraints (qualified value shapes), so unless it shows exactly the expected
    # shape, the whole graph is validated and judged the same way.
    report = validate(extra_files=[example], checks=["shacl"], focus=_subjects(example))
    if {f.rule for f in added_by(report)} != expected:
        report = validate(extra_files=[example], checks=["shacl"])
    assert not report.conforms
    added = added_by(report)
    assert {f.rule for f in added} == expected, str(report)
    for finding in added:
        assert finding.message, finding
        assert finding.focus is not None, finding


def test_every_node_shape_has_a_counter_example(shapes: Graph) -> None:
    node_shapes = {str(s).removeprefix(PASH) for s in shapes.subjects(RDF.type, SH.NodeShape)}
    broken = {shape.split("-")[0] for shape in BROKEN_SHAPES.values()}
    assert node_shapes - broken == set()


def test_every_model_class_has_a_node_shape_that_targets_it(shapes: Graph) -> None:
    for name in MODEL_CLASSES:
        shape = URIRef(f"{PASH}{name}Shape")
        assert (shape, RDF.type, SH.NodeShape) in shapes, name
        assert (shape, SH.targetClass, URIRef(PA + name)) in shapes, name


def test_every_shape_targets_a_class_of_the_ontology(shapes: Graph) -> None:
    ontology = Graph().parse(PATHS.ontology / "pipeline-atlas.ttl", format="turtle")
    for target in shapes.objects(None, SH.targetClass):
        assert (target, RDF.type, OWL.Class) in ontology, target


def test_property_shapes_are_named_after_their_class_and_path(shapes: Graph) -> None:
    seen = 0
    for node_shape in shapes.subjects(RDF.type, SH.NodeShape):
        for prop in shapes.objects(node_shape, SH.property):
            seen += 1
            assert isinstance(prop, URIRef), f"{node_shape} has an anonymous property shape"
            path = shapes.value(prop, SH.path)
            assert isinstance(path, URIRef), prop
            local = re.split(r"[/#]", str(path))[-1]
            assert str(prop) == f"{node_shape}-{local}"
            assert shapes.value(prop, SH.name) is not None, f"{prop} has no sh:name"
            assert shapes.value(prop, SH.message) is not None, f"{prop} has no sh:message"
            assert (prop, RDF.type, SH.PropertyShape) in shapes, prop
    assert seen >= 150


def test_every_node_shape_has_a_label(shapes: Graph) -> None:
    for node_shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert shapes.value(node_shape, RDFS.label) is not None, node_shape


def test_validate_accepts_an_atlas_a_store_and_files() -> None:
    atlas = Atlas.build(reason=False)
    assert validate(atlas, checks=["shacl", "qc"]).conforms
    assert validate(atlas.store, checks=["qc"]).conforms
    raw = ox.Store()
    for quads in parse_files(source_files(PATHS), root=PATHS.root).values():
        raw.extend(quads)
    assert validate(raw, checks=["shacl"]).conforms
    files = [f for f in source_files(PATHS) if f.name != "shapes.ttl"]
    assert validate(files, checks=["shacl"]).conforms


def test_a_store_with_a_broken_node_does_not_conform() -> None:
    store = EmbeddedStore()
    store.load_graphs(parse_files(source_files(PATHS), root=PATHS.root))
    store.load_text(
        "<https://w3id.org/pipeline-atlas/id/stage/police-stop> "
        "<https://w3id.org/pipeline-atlas/ont/stageOrder> 0 .",
        graph=PREFIXES["pag"] + "graph_data/broken",
    )
    report = validate(store, checks=["shacl", "qc"])
    assert not report.conforms
    assert "pash:StageShape-stageOrder" in report.rules("shacl")
    assert "stage-order-violation" in report.rules("qc")


def test_the_inferred_and_shapes_graphs_are_not_validated_as_data() -> None:
    store = EmbeddedStore()
    store.load_graphs(parse_files(source_files(PATHS), root=PATHS.root))
    # a node in the reasoner's graph that would break every shape if it were data
    store.load_text(
        "<https://e.org/x> a <https://w3id.org/pipeline-atlas/ont/Stage> .",
        graph=PREFIXES["pag"] + "inferred",
    )
    assert validate(store, checks=["shacl", "qc"]).conforms


def test_a_malformed_extra_file_is_a_syntax_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://e.org/a> <https://e.org/p> .\n", encoding="utf-8")
    with pytest.raises(TurtleSyntaxError) as caught:
        validate(extra_files=[bad], checks=["shacl"])
    assert "bad.ttl:1" in str(caught.value)


def test_an_unknown_check_is_an_error() -> None:
    with pytest.raises(AtlasError, match="unknown check"):
        validate(checks=["lint"])  # type: ignore[list-item]


def test_missing_shapes_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(AtlasError, match="no SHACL shapes"):
        validate(checks=["shacl"], shapes=tmp_path / "none.ttl")


def test_report_text_has_one_line_per_finding_and_a_count() -> None:
    report = ValidationReport(
        [
            Finding("shacl", "pash:StageShape-label", PREFIXES["stage"] + "x", "A stage has..."),
            Finding("qc", "instance-label-violation", PREFIXES["stage"] + "x", "No label."),
            Finding("reasoner", "consistency", None, "inconsistent"),
        ],
        checks=("shacl", "qc", "reasoner"),
    )
    lines = str(report).splitlines()
    assert len(lines) == 4
    assert lines[0].split() == ["shacl", "pash:StageShape-label", "stage:x", "A", "stage", "has..."]
    assert lines[2].split()[:3] == ["reasoner", "consistency", "-"]
    assert lines[3] == "3 findings (shacl: 1, qc: 1, reasoner: 1)"
    assert report.to_text() == str(report)
    assert [f.rule for f in report.by_source("qc")] == ["instance-label-violation"]


def test_raise_if_not_conforming_carries_the_report() -> None:
    report = ValidationReport([Finding("qc", "x-violation", None, "bad")])
    with pytest.raises(ValidationError) as caught:
        report.raise_if_not_conforming()
    assert caught.value.report is report
    ValidationReport([]).raise_if_not_conforming()


@pytest.mark.slow
def test_an_inconsistent_graph_is_a_reasoner_finding(tmp_path: Path) -> None:
    example = INVALID / "reasoner" / "stage-and-action.ttl"
    report = validate(extra_files=[example], checks=["reasoner"], build_dir=tmp_path)
    assert not report.conforms
    [finding] = report.findings
    assert finding.source == "reasoner"
    assert finding.rule == "consistency"
    assert finding.focus == PREFIXES["stage"] + "police-stop"
    assert "pa:Action" in finding.message and "pa:Stage" in finding.message
