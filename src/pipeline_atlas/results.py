"""Query results as plain Python values, and their text formats: ``table`` for people, and the
SPARQL 1.1 result formats ``csv``, ``tsv``, ``json`` and ``xml`` written by pyoxigraph's
serializers (``turtle`` and ``ntriples`` too for a graph).

A :class:`QueryResult` is materialised (no open iterator), so it can be formatted many times.

>>> from pyoxigraph import Literal, NamedNode
>>> r = QueryResult.select(
...     ["stage", "order"],
...     [{"stage": NamedNode("https://w3id.org/pipeline-atlas/id/stage/police-stop"),
...       "order": Literal(1)}],
... )
>>> r.rows
[{'stage': 'https://w3id.org/pipeline-atlas/id/stage/police-stop', 'order': 1}]
>>> print(r.to("table"))
stage              order
-----------------  -----
stage:police-stop  1
(1 row)
>>> r.to("csv").splitlines()
['stage,order', 'https://w3id.org/pipeline-atlas/id/stage/police-stop,1']
>>> r.to("tsv").splitlines()
['?stage\\t?order', '<https://w3id.org/pipeline-atlas/id/stage/police-stop>\\t1']
>>> json.loads(r.to("json"))["results"]["bindings"][0]["order"]
{'type': 'literal', 'value': '1', 'datatype': 'http://www.w3.org/2001/XMLSchema#integer'}
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

import pyoxigraph as ox

from .errors import FormatError
from .namespaces import PREFIXES, shorten

__all__ = [
    "FORMATS",
    "GRAPH_FORMATS",
    "QueryResult",
    "Term",
    "Value",
    "term_to_python",
]

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
"""An RDF term as pyoxigraph gives it."""

Value: TypeAlias = str | int | float | bool | None
"""A plain Python value: IRIs and strings as ``str``, numbers and booleans as such."""

ResultKind: TypeAlias = Literal["select", "ask", "construct"]

FORMATS = ("table", "csv", "tsv", "json", "xml")
"""Formats every result can be written in."""

GRAPH_FORMATS = ("turtle", "ntriples")
"""Extra formats for CONSTRUCT/DESCRIBE results."""

_RESULTS_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_PLAIN_DATATYPES = (_XSD + "string", _RDF + "langString", _RDF + "dirLangString")
_INTEGER_TYPES = frozenset(
    _XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
_FLOAT_TYPES = frozenset(_XSD + name for name in ("decimal", "double", "float"))
_TRIPLE_VARIABLES = ("subject", "predicate", "object")


def term_to_python(term: Term | None) -> Value:
    """A plain Python value for an RDF term.

    IRIs → their string, blank nodes → ``_:id``, ``xsd:integer`` (and its kin) → ``int``,
    ``xsd:boolean`` → ``bool``, ``xsd:decimal``/``double``/``float`` → ``float``, every other
    literal → its lexical form (language tags dropped), quoted triples → N-Triples text.

    >>> term_to_python(ox.Literal("42", datatype=ox.NamedNode(_XSD + "integer")))
    42
    >>> term_to_python(ox.Literal("false", datatype=ox.NamedNode(_XSD + "boolean")))
    False
    >>> term_to_python(ox.Literal("Alto", language="es"))
    'Alto'
    >>> term_to_python(None) is None
    True
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype in _FLOAT_TYPES:
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == _XSD + "boolean":
            return term.value.strip() in ("true", "1")
        return term.value
    return str(term)


