"""Generate the documents of ``docs/`` from the ontology, the graph data and the catalogue.

* ``docs/ontology.md``: a table of every term (:func:`ontology_reference`);
* ``docs/reference/en/index.html`` and ``docs/reference/es/index.html``: the reference, one page
  a language (:class:`~pipeline_atlas.build.reference.Reference`);
* ``docs/diagram.dot`` and, when Graphviz ``dot`` is installed, ``docs/diagram.svg``;
* ``docs/sparql-examples.md``: the competency questions with their answers
  (:func:`sparql_examples`, from the graph built with the reasoner).

None is edited by hand: ``pipeline-atlas docs`` rewrites them, ``pipeline-atlas docs --check``
and the tests fail when a committed copy is out of date.

>>> text = ontology_reference()
>>> text.splitlines()[0]
'# Pipeline Atlas ontology reference'
>>> "| `pa:Stage` |" in text
True
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from pipeline_atlas.namespaces import PREFIXES
from pipeline_atlas.paths import ProjectPaths, project_paths

if TYPE_CHECKING:
    from pipeline_atlas.atlas import Atlas

__all__ = [
    "GENERATED",
    "SVG",
    "generated_docs",
    "ontology_reference",
    "render_svg",
    "sparql_examples",
    "stale_docs",
    "svg_is_current",
    "write_docs",
    "write_ontology_reference",
]

Note = Callable[..., None]
"""``note(key, **values)``: told what was skipped, as a message key (``cli.docs.*``) and values."""

ONTOLOGY_MD = "docs/ontology.md"
EXAMPLES_MD = "docs/sparql-examples.md"
DOT = "docs/diagram.dot"
SVG = "docs/diagram.svg"
GENERATED = (
    ONTOLOGY_MD,
    "docs/reference/en/index.html",
    "docs/reference/es/index.html",
    DOT,
    EXAMPLES_MD,
)
"""The generated text documents (relative to the project root); ``docs/diagram.svg`` besides."""

EXAMPLE_ROWS = 5
"""Rows of each answer shown in ``docs/sparql-examples.md``."""

_MAX_CELL = 70

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


# -- the SPARQL examples --------------------------------------------------------------------------


def _cell(value: object) -> str:
    text = " ".join(str(value).split())
    if len(text) > _MAX_CELL:
        text = text[: _MAX_CELL - 1] + "…"
    return text.replace("|", "\\|")


def sparql_examples(paths: ProjectPaths | None = None, *, atlas: Atlas | None = None) -> str:
    """The how-to ``docs/sparql-examples.md``: every query of ``queries/cq/`` with its question,
    its text, the command that runs it and the first rows of its answer with its example
    parameters, from ``atlas`` (default: the graph built with the reasoner, as
    ``pipeline-atlas build`` makes it)."""
    import pyoxigraph as ox

    from pipeline_atlas.atlas import Atlas
    from pipeline_atlas.catalogue import load_catalogue
    from pipeline_atlas.namespaces import shorten

    paths = paths or project_paths()
    queries = [q for q in load_catalogue(paths.queries, root=paths.root) if q.group == "cq"]
    own = atlas is None
    store = Atlas.build(reason=True, paths=paths) if atlas is None else atlas
    lines = [
        "# SPARQL examples: the competency questions",
        "",
        "Generated from `queries/cq/` by `pipeline-atlas docs`; do not edit.",
        "",
        "Each competency question of the atlas is a SPARQL query in `queries/cq/`. Below, for each"
        " one: the question it answers, its text, the command that runs it with its example"
        " parameters, and the first rows of its answer from the graph as `pipeline-atlas build`"
        " makes it (with the reasoner's inferred graph). IRIs are shortened with the prefixes of"
        " the queries (`stage:` is `https://w3id.org/pipeline-atlas/id/stage/`, and so on).",
        "",
        "Parameters are bound as values, never pasted into the text: in the query, a parameter is"
        " a variable (`?city`) that the command, the library (`Atlas.query(id, params={...})`) or"
        " the endpoint's web API fills in.",
        "",
        "## Contents",
        "",
    ]
    lines += [f"- [`{q.id}`](#{q.id}): {q.question or q.summary}" for q in queries]
    try:
        for q in queries:
            params = {p.name: p.example for p in q.params if p.example is not None}
            command = (
                "pipeline-atlas query "
                + q.id
                + "".join(f" --param {name}={value}" for name, value in params.items())
            )
            lines += ["", f"## {q.id}", ""]
            if q.question:
                lines += [f"**Question:** {q.question}", ""]
            if q.summary:
                lines += [q.summary, ""]
            if q.params:
                lines += ["| parameter | type | required | example | description |"]
                lines += ["|---|---|---|---|---|"]
                lines += [
                    f"| `{p.name}` | {p.type} | {'yes' if p.required else 'no'} | "
                    f"{_cell(p.example or '')} | {_cell(p.description)} |"
                    for p in q.params
                ]
                lines.append("")
            lines += ["```sparql", q.body.rstrip("\n"), "```", "", "Run it:", ""]
            lines += ["```sh", command, "```", ""]
            result = store.run(q, params=params, max_rows=None)
            if result.kind == "ask":
                lines.append(f"Answer: `{str(result.boolean).lower()}`")
                continue
            n = len(result)
            shown = min(n, EXAMPLE_ROWS)
            lines += [
                f"Answer: {n} row{'' if n == 1 else 's'}"
                + (f", the first {shown}:" if n > shown else ":"),
                "",
            ]
            if not n:
                continue
            lines.append("| " + " | ".join(result.variables) + " |")
            lines.append("|" + "---|" * len(result.variables))
            for row in result.terms[:shown]:
                cells = []
                for v in result.variables:
                    term = row.get(v)
                    if term is None:
                        cells.append("")
                    elif isinstance(term, ox.NamedNode):
                        cells.append(_cell(shorten(term.value)))
                    elif isinstance(term, ox.Literal):
                        cells.append(_cell(term.value))
                    else:
                        cells.append(_cell(term))
                lines.append("| " + " | ".join(cells) + " |")
    finally:
        if own:
            store.close()
    return "\n".join(lines) + "\n"


# -- all of them ----------------------------------------------------------------------------------


def _reasoner_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("owlready2") is not None and shutil.which("java") is not None


def generated_docs(
    paths: ProjectPaths | None = None, *, note: Note | None = None
) -> dict[str, str]:
    """Every generated text document: relative path → text. ``docs/sparql-examples.md`` is left
    out (and ``note`` told) when the reasoner cannot run."""
    from pipeline_atlas.build.reference import Reference

    paths = paths or project_paths()
    reference = Reference.load(paths)
    docs = {
        ONTOLOGY_MD: ontology_reference(paths),
        "docs/reference/en/index.html": reference.html("en"),
        "docs/reference/es/index.html": reference.html("es"),
        DOT: reference.dot(),
    }
    if _reasoner_available():
        docs[EXAMPLES_MD] = sparql_examples(paths)
    elif note is not None:
        note("cli.docs.examples_kept", file=EXAMPLES_MD)
    return docs


def render_svg(dot: str) -> str | None:
    """``dot`` rendered to SVG by Graphviz, or ``None`` when ``dot`` is not installed."""
    program = shutil.which("dot")
    if program is None:
        return None
    done = subprocess.run(
        [program, "-Tsvg"], input=dot.encode("utf-8"), capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def svg_is_current(svg: str, dot: str) -> bool:
    """Whether an SVG drawing shows every class of the DOT text (the drawing itself depends on
    the Graphviz version, so it is not compared byte for byte).

    >>> svg_is_current("<title>Stage</title>", '  "Stage" [label="pa:Stage"];')
    True
    >>> svg_is_current("<title>Stage</title>", '  "Action" [label="pa:Action"];')
    False
    """
    import re

    nodes = re.findall(r'^  "(\w+)" \[label=', dot, flags=re.MULTILINE)
    return all(f"<title>{name}</title>" in svg for name in nodes)


def write_docs(paths: ProjectPaths | None = None, *, note: Note | None = None) -> list[Path]:
    """Write every generated document under ``docs/`` and return the paths written; the SVG
    drawing only when Graphviz is installed (else the committed one stays, and ``note`` is
    told)."""
    paths = paths or project_paths()
    docs = generated_docs(paths, note=note)
    written: list[Path] = []
    for relative, text in docs.items():
        target = paths.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    svg = render_svg(docs[DOT])
    if svg is None:
        if note is not None:
            note("cli.docs.svg_kept", file=SVG)
    else:
        (paths.root / SVG).write_text(svg, encoding="utf-8")
        written.append(paths.root / SVG)
    return written


def stale_docs(paths: ProjectPaths | None = None, *, note: Note | None = None) -> list[str]:
    """The generated documents (relative paths) that are missing or out of date; the SVG is out
    of date when it does not show every class of the DOT file."""
    paths = paths or project_paths()
    docs = generated_docs(paths, note=note)
    stale = []
    for relative, text in docs.items():
        target = paths.root / relative
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            stale.append(relative)
    svg = paths.root / SVG
    if not svg.is_file() or not svg_is_current(svg.read_text(encoding="utf-8"), docs[DOT]):
        stale.append(SVG)
    return stale
