"""SHACL shapes and the validation report: the real data conforms, and every counter-example in
tests/data/invalid/ breaks exactly the shape it is named after.

A counter-example is ``<Shape>-<property>.ttl``, or ``<Shape>-<property>.<variant>.ttl`` when one
property shape has more than one rule worth showing; it is added to the real data, so it may use
the real nodes.

Speed (issue 6, point 8): SHACL over the whole graph costs seconds, so it runs once for the real
data (``real_report``), and the counter-example tests share one rdflib copy of the real data
(``shared_data_graph``) instead of converting and cloning it again for each example."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from pipeline_atlas.atlas import Atlas
from pipeline_atlas.build import validate as validate_module
from pipeline_atlas.build.load import parse_files, parse_text, source_files
from pipeline_atlas.build.validate import Finding, ValidationReport, validate
from pipeline_atlas.errors import AtlasError, TurtleSyntaxError, ValidationError
from pipeline_atlas.namespaces import INFERRED_GRAPH, PREFIXES
from pipeline_atlas.paths import project_paths
from pipeline_atlas.store import EmbeddedStore

PATHS = project_paths()
SHAPES_FILE = PATHS.ontology / "shapes.ttl"
INVALID = Path(__file__).resolve().parent / "data" / "invalid"
COUNTER_EXAMPLES = sorted(INVALID.glob("*.ttl"))
BROKEN_SHAPES = {p: p.name.split(".")[0] for p in COUNTER_EXAMPLES}
WHOLE_GRAPH = {
    "ActionShape-definition",
    "DatedNodeShape-asOf",
    "DatedNodeShape-enactedDate",
    "LegalInstrumentShape-appliesTo",
    "LegalInstrumentShape-imposesDutyOn",
    "LocalInstanceShape-hasJurisdiction.state",
}
"""Counter-examples that pySHACL's focus mode does not see (it reports nothing for their nodes):
they are checked over the whole graph at once, some seconds each, so they are ``slow``."""
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
def real_report() -> ValidationReport:
    """SHACL and the quality checks over the real data: once for the module."""
    return validate(checks=["shacl", "qc"])


@pytest.fixture(scope="module")
def real_findings(real_report: ValidationReport) -> set[tuple[str, str | None, str, str | None]]:
    """What SHACL finds in the real data alone (nothing, when it conforms): a counter-example is
    judged by what it adds, so that one problem in the real data does not fail every example."""
    return {_key(f) for f in real_report.by_source("shacl")}


class SharedDataGraph:
    """One rdflib graph of the real data for every counter-example's SHACL run.

    :func:`validate` converts the data to an rdflib graph (``_rdflib_graph``) and pySHACL copies
    it to mix the ontology in, each time: about a second per example, the same work a hundred
    times. Here the real data and the ontology are converted and mixed once; for each run the
    example's own triples are added to that graph, pySHACL validates it as it is (the ontology
    is in it already), and the example's triples are taken out again afterwards. Everything
    else — the files parsed, the split into data and ontology, pySHACL's options, the report —
    is :func:`validate`'s own. (Real data with blank nodes would not match the copy; then every
    run converts, as :func:`validate` does.)
    """

    def __init__(self) -> None:
        ontology = PREFIXES["pag"] + "ontology/"
        skipped = {INFERRED_GRAPH, ontology + "shapes"}
        graphs = parse_files(source_files(PATHS), root=PATHS.root)
        data = [q for g, qs in graphs.items() if not g.startswith(ontology) for q in qs]
        self.base = frozenset(data)
        self.convert = validate_module._rdflib_graph
        # the ontology mixed in once, as pySHACL would mix it in a copy for each run
        self.graph: Any = self.convert(data)
        self.graph += self.convert(
            q for g, qs in graphs.items() if g.startswith(ontology) and g not in skipped for q in qs
        )
        self.size = len(self.graph)
        self.added: list[Any] = []

    def rdflib_graph(self, quads: Iterable[ox.Quad]) -> Any:
        """``_rdflib_graph`` for the real data plus some triples: the shared graph."""
        quads = list(quads)
        given = frozenset(quads)
        if not given >= self.base:
            return self.convert(quads)  # the ontology, or data other than the real data
        extra = self.convert(given - self.base)
        self.added = [t for t in extra if t not in self.graph]
        for triple in self.added:
            self.graph.add(triple)
        return self.graph

    def pyshacl_validate(self, original: Any) -> Any:
        """``pyshacl.validate`` on the shared graph, which holds the ontology already (so none is
        mixed in again), and is restored afterwards."""

        def run(data_graph: Any, *args: Any, **kwargs: Any) -> Any:
            if data_graph is not self.graph:
                return original(data_graph, *args, **kwargs)
            assert kwargs.get("ont_graph") is not None and kwargs.get("inference") == "none"
            try:
                return original(data_graph, *args, **{**kwargs, "ont_graph": None})
            finally:
                for triple in self.added:
                    self.graph.remove(triple)
                self.added = []
                assert len(self.graph) == self.size, "the shared graph was not restored"

        return run


@pytest.fixture(scope="module")
def shared_data_graph() -> SharedDataGraph:
    """The real data as one rdflib graph, made once for the module."""
    return SharedDataGraph()


@pytest.fixture
def reuse_shared_data_graph(
    shared_data_graph: SharedDataGraph, monkeypatch: pytest.MonkeyPatch
) -> SharedDataGraph:
    """For one test: :class:`SharedDataGraph` in place of :func:`validate`'s conversions (every
    other test runs :func:`validate` untouched)."""
    import pyshacl

    monkeypatch.setattr(validate_module, "_rdflib_graph", shared_data_graph.rdflib_graph)
    monkeypatch.setattr(pyshacl, "validate", shared_data_graph.pyshacl_validate(pyshacl.validate))
    return shared_data_graph


def test_the_real_data_conforms_to_the_shapes_and_quality_checks(
    real_report: ValidationReport,
) -> None:
    report = real_report
    assert report.conforms, str(report)
    assert report.checks == ("shacl", "qc")
    assert str(report) == "conforms: no findings (shacl, qc)"


@pytest.mark.slow
def test_the_real_data_passes_every_check_including_the_reasoner(reasoner_build_dir: Path) -> None:
    report = validate(build_dir=reasoner_build_dir)  # HermiT's answer of this session
    assert report.conforms, str(report)
    assert report.checks == ("shacl", "qc", "reasoner")


def test_there_are_enough_counter_examples() -> None:
    assert len(COUNTER_EXAMPLES) >= 90


def test_the_whole_graph_examples_exist() -> None:
    assert {p.stem for p in COUNTER_EXAMPLES} >= WHOLE_GRAPH


def test_counter_examples_are_named_after_shapes_that_exist(shapes: Graph) -> None:
    for example, shape in BROKEN_SHAPES.items():
        assert (URIRef(PASH + shape), RDF.type, SH.PropertyShape) in shapes, example.name


def _subjects(example: Path) -> list[str]:
    triples = ox.parse(path=str(example), format=ox.RdfFormat.TURTLE)
    return sorted({t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)})


@pytest.mark.parametrize(
    "example",
    [
        pytest.param(p, id=p.stem, marks=[pytest.mark.slow] if p.stem in WHOLE_GRAPH else [])
        for p in COUNTER_EXAMPLES
    ],
)
def test_counter_example_breaks_exactly_its_shape(
    example: Path,
    real_findings: set[tuple[str, str | None, str, str | None]],
    reuse_shared_data_graph: SharedDataGraph,
) -> None:
    expected = {f"pash:{BROKEN_SHAPES[example]}"}

    def added_by(report: ValidationReport) -> list[Finding]:
        return [f for f in report.findings if _key(f) not in real_findings]

    # First SHACL on the counter-example's own nodes only (the whole graph is still there for
    # their neighbours), which is quick however large graph_data/ grows. pySHACL's focus mode
    # misses some constraints (qualified value shapes), so unless it shows exactly the expected
    # shape, the whole graph is validated and judged the same way (at once for WHOLE_GRAPH).
    report = None
    if example.stem not in WHOLE_GRAPH:
        report = validate(extra_files=[example], checks=["shacl"], focus=_subjects(example))
    if report is None or {f.rule for f in added_by(report)} != expected:
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


@pytest.fixture(scope="module")
def seed_nodes() -> list[str]:
    """The nodes of graph_data/seed/: SHACL on them (the whole graph around them) is quick, and
    their shapes need the ontology (``sh:class`` over subclasses), so a source read wrongly shows.
    SHACL over the whole real graph is ``real_report``'s."""
    seed = sorted((PATHS.graph_data / "seed").glob("*.ttl"))
    quads = [q for qs in parse_files(seed, root=PATHS.root).values() for q in qs]
    return sorted({q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)})