def _display(term: Term | None, prefixes: Mapping[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value, prefixes)
    if isinstance(term, ox.Literal):
        return " ".join(term.value.split()) if "\n" in term.value else term.value
    return str(term_to_python(term))


def _json_term(term: Term) -> dict[str, Any]:
    """A term in SPARQL 1.1 Query Results JSON: the one encoder; every other result format is
    pyoxigraph's reading of this one.

    >>> _json_term(ox.Literal("Alto", language="es"))
    {'type': 'literal', 'value': 'Alto', 'xml:lang': 'es'}
    """
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if term.direction is not None:
                out["its:dir"] = str(term.direction)
        elif term.datatype.value not in _PLAIN_DATATYPES:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


@dataclass(frozen=True)
class QueryResult:
    """The answer to one query.

    ``kind`` is ``"select"``, ``"ask"`` or ``"construct"`` (also for DESCRIBE). A SELECT result
    has ``variables`` and one entry in ``terms``/``rows`` a solution; an ASK result has
    ``boolean``; a CONSTRUCT result has ``triples`` and presents them as rows of
    ``subject``/``predicate``/``object``.
    """

    kind: ResultKind
    variables: list[str]
    terms: list[dict[str, Term | None]]
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    prefixes: Mapping[str, str] = field(default_factory=lambda: PREFIXES, repr=False)

    @classmethod
    def select(
        cls, variables: Sequence[str], terms: Iterable[Mapping[str, Term | None]]
    ) -> QueryResult:
        """A SELECT result from variable names and solutions."""
        names = list(variables)
        return cls("select", names, [{v: row.get(v) for v in names} for row in terms])

    @classmethod
    def ask(cls, answer: bool) -> QueryResult:
        """An ASK result.

        >>> QueryResult.ask(True).to("json")
        '{"head":{},"boolean":true}'
        """
        return cls("ask", [], [], boolean=bool(answer))

    @classmethod
    def construct(cls, triples: Iterable[ox.Triple]) -> QueryResult:
        """A CONSTRUCT/DESCRIBE result: duplicates dropped, sorted (a store gives no order)."""
        unique = sorted(
            set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
        )
        rows: list[dict[str, Term | None]] = [
            {"subject": t.subject, "predicate": t.predicate, "object": t.object} for t in unique
        ]
        return cls("construct", list(_TRIPLE_VARIABLES), rows, triples=unique)

    @property
    def rows(self) -> list[dict[str, Value]]:
        """Solutions as plain Python values (see :func:`term_to_python`)."""
        return [{k: term_to_python(v) for k, v in row.items()} for row in self.terms]

    def __len__(self) -> int:
        return len(self.terms)

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.kind == "ask" else bool(self.terms)

    def to(self, fmt: str) -> str:
        """The result as text: ``table``, ``csv``, ``tsv``, ``json``, ``xml`` (all kinds) or
        ``turtle``, ``ntriples`` (CONSTRUCT only).

        * ``table``: aligned columns for people, IRIs shortened with the prefix table.
        * ``csv``: SPARQL 1.1 CSV (plain values, CRLF line ends).
        * ``tsv``: SPARQL 1.1 TSV (a header of ``?var``, terms as in N-Triples: ``<iri>``,
          ``"literal"@en``, numbers bare).
        * ``json``: SPARQL 1.1 Query Results JSON.
        * ``xml``: SPARQL Query Results XML.

        csv, tsv, json and xml are pyoxigraph's serializers. A CONSTRUCT result in those is the
        solutions of ``?subject ?predicate ?object``, one a triple; an ASK result is
        ``true``/``false`` in table, csv and tsv.

        >>> QueryResult.ask(False).to("xml").endswith("<boolean>false</boolean></sparql>")
        True
        """
        fmt = fmt.lower()
        if fmt in GRAPH_FORMATS:
            if self.kind != "construct":
                raise FormatError(
                    f"format '{fmt}' is for CONSTRUCT and DESCRIBE results; "
                    f"use one of {', '.join(FORMATS)}"
                )
            rdf_format = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
            data = ox.serialize(self.triples, format=rdf_format, prefixes=self._used_prefixes())
            return data.decode("utf-8") if data else ""
        if fmt == "table":
            if self.kind == "ask":
                return "true" if self.boolean else "false"
            return self._table()
        results_format = _RESULTS_FORMATS.get(fmt)
        if results_format is None:
            raise self._unknown(fmt)
        parsed = ox.parse_query_results(self._json(), format=ox.QueryResultsFormat.JSON)
        return (parsed.serialize(format=results_format) or b"").decode("utf-8")

    def _used_prefixes(self) -> dict[str, str]:
        used: set[str] = set()
        for triple in self.triples:
            for term in (triple.subject, triple.predicate, triple.object):
                iri = term.value if isinstance(term, ox.NamedNode) else None
                if isinstance(term, ox.Literal) and not term.language:
                    iri = term.datatype.value if term.datatype.value != _XSD + "string" else None
                if iri:
                    short = shorten(iri, self.prefixes)
                    if short != iri:
                        used.add(short.partition(":")[0])
        return {k: v for k, v in self.prefixes.items() if k in used}

    def _unknown(self, fmt: str) -> FormatError:
        known = FORMATS + (GRAPH_FORMATS if self.kind == "construct" else ())
        return FormatError(f"unknown format '{fmt}'; use one of {', '.join(known)}")

    def _json(self) -> str:
        """The result as SPARQL 1.1 Query Results JSON (what pyoxigraph reads to write the
        others)."""
        if self.kind == "ask":
            doc: dict[str, Any] = {"head": {}, "boolean": bool(self.boolean)}
        else:
            bindings = [
                {k: _json_term(v) for k, v in row.items() if v is not None} for row in self.terms
            ]
            doc = {"head": {"vars": self.variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False)

    def _table(self) -> str:
        header = list(self.variables)
        body = [[_display(row[v], self.prefixes) for v in header] for row in self.terms]
        widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]

        def line(cells: Sequence[str]) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

        lines = [line(header), line(["-" * w for w in widths])] if header else []
        lines += [line(r) for r in body]
        count = len(body)
        lines.append(f"({count} row{'' if count == 1 else 's'})")
        return "\n".join(lines)
