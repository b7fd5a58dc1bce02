"""A small deterministic Turtle writer, so that generated files diff well and a check can compare
them byte for byte.

The same set of triples always gives the same text, whatever order the triples came in:

* a header comment, then the ``@prefix`` lines of the prefixes the text uses, in the order of the
  prefix table (:data:`~pipeline_atlas.namespaces.PREFIXES` unless told otherwise);
* subjects sorted by IRI, one block each, separated by a blank line;
* predicates in a fixed order: ``rdf:type`` (written ``a``), ``rdfs:label``, ``skos:prefLabel``,
  ``skos:altLabel``, ``skos:definition``, the other SKOS notes; then every other predicate sorted
  by its written name; then provenance (``dcterms:source``, ``pa:asOf``, ``prov:wasDerivedFrom``)
  last;
* objects sorted: IRIs (by IRI) before literals (by language tag, then datatype, then value), so
  ``@en`` comes before ``@es``;
* strings in double quotes with Turtle's escapes (``\\\\``, ``\\"``, ``\\n``, ``\\r``, ``\\t``,
  ``\\b``, ``\\f``, other control characters as ``\\uXXXX``); other characters as UTF-8;
* ``xsd:integer``, ``xsd:decimal`` and ``xsd:boolean`` literals in canonical form written bare
  (``5``, ``true``), plain strings without a datatype, other datatypes as ``"…"^^prefix:name``;
* an IRI as a prefixed name when its local part is a plain ``PN_LOCAL`` (ASCII letters, digits,
  ``_``, ``-``, ``.``, not ending in ``.``), otherwise in full (``<…>``).

Subjects are IRIs only: blank nodes have no stable order, so the writer refuses them.

>>> triples = [
...     (iri("body:x"), iri("rdfs:label"), text("Concejo", "es")),
...     (iri("body:x"), iri("pa:memberCount"), integer(5)),
...     (iri("body:x"), iri("rdf:type"), iri("pa:LegislativeBody")),
...     (iri("body:x"), iri("rdfs:label"), text('The "x" council', "en")),
... ]
>>> print(serialize(triples, header="Example."), end="")
# Example.
<BLANKLINE>
@prefix pa: <https://w3id.org/pipeline-atlas/ont/> .
@prefix body: <https://w3id.org/pipeline-atlas/id/body/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<BLANKLINE>
body:x a pa:LegislativeBody ;
    rdfs:label "The \\"x\\" council"@en , "Concejo"@es ;
    pa:memberCount 5 .
>>> serialize(reversed(triples), header="Example.") == serialize(triples, header="Example.")
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TypeAlias

import pyoxigraph as ox

from ..namespaces import PREFIXES

__all__ = [
    "Object",
    "Triple",
    "boolean",
    "date",
    "integer",
    "iri",
    "serialize",
    "text",
    "typed",
]

Object: TypeAlias = ox.NamedNode | ox.Literal
"""What a triple's object may be: an IRI or a literal (no blank nodes)."""

Triple: TypeAlias = tuple[ox.NamedNode, ox.NamedNode, Object]
"""A triple as the writer takes it: subject IRI, predicate IRI, object."""

_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_XSD = PREFIXES["xsd"]
_SKOS = PREFIXES["skos"]
_RDF_TYPE = _RDF + "type"
_LANG_STRING = _RDF + "langString"
_XSD_STRING = _XSD + "string"

FIRST_PREDICATES: tuple[str, ...] = (
    _RDF_TYPE,
    _RDFS + "label",
    _SKOS + "prefLabel",
    _SKOS + "altLabel",
    _SKOS + "definition",
    _SKOS + "scopeNote",
    _SKOS + "note",
    _SKOS + "editorialNote",
    _RDFS + "comment",
)
"""Predicates written first, in this order."""

LAST_PREDICATES: tuple[str, ...] = (
    PREFIXES["dcterms"] + "source",
    PREFIXES["pa"] + "asOf",
    PREFIXES["prov"] + "wasDerivedFrom",
)
"""Predicates written last (provenance), in this order."""

