"""Generate the ontology reference (``docs/ontology.md``) from ``ontology/pipeline-atlas.ttl``.

The reference is never edited by hand: ``pipeline-atlas docs`` rewrites it and a test fails when
the committed copy differs from what the ontology says.

>>> text = ontology_reference()
>>> text.splitlines()[0]
'# Pipeline Atlas ontology reference'
>>> "| `pa:Stage` |" in text
True
"""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from pipeline_atlas.namespaces import PREFIXES
from pipeline_atlas.paths import ProjectPaths, project_paths

__all__ = ["ontology_reference", "write_ontology_reference"]

PA = "https://w3id.org/pipeline-atlas/ont/"


def _curie(node: Node, graph: Graph) -> str:
    if isinstance(node, URIRef):
        iri = str(node)
        for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if iri.startswith(ns) and iri != ns:
                return f"{prefix}:{iri[len(ns) :]}"
        return f"<{iri}>"
    if isinstance(node, BNode):
        return _class_expression(node, graph)
    return str(node)


def _class_expression(node: BNode, graph: Graph) -> str:
    for op, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and ")):
        members = graph.value(node, op)
        if members is not None:
            return "(" + word.join(_curie(m, graph) for m in Collection(graph, members)) + ")"
    prop = graph.value(node, OWL.onProperty)
    some = graph.value(node, OWL.someValuesFrom)
    if prop is not None and some is not None:
        return f"({_curie(prop, graph)} some {_curie(some, graph)})"
    return "(anonymous class)"


def _text(graph: Graph, node: Node, prop: URIRef, lang: str) -> str:
    for value in graph.objects(node, prop):
        if isinstance(value, Literal) and value.language == lang:
            return str(value).replace("|", "\\|")
    return ""


def _row(graph: Graph, term: URIRef, extra: list[str]) -> str:
    cells = [
        f"`{_curie(term, graph)}`",
        _text(graph, term, RDFS.label, "en"),
        _text(graph, term, RDFS.label, "es"),
        _text(graph, term, SKOS.definition, "en"),
        *extra,
    ]
    return "| " + " | ".join(cells) + " |"


def _join(graph: Graph, nodes: list[Node]) -> str:
    return ", ".join(f"`{_curie(n, graph)}`" for n in nodes)


def ontology_reference(paths: ProjectPaths | None = None) -> str:
    """Return the Markdown reference of every class and property in the ``pa:`` namespace."""
    paths = paths or project_paths()
    graph = Graph()
    graph.parse(paths.ontology / "pipeline-atlas.ttl", format="turtle")
    ontology = URIRef(PA)

    def ours(kind: URIRef) -> list[URIRef]:
        return sorted(
            t
            for t in graph.subjects(RDF.type, kind)
            if isinstance(t, URIRef) and str(t) != PA
            if str(t).startswith(PA)
        )

    lines = [
        "# Pipeline Atlas ontology reference",
        "",
        "Generated from `ontology/pipeline-atlas.ttl` by `pipeline-atlas docs`; do not edit.",
        "",
        f"Namespace `{PA}` (prefix `pa:`), version {graph.value(ontology, OWL.versionInfo)}.",
        "",
        str(graph.value(ontology, URIRef("http://purl.org/dc/terms/description"))),
        "",
        "## Classes",
        "",
        "| term | label | etiqueta | definition | subclass of | equivalent to |",
        "|---|---|---|---|---|---|",
    ]
    for cls in ours(OWL.Class):
        supers = list(graph.objects(cls, RDFS.subClassOf))
        equivalent = list(graph.objects(cls, OWL.equivalentClass))
        lines.append(_row(graph, cls, [_join(graph, supers), _join(graph, equivalent)]))
    for kind, title in (
        (OWL.ObjectProperty, "Object properties"),
        (OWL.DatatypeProperty, "Datatype properties"),
    ):
        lines += [
            "",
            f"## {title}",
            "",
            "| term | label | etiqueta | definition | domain | range | characteristics |",
            "|---|---|---|---|---|---|---|",
        ]
        for prop in ours(kind):
            traits = [_curie(t, graph) for t in graph.objects(prop, RDF.type) if t != kind]
            for other in graph.objects(prop, OWL.inverseOf):
                traits.append(f"inverse of {_curie(other, graph)}")
            for other in graph.subjects(OWL.inverseOf, prop):
                traits.append(f"inverse of {_curie(other, graph)}")
            chain = graph.value(prop, OWL.propertyChainAxiom)
            if chain is not None:
                steps = " o ".join(_curie(s, graph) for s in Collection(graph, chain))
                traits.append(f"chain {steps}")
            lines.append(
                _row(
                    graph,
                    prop,
                    [
                        _join(graph, list(graph.objects(prop, RDFS.domain))),
                        _join(graph, list(graph.objects(prop, RDFS.range))),
                        ", ".join(sorted(traits)),
                    ],
                )
            )
    return "\n".join(lines) + "\n"


def write_ontology_reference(
    paths: ProjectPaths | None = None, *, target: Path | None = None
) -> Path:
    """Write :func:`ontology_reference` to ``docs/ontology.md`` (or ``target``); return the path."""
    paths = paths or project_paths()
    out = target or paths.root / "docs" / "ontology.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(ontology_reference(paths), encoding="utf-8")
    return out
