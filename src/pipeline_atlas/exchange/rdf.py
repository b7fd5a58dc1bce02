"""RDF exports: Turtle, N-Triples, RDF/XML (triples), N-Quads and TriG (named graphs kept), and
JSON-LD compacted with ``ontology/context.jsonld``.

What each format holds
    ``turtle``, ``nt``, ``rdfxml`` hold the *union* of all named graphs: every distinct triple
    once (a triple stated in two source files is written once). ``nquads`` and ``trig`` keep
    every named graph under its own name (``pag:graph_data/seed/stages`` …, and
    ``pag:inferred`` when the store has it). ``jsonld`` keeps the named graphs too: its top
    ``@graph`` holds one object per named graph, ``{"@id": "pag:…", "@graph": [nodes…]}``,
    which a JSON-LD processor reads as a dataset (rdflib ``Dataset``, pyoxigraph, Jena) and a
    person reads as "this graph, then its nodes". A tool that wants plain triples takes the
    union.

Determinism
    The same graph always gives the same bytes: blank nodes are renamed by the standard RDF
    canonicalization (RDFC-1.0, through pyoxigraph's ``Dataset.canonicalize``; labels
    ``_:c14n0``…), and quads are written sorted by graph, subject, predicate and object. The
    canonical labels depend on the whole graph, so adding a fact may rename blank nodes:
    compare two exports with ``pipeline-atlas diff``, which compares blank nodes by their
    content, not with a text diff.

Serializers
    pyoxigraph writes Turtle, N-Triples, N-Quads, TriG and RDF/XML (with the project's prefixes,
    :data:`~pipeline_atlas.namespaces.PREFIXES`). JSON-LD is written here, in a compacted form
    made for people: the context (prefixes, and one short term for each ``pa:`` property, object
    properties with ``"@type": "@id"`` so that their values are plain ``"stage:police-stop"``
    strings) is :func:`jsonld_context`, published as ``ontology/context.jsonld`` and also
    embedded in every JSON-LD export, so that reading the file never fetches anything.

>>> import pyoxigraph as ox
>>> g = "https://w3id.org/pipeline-atlas/graph/g"
>>> q = ox.Quad(ox.NamedNode("https://w3id.org/pipeline-atlas/id/stage/police-stop"),
...     ox.NamedNode("https://w3id.org/pipeline-atlas/ont/stageOrder"), ox.Literal("1"),
...     ox.NamedNode(g))
>>> print(serialize({g: [q]}, "turtle").decode().splitlines()[-1])
stage:police-stop pa:stageOrder "1" .
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..namespaces import PREFIXES, shorten
from . import ExportError, ExportResult, Graphs
from .files import atomic_file

__all__ = [
    "CONTEXT_FILE",
    "RDF_FORMATS",
    "canonical_quads",
    "jsonld_context",
    "jsonld_document",
    "serialize",
    "write",
]

RDF_FORMATS: dict[str, ox.RdfFormat | None] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": None,  # written here (compacted with the project's context)
}
"""The RDF export formats → the pyoxigraph serializer that writes them."""

_QUAD_FORMATS = frozenset({"nquads", "trig", "jsonld"})
_PREFIXED = frozenset({"turtle", "trig", "rdfxml"})

CONTEXT_FILE = Path("ontology") / "context.jsonld"
"""The JSON-LD context, relative to the project root (see :func:`jsonld_context`)."""

_RDF_TYPE = PREFIXES["rdf"] + "type"
_OWL = PREFIXES["owl"]
_XSD_STRING = PREFIXES["xsd"] + "string"
_KEYWORDS = frozenset({"type", "id", "graph", "context", "value", "language", "list", "set"})


_LAST: dict[str, tuple[Graphs, int, list[ox.Quad]]] = {}
"""The last graphs canonicalized (the same mapping object and size), and their quads."""


def _key(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph | Any) -> tuple[int, str]:
    if isinstance(term, ox.NamedNode):
        return (0, term.value)
    if isinstance(term, ox.BlankNode):
        return (1, term.value)
    if isinstance(term, ox.Literal):
        return (2, str(term))
    return (-1, "")  # the default graph first


def canonical_quads(graphs: Graphs) -> list[ox.Quad]:
    """Every quad of ``graphs``, blank nodes renamed canonically (RDFC-1.0), sorted by graph,
    subject, predicate and object: the same graph gives the same list. The answer for the last
    mapping is kept, so that writing it in six formats canonicalizes once (do not change a
    mapping in place between two exports).

    >>> g = ox.NamedNode("https://e.org/g")
    >>> p = ox.NamedNode("https://e.org/p")
    >>> quad = ox.Quad(ox.BlankNode(), p, ox.Literal("x"), g)
    >>> [str(q) for q in canonical_quads({g.value: [quad]})]
    ['_:c14n0 <https://e.org/p> "x" <https://e.org/g>']
    """
    size = sum(len(quads) for quads in graphs.values())
    cached = _LAST.get("graphs")
    if cached is not None and cached[0] is graphs and cached[1] == size:
        return cached[2]  # the same graphs again (export_all): canonicalize once
    dataset = ox.Dataset(q for quads in graphs.values() for q in quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    quads = sorted(
        dataset,
        key=lambda q: (_key(q.graph_name), _key(q.subject), q.predicate.value, _key(q.object)),
    )
    _LAST["graphs"] = (graphs, size, quads)
    return quads


def _triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The distinct triples of sorted quads, in the order of their first occurrence, re-sorted."""
    unique = {q.triple: None for q in quads}
    return sorted(unique, key=lambda t: (_key(t.subject), t.predicate.value, _key(t.object)))