_BARE = {
    _XSD + "integer": re.compile(r"-?(?:0|[1-9][0-9]*)"),
    _XSD + "decimal": re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+"),
    _XSD + "boolean": re.compile(r"true|false"),
}
_PN_LOCAL = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?")
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


def iri(name: str, prefixes: Mapping[str, str] = PREFIXES) -> ox.NamedNode:
    """An IRI from a prefixed name of the table (``pa:County``) or a full IRI.

    >>> iri("jurisdiction:alameda-county").value
    'https://w3id.org/pipeline-atlas/id/jurisdiction/alameda-county'
    >>> iri("https://example.org/x").value
    'https://example.org/x'
    >>> iri("nope:x")
    Traceback (most recent call last):
    ...
    ValueError: 'nope:x' is neither a prefixed name of the prefix table nor a full IRI
    """
    prefix, sep, local = name.partition(":")
    if sep and prefix in prefixes:
        return ox.NamedNode(prefixes[prefix] + local)
    if sep and local.startswith("//"):
        return ox.NamedNode(name)
    raise ValueError(f"{name!r} is neither a prefixed name of the prefix table nor a full IRI")


def text(value: str, language: str | None = None) -> ox.Literal:
    """A string literal, with a language tag when given.

    >>> text("Oakland", "es")
    <Literal value=Oakland language=es>
    """
    if language is None:
        return ox.Literal(value)
    return ox.Literal(value, language=language)


def typed(value: str, datatype: str) -> ox.Literal:
    """A literal with a datatype given as a prefixed name or a full IRI.

    >>> typed("2022-02-28", "xsd:date").datatype.value
    'http://www.w3.org/2001/XMLSchema#date'
    """
    return ox.Literal(value, datatype=iri(datatype))


def integer(value: int) -> ox.Literal:
    """An ``xsd:integer`` literal.

    >>> integer(11).value
    '11'
    """
    return typed(str(int(value)), "xsd:integer")


def boolean(value: bool) -> ox.Literal:
    """An ``xsd:boolean`` literal.

    >>> boolean(False).value
    'false'
    """
    return typed("true" if value else "false", "xsd:boolean")


def date(value: str) -> ox.Literal:
    """An ``xsd:date`` literal from ``YYYY-MM-DD``; anything else raises ``ValueError``.

    >>> date("2005-02-01").value
    '2005-02-01'
    >>> date("1 Feb 2005")
    Traceback (most recent call last):
    ...
    ValueError: not a date (YYYY-MM-DD): '1 Feb 2005'
    """
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError(f"not a date (YYYY-MM-DD): {value!r}")
    return typed(value, "xsd:date")


def _escape(value: str) -> str:
    """A Turtle string body (without the quotes).

    >>> _escape('a "b"\\n\\x01')
    'a \\\\"b\\\\"\\\\n\\\\u0001'
    """
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m[0], f"\\u{ord(m[0]):04X}"), value)