def test_validate_accepts_an_atlas_a_store_and_files(seed_nodes: list[str]) -> None:
    assert len(seed_nodes) > 50
    atlas = Atlas.build(reason=False)
    try:
        assert validate(atlas, checks=["shacl", "qc"], focus=seed_nodes).conforms
        assert validate(atlas.store, checks=["qc"]).conforms
    finally:
        atlas.close()
    raw = ox.Store()
    for quads in parse_files(source_files(PATHS), root=PATHS.root).values():
        raw.extend(quads)
    assert validate(raw, checks=["shacl"], focus=seed_nodes).conforms
    files = [f for f in source_files(PATHS) if f.name != "shapes.ttl"]
    assert validate(files, checks=["shacl"], focus=seed_nodes).conforms


def test_a_store_with_a_broken_node_does_not_conform() -> None:
    store = EmbeddedStore()
    store.replace_graphs(parse_files(source_files(PATHS), root=PATHS.root))
    store.replace_graphs(
        parse_text(
            "<https://w3id.org/pipeline-atlas/id/stage/police-stop> "
            "<https://w3id.org/pipeline-atlas/ont/stageOrder> 0 .",
            graph=PREFIXES["pag"] + "graph_data/broken",
        )
    )
    report = validate(store, checks=["shacl", "qc"], focus=[PREFIXES["stage"] + "police-stop"])
    assert not report.conforms
    assert "pash:StageShape-stageOrder" in report.rules("shacl")
    assert "stage-order-violation" in report.rules("qc")


def test_the_inferred_and_shapes_graphs_are_not_validated_as_data() -> None:
    store = EmbeddedStore()
    store.replace_graphs(parse_files(source_files(PATHS), root=PATHS.root))
    # a node in the reasoner's graph that would break every shape if it were data
    store.replace_graphs(
        parse_text(
            "<https://e.org/x> a <https://w3id.org/pipeline-atlas/ont/Stage> .",
            graph=PREFIXES["pag"] + "inferred",
        )
    )
    # SHACL on that node (and a real one): validated as data, it would break the Stage shape
    focus = ["https://e.org/x", PREFIXES["stage"] + "police-stop"]
    assert validate(store, checks=["shacl", "qc"], focus=focus).conforms


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