def serialize(graphs: Graphs, fmt: str, *, context: Mapping[str, Any] | None = None) -> bytes:
    """The bytes of the export of ``graphs`` in ``fmt`` (one of :data:`RDF_FORMATS`).

    ``context`` is the JSON-LD context (default: :func:`jsonld_context` of ``graphs``).
    """
    if fmt not in RDF_FORMATS:
        known = ", ".join(RDF_FORMATS)
        raise ExportError(f"{fmt!r} is not an RDF export format; RDF formats: {known}")
    quads = canonical_quads(graphs)
    if fmt == "jsonld":
        document = jsonld_document(
            quads, context if context is not None else jsonld_context(graphs)
        )
        return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()
    rdf_format = RDF_FORMATS[fmt]
    prefixes = dict(PREFIXES) if fmt in _PREFIXED else None
    data: Sequence[ox.Quad] | Sequence[ox.Triple] = (
        quads if fmt in _QUAD_FORMATS else _triples(quads)
    )
    out = ox.serialize(data, format=rdf_format, prefixes=prefixes)
    assert out is not None
    return out


def write(graphs: Graphs, fmt: str, output: str, *, lang: str = "en") -> ExportResult:
    """Write ``graphs`` as ``fmt`` to the file ``output`` (atomically: on any error the file is
    left as it was, and no partial file remains). ``lang`` is not used: RDF keeps every
    language. Counts: ``triples`` (distinct triples of the union), ``quads`` and ``graphs``.
    """
    del lang  # every label stays, in every language
    context = read_context() if fmt == "jsonld" else None
    data = serialize(graphs, fmt, context=context)
    triples = len({q.triple for quads in graphs.values() for q in quads})
    quads = sum(len(qs) for qs in graphs.values())
    target = Path(output)
    if target.is_dir():
        raise ExportError(f"cannot write {fmt} to {output}: it is a folder; give a file name")
    try:
        with atomic_file(target) as tmp:
            tmp.write_bytes(data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ExportError(f"cannot write {fmt} to {output}: {reason}") from None
    counts = {"triples": triples, "graphs": len(graphs)}
    if fmt in _QUAD_FORMATS:
        counts["quads"] = quads
    return ExportResult(format=fmt, outputs=(str(target),), counts=counts)


# --- JSON-LD ----------------------------------------------------------------------------------


def _property_kinds(graphs: Graphs) -> dict[str, bool]:
    """Each ``pa:`` property declared in the graph → whether it is an object property."""
    kinds: dict[str, bool] = {}
    kinds_of = {_OWL + "ObjectProperty": True, _OWL + "DatatypeProperty": False}
    kinds_of[_OWL + "AnnotationProperty"] = False
    for quads in graphs.values():
        for q in quads:
            if (
                q.predicate.value == _RDF_TYPE
                and isinstance(q.subject, ox.NamedNode)
                and q.subject.value.startswith(PREFIXES["pa"])
                and isinstance(q.object, ox.NamedNode)
                and q.object.value in kinds_of
            ):
                is_object = kinds_of[q.object.value]
                kinds[q.subject.value] = kinds.get(q.subject.value, False) or is_object
    return kinds


def jsonld_context(graphs: Graphs) -> dict[str, Any]:
    """The JSON-LD context of the exports (what ``ontology/context.jsonld`` holds): every prefix
    of :data:`~pipeline_atlas.namespaces.PREFIXES`, and a term for each ``pa:`` property declared
    in the ontology, named by its local name (``"atStage"``), with ``"@type": "@id"`` for object
    properties. A local name that is also a prefix or a JSON-LD keyword keeps its ``pa:`` name.

    >>> pa = PREFIXES["pa"]
    >>> g = {"g": [ox.Quad(ox.NamedNode(pa + "atStage"), ox.NamedNode(_RDF_TYPE),
    ...     ox.NamedNode(_OWL + "ObjectProperty"))]}
    >>> jsonld_context(g)["atStage"]
    {'@id': 'pa:atStage', '@type': '@id'}
    """
    context: dict[str, Any] = dict(PREFIXES)
    for iri, is_object in sorted(_property_kinds(graphs).items()):
        local = iri[len(PREFIXES["pa"]) :]
        name = local if local not in PREFIXES and local not in _KEYWORDS else f"pa:{local}"
        definition: dict[str, str] = {"@id": f"pa:{local}"}
        if is_object:
            definition["@type"] = "@id"
        context[name] = definition
    return context


def context_text(graphs: Graphs) -> str:
    """The text of ``ontology/context.jsonld`` for ``graphs`` (what the test checks the file
    against; write it with ``Path("ontology/context.jsonld").write_text(context_text(g))``)."""
    return json.dumps({"@context": jsonld_context(graphs)}, ensure_ascii=False, indent=2) + "\n"


def read_context(root: Path | None = None) -> dict[str, Any]:
    """The context of ``ontology/context.jsonld`` (under ``root``, default the project's)."""
    if root is None:
        from ..paths import project_paths

        root = project_paths().root
    file = root / CONTEXT_FILE
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExportError(f"cannot read the JSON-LD context {file}: {exc}") from None
    context = document.get("@context") if isinstance(document, dict) else None
    if not isinstance(context, dict):
        raise ExportError(f"{file}: no @context object")
    return context


class _Compactor:
    """Turns terms into the compact strings of the context (prefixes and property terms)."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.prefixes = {
            name: value
            for name, value in context.items()
            if isinstance(value, str) and value.endswith(("/", "#"))
        }
        self.terms: dict[str, tuple[str, bool]] = {}
        for name, value in context.items():
            if isinstance(value, dict) and isinstance(value.get("@id"), str):
                iri = self.expand(value["@id"])
                self.terms[iri] = (name, value.get("@type") == "@id")

    def expand(self, name: str) -> str:
        prefix, sep, local = name.partition(":")
        if sep and prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return name

    def iri(self, iri: str) -> str:
        short = shorten(iri, self.prefixes)
        if short != iri and not short.partition(":")[2].startswith("//"):
            return short
        return iri

    def node(self, term: ox.NamedNode | ox.BlankNode | ox.Triple) -> str:
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        raise ExportError("RDF-star triples cannot be written as JSON-LD")

    def value(self, term: Any, *, coerced: bool) -> Any:
        if isinstance(term, ox.Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            if term.datatype.value == _XSD_STRING:
                return {"@value": term.value} if coerced else term.value
            return {"@value": term.value, "@type": self.iri(term.datatype.value)}
        node = self.node(term)
        return node if coerced else {"@id": node}


def jsonld_document(quads: Sequence[ox.Quad], context: Mapping[str, Any]) -> dict[str, Any]:
    """A compacted JSON-LD document for sorted ``quads``: ``{"@context": …, "@graph": […]}``
    with one ``{"@id": graph, "@graph": nodes}`` per named graph (the default graph's nodes at
    the top). Values of a single-valued property are not put in a list."""
    compact = _Compactor(context)
    top: list[dict[str, Any]] = []
    current_graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None
    nodes: list[dict[str, Any]] = top
    node: dict[str, Any] | None = None
    subject: Any = None
    for quad in quads:
        if current_graph is None or quad.graph_name != current_graph:
            current_graph = quad.graph_name
            if isinstance(current_graph, ox.DefaultGraph):
                nodes = top
            else:
                nodes = []
                top.append({"@id": compact.node(current_graph), "@graph": nodes})
            subject = None
        if quad.subject != subject:
            subject = quad.subject
            node = {"@id": compact.node(quad.subject)}
            nodes.append(node)
        assert node is not None
        predicate = quad.predicate.value
        if predicate == _RDF_TYPE and isinstance(quad.object, ox.NamedNode):
            key, value = "@type", compact.iri(quad.object.value)
        else:
            name, coerced = compact.terms.get(predicate, (compact.iri(predicate), False))
            key, value = name, compact.value(quad.object, coerced=coerced)
        if key in node:
            previous = node[key]
            if isinstance(previous, list):
                previous.append(value)
            else:
                node[key] = [previous, value]
        else:
            node[key] = value
    return {"@context": dict(context), "@graph": top}