class _Writer:
    """Writes terms with the prefix table and remembers which prefixes it used."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        # Longest namespace first, so that body: wins over paid: for a body IRI.
        self._namespaces = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self.used: set[str] = set()

    def name(self, node: ox.NamedNode) -> str:
        value = node.value
        for prefix, namespace in self._namespaces:
            if value.startswith(namespace) and _PN_LOCAL.fullmatch(value[len(namespace) :]):
                self.used.add(prefix)
                return f"{prefix}:{value[len(namespace) :]}"
        if any(ch in value for ch in '<>"{}|^`\\ ') or any(ord(ch) <= 0x20 for ch in value):
            raise ValueError(f"cannot write the IRI {value!r} in Turtle")
        return f"<{value}>"

    def term(self, node: Object) -> str:
        if isinstance(node, ox.NamedNode):
            return self.name(node)
        if not isinstance(node, ox.Literal):
            raise TypeError(f"the writer takes IRIs and literals only, not {node!r}")
        quoted = f'"{_escape(node.value)}"'
        if node.language:
            return f"{quoted}@{node.language}"
        datatype = node.datatype.value
        if datatype == _XSD_STRING:
            return quoted
        bare = _BARE.get(datatype)
        if bare is not None and bare.fullmatch(node.value):
            return node.value
        return f"{quoted}^^{self.name(node.datatype)}"


def _predicate_key(predicate: ox.NamedNode, written: str) -> tuple[int, int, str]:
    value = predicate.value
    if value in FIRST_PREDICATES:
        return (0, FIRST_PREDICATES.index(value), "")
    if value in LAST_PREDICATES:
        return (2, LAST_PREDICATES.index(value), "")
    return (1, 0, written)


def _object_key(node: Object) -> tuple[int, str, str, str]:
    if isinstance(node, ox.NamedNode):
        return (0, node.value, "", "")
    return (1, node.language or "", node.datatype.value, node.value)


def serialize(
    triples: Iterable[Triple | ox.Triple | ox.Quad],
    *,
    prefixes: Mapping[str, str] = PREFIXES,
    header: str = "",
    width: int = 100,
) -> str:
    """The Turtle text of ``triples`` (duplicates dropped), byte for byte the same for the same set.

    ``triples`` are tuples, :class:`pyoxigraph.Triple` or default-graph :class:`pyoxigraph.Quad`
    (what :func:`pyoxigraph.parse` gives).

    ``header`` becomes ``#`` comment lines at the top. A predicate's objects share its line while
    the line stays within ``width`` characters; otherwise each further object gets its own line.
    Raises ``ValueError`` for a blank node or an IRI that Turtle cannot write.

    >>> print(serialize([(iri("jurisdiction:x"), iri("rdfs:label"), text("X"))]), end="")
    @prefix jurisdiction: <https://w3id.org/pipeline-atlas/id/jurisdiction/> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    <BLANKLINE>
    jurisdiction:x rdfs:label "X" .
    """
    graph: dict[str, dict[ox.NamedNode, set[Object]]] = {}
    subjects: dict[str, ox.NamedNode] = {}
    for triple in triples:
        if isinstance(triple, ox.Quad) and not isinstance(triple.graph_name, ox.DefaultGraph):
            raise ValueError(f"the writer writes the default graph only, not {triple!r}")
        if isinstance(triple, ox.Triple | ox.Quad):
            subject, predicate, obj = triple.subject, triple.predicate, triple.object
        else:
            subject, predicate, obj = triple
        if not isinstance(subject, ox.NamedNode):
            raise ValueError(f"the writer takes IRI subjects only, not {subject!r}")
        if not isinstance(obj, ox.NamedNode | ox.Literal):
            raise ValueError(f"the writer takes IRI or literal objects only, not {obj!r}")
        subjects[subject.value] = subject
        graph.setdefault(subject.value, {}).setdefault(predicate, set()).add(obj)

    writer = _Writer(prefixes)
    blocks: list[str] = []
    for key in sorted(graph):
        lines: list[str] = []
        start = writer.name(subjects[key])
        predicates = sorted(
            ((p, "a" if p.value == _RDF_TYPE else writer.name(p)) for p in graph[key]),
            key=lambda pair: _predicate_key(*pair),
        )
        for index, (predicate, written) in enumerate(predicates):
            lead = f"{start} " if index == 0 else "    "
            objects = [writer.term(o) for o in sorted(graph[key][predicate], key=_object_key)]
            end = " ." if index == len(predicates) - 1 else " ;"
            line = f"{lead}{written} {' , '.join(objects)}{end}"
            if len(line) <= width or len(objects) == 1:
                lines.append(line)
                continue
            lines.append(f"{lead}{written} {objects[0]} ,")
            lines += [f"        {o} ," for o in objects[1:-1]]
            lines.append(f"        {objects[-1]}{end}")
        blocks.append("\n".join(lines) + "\n")

    out: list[str] = []
    if header:
        out.append("".join(f"# {line}".rstrip() + "\n" for line in header.splitlines()) + "\n")
    used = [p for p in prefixes if p in writer.used]
    if used:
        out.append("".join(f"@prefix {p}: <{prefixes[p]}> .\n" for p in used) + "\n")
    out.append("\n".join(blocks))
    return "".join(out).rstrip("\n") + "\n"
