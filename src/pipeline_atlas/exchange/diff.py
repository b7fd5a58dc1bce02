"""What changed between two versions of the graph: ``pipeline-atlas diff OLD NEW``.

OLD and NEW are each a store folder or an RDF export file (by extension: ``.ttl``, ``.nt``,
``.nq``, ``.trig``, ``.rdf``/``.owl``, ``.jsonld``). :func:`diff_paths` (or
:func:`diff_graphs` for graphs in memory) returns a :class:`Diff`: the nodes whose statements
changed, grouped by node (the subject), each with its label in the chosen language, and the
statements added and removed, properties as CURIEs with their label. ``Diff.to_text()`` is what
the command prints; its exit code is 0 when nothing changed, 1 when something did (like
``diff``), 2 when a file cannot be read.

What is compared
    The *statements* of the two versions: the union of all their named graphs, so a Turtle
    export and the store it came from compare equal. Which file (named graph) holds a statement
    is not compared.

Blank nodes
    A blank node (an OWL restriction, a SHACL list…) has no name to compare, so it is compared
    by its content: a statement whose object is a blank node is shown, and compared, with the
    blank node written out, ``rdfs:subClassOf [ owl:onProperty pa:atStage ;
    owl:someValuesFrom pa:Stage ]`` and lists as ``( a b c )``. An unchanged restriction is
    therefore never reported, whatever labels its blank nodes get in each file; a restriction
    that changed shows as the old one removed and the new one added. Blank nodes that no named
    node points to are listed under one heading of their own.

The dataset's own counts
    The counts of the dataset description (``pag:metadata``: ``void:triples``,
    ``void:entities``, the class partitions and the named-graph subsets) change with every
    edit; they are not listed statement by statement, but in one line at the top when they
    differ.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import AtlasError
from ..i18n import t
from ..namespaces import PAID, PREFIXES, shorten

__all__ = ["READABLE", "Diff", "DiffError", "NodeChange", "diff_graphs", "diff_paths", "read"]

READABLE: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
"""The file extensions ``diff`` reads, and their syntax."""

_RDF = PREFIXES["rdf"]
_VOID = PREFIXES["void"]
_LABELS = (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "prefLabel")
_XSD_STRING = PREFIXES["xsd"] + "string"
_COUNT_PREDICATES = frozenset(
    _VOID + name for name in ("triples", "entities", "classPartition", "subset")
)
_DATASET = PAID["dataset"]
_NODE_KEYS = {
    "added": "exchange.rdf.diff.node_added",
    "removed": "exchange.rdf.diff.node_removed",
    "changed": "exchange.rdf.diff.node_changed",
}

Graphs = Mapping[str, Sequence[ox.Quad]]
Subject = ox.NamedNode | ox.BlankNode | ox.Triple


class DiffError(AtlasError):
    """A version cannot be read (missing, not RDF, malformed)."""


@dataclass(frozen=True)
class Statement:
    """One statement about a node: its property (IRI, CURIE, label) and its value as text."""

    predicate: str
    property: str
    value: str
    added: bool

    def line(self) -> str:
        """``+ pa:atStage (at stage): stage:booking (Booking)``."""
        sign = "+" if self.added else "-"
        return (
            f"  {sign} {self.property}: {self.value}" if self.property else f"  {sign} {self.value}"
        )


@dataclass(frozen=True)
class NodeChange:
    """The statements of one node that changed. ``node`` is its IRI (``""`` for the statements
    about blank nodes that no named node points to); ``status`` is ``added`` (every statement is
    new), ``removed`` (every statement is gone) or ``changed``."""

    node: str
    label: str
    status: str
    statements: tuple[Statement, ...]

    @property
    def added(self) -> int:
        return sum(1 for s in self.statements if s.added)

    @property
    def removed(self) -> int:
        return sum(1 for s in self.statements if not s.added)


@dataclass(frozen=True)
class Diff:
    """What changed from ``old`` to ``new`` (their names as given), labels in ``lang``.
    ``counts``: the dataset description's (triples, named graphs) of each side, ``None`` where a
    side has none."""

    old: str
    new: str
    lang: str
    nodes: tuple[NodeChange, ...]
    triples: int
    counts: tuple[tuple[int | None, int | None], tuple[int | None, int | None]]

    @property
    def same(self) -> bool:
        """Whether both versions make the same statements (the dataset's counts aside)."""
        return not self.nodes

    def to_text(self) -> str:
        """The report a person reads (in :attr:`lang`)."""
        lang = self.lang
        lines: list[str] = []
        (old_triples, old_graphs), (new_triples, new_graphs) = self.counts
        if self.same:
            lines.append(
                t("exchange.rdf.diff.same", lang, old=self.old, new=self.new, triples=self.triples)
            )
        else:
            statuses = [n.status for n in self.nodes]
            lines.append(
                t(
                    "exchange.rdf.diff.summary",
                    lang,
                    old=self.old,
                    new=self.new,
                    nodes=len(self.nodes),
                    added=statuses.count("added"),
                    removed=statuses.count("removed"),
                    changed=statuses.count("changed"),
                    plus=sum(n.added for n in self.nodes),
                    minus=sum(n.removed for n in self.nodes),
                )
            )
        if self.counts[0] != self.counts[1]:
            lines.append(
                t(
                    "exchange.rdf.diff.counts",
                    lang,
                    old_triples=_shown(old_triples),
                    new_triples=_shown(new_triples),
                    old_graphs=_shown(old_graphs),
                    new_graphs=_shown(new_graphs),
                )
            )
        for change in self.nodes:
            lines.append("")
            if change.node:
                key = _NODE_KEYS[change.status]
                lines.append(t(key, lang, label=change.label, node=shorten(change.node)))
            else:
                lines.append(t("exchange.rdf.diff.anonymous", lang))
            lines += [statement.line() for statement in change.statements]
        return "\n".join(lines) + "\n"


def _shown(n: int | None) -> str:
    return "—" if n is None else str(n)


# --- reading ------------------------------------------------------------------------------------


def read(path: str | Path, *, lang: str = "en") -> dict[str, list[ox.Quad]]:
    """The graphs of a store folder or an RDF file (graph IRI → quads; ``""`` for the default
    graph of a triples file). :class:`DiffError` in ``lang`` when it cannot be read."""
    from ..build.load import graphs_of, group_quads

    file = Path(path)
    if not file.exists():
        raise DiffError(t("exchange.rdf.diff.missing", lang, path=path))
    if file.is_dir():
        from ..store.embedded import EmbeddedStore

        try:
            store = EmbeddedStore(file, read_only=True)
        except (AtlasError, OSError) as exc:
            syntax = "Oxigraph store"
            raise DiffError(
                t("exchange.rdf.diff.unreadable", lang, path=path, syntax=syntax, reason=exc)
            ) from None
        try:
            return graphs_of(store)
        finally:
            store.close()
    rdf_format = READABLE.get(file.suffix.lower())
    if rdf_format is None:
        extensions = ", ".join(READABLE)
        raise DiffError(
            t("exchange.rdf.diff.unknown_extension", lang, path=path, extensions=extensions)
        )
    try:
        return group_quads(ox.parse(path=file, format=rdf_format))
    except (SyntaxError, OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise DiffError(
            t(
                "exchange.rdf.diff.unreadable",
                lang,
                path=path,
                syntax=rdf_format.name,
                reason=reason,
            )
        ) from None


# --- comparing ----------------------------------------------------------------------------------


class _Version:
    """One version's statements, with blank nodes written out by their content."""

    def __init__(self, graphs: Graphs) -> None:
        triples = {q.triple for quads in graphs.values() for q in quads}
        counted = {tr.object for tr in triples if tr.predicate.value in _COUNT_PREDICATES}
        self.counts = self._counts(triples)
        self.kept = [
            tr
            for tr in triples
            if tr.predicate.value not in _COUNT_PREDICATES and tr.subject not in counted
        ]
        self.blank: dict[ox.BlankNode, list[ox.Triple]] = defaultdict(list)
        pointed: set[ox.BlankNode] = set()
        for tr in self.kept:
            if isinstance(tr.subject, ox.BlankNode):
                self.blank[tr.subject].append(tr)
            if isinstance(tr.object, ox.BlankNode):
                pointed.add(tr.object)
        self.roots = [b for b in self.blank if b not in pointed]
        self.labels: dict[str, dict[str, str]] = defaultdict(dict)
        for tr in triples:
            obj = tr.object
            if (
                tr.predicate.value in _LABELS
                and isinstance(tr.subject, ox.NamedNode)
                and isinstance(obj, ox.Literal)
                and obj.language
            ):
                current = self.labels[tr.subject.value].get(obj.language)
                if current is None or (tr.predicate.value == _LABELS[0] and obj.value < current):
                    self.labels[tr.subject.value][obj.language] = obj.value

    @staticmethod
    def _counts(triples: Iterable[ox.Triple]) -> tuple[int | None, int | None]:
        total: int | None = None
        subsets = 0
        for tr in triples:
            if not isinstance(tr.subject, ox.NamedNode) or tr.subject.value != _DATASET:
                continue
            if tr.predicate.value == _VOID + "triples" and isinstance(tr.object, ox.Literal):
                total = int(tr.object.value)
            elif tr.predicate.value == _VOID + "subset":
                subsets += 1
        return (total, subsets if total is not None or subsets else None)

    def statements(self) -> dict[tuple[str, str, str], None]:
        """(node IRI or "", predicate IRI, value text) of every statement."""
        found: dict[tuple[str, str, str], None] = {}
        for tr in self.kept:
            if isinstance(tr.subject, ox.NamedNode):
                found[(tr.subject.value, tr.predicate.value, self.text(tr.object))] = None
        for root in self.roots:
            found[("", "", self.text(root))] = None
        return found

    def text(self, term: object, seen: frozenset[ox.BlankNode] = frozenset()) -> str:
        if isinstance(term, ox.NamedNode):
            return shorten(term.value)
        if isinstance(term, ox.Literal):
            value = term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            if term.language:
                return f'"{value}"@{term.language}'
            if term.datatype.value == _XSD_STRING:
                return f'"{value}"'
            return f'"{value}"^^{shorten(term.datatype.value)}'
        if isinstance(term, ox.BlankNode):
            if term in seen:
                return "[ … ]"
            inner = seen | {term}
            items = self._list(term, inner)
            if items is not None:
                return "( " + " ".join(items) + " )" if items else "()"
            parts = sorted(
                f"{shorten(tr.predicate.value)} {self.text(tr.object, inner)}"
                for tr in self.blank.get(term, [])
            )
            return "[ " + " ; ".join(parts) + " ]" if parts else "[]"
        return str(term)

    def _list(self, node: ox.BlankNode, seen: frozenset[ox.BlankNode]) -> list[str] | None:
        """The items of an RDF list starting at ``node``, or ``None`` if it is not a plain
        list."""
        items: list[str] = []
        current: object = node
        visited: set[ox.BlankNode] = set()
        while isinstance(current, ox.BlankNode):
            if current in visited:
                return None
            visited.add(current)
            by_predicate = {tr.predicate.value: tr.object for tr in self.blank.get(current, [])}
            if set(by_predicate) != {_RDF + "first", _RDF + "rest"}:
                return None
            items.append(self.text(by_predicate[_RDF + "first"], seen | visited))
            current = by_predicate[_RDF + "rest"]
        if current != ox.NamedNode(_RDF + "nil"):
            return None
        return items


def _label(iri: str, versions: Sequence[_Version], lang: str) -> str | None:
    for version in versions:
        labels = version.labels.get(iri)
        if labels and lang in labels:
            return labels[lang]
    for version in versions:
        labels = version.labels.get(iri)
        if labels:
            return labels.get("en") or labels[sorted(labels)[0]]
    return None


def _with_label(curie: str, iri: str, versions: Sequence[_Version], lang: str) -> str:
    label = _label(iri, versions, lang)
    return f"{curie} ({label})" if label else curie


def diff_graphs(
    old: Graphs, new: Graphs, *, lang: str = "en", old_name: str = "OLD", new_name: str = "NEW"
) -> Diff:
    """What changed from the graphs ``old`` to ``new`` (see the module's text).

    >>> g = "https://w3id.org/pipeline-atlas/graph/g"
    >>> def quad(s, p, o):
    ...     return ox.Quad(ox.NamedNode(PREFIXES["stage"] + s),
    ...         ox.NamedNode(PREFIXES["rdfs"] + p), ox.Literal(o, language="en"), ox.NamedNode(g))
    >>> d = diff_graphs({g: [quad("a", "label", "A")]}, {g: [quad("a", "label", "B")]})
    >>> print(d.to_text(), end="")
    OLD → NEW: nodes changed: 1 (new: 0, removed: 0, changed: 1); statements added: 1, removed: 1
    <BLANKLINE>
    changed: B (stage:a)
      - rdfs:label: "A"@en
      + rdfs:label: "B"@en
    """
    before, after = _Version(old), _Version(new)
    old_statements, new_statements = before.statements(), after.statements()
    removed = [s for s in old_statements if s not in new_statements]
    added = [s for s in new_statements if s not in old_statements]
    by_node: dict[str, list[tuple[tuple[str, str, str], bool]]] = defaultdict(list)
    for statement in removed:
        by_node[statement[0]].append((statement, False))
    for statement in added:
        by_node[statement[0]].append((statement, True))
    versions = (after, before)
    old_nodes = {s[0] for s in old_statements}
    new_nodes = {s[0] for s in new_statements}
    changes: list[NodeChange] = []
    for node in sorted(by_node, key=lambda n: (n == "", shorten(n))):
        rows = sorted(by_node[node], key=lambda row: (shorten(row[0][1]), row[1], row[0][2]))
        statements = tuple(
            Statement(
                predicate=predicate,
                property=_with_label(shorten(predicate), predicate, versions, lang)
                if predicate
                else "",
                value=value,
                added=is_added,
            )
            for (_, predicate, value), is_added in rows
        )
        if node and node not in old_nodes:
            status = "added"
        elif node and node not in new_nodes:
            status = "removed"
        else:
            status = "changed"
        label = (_label(node, versions, lang) or shorten(node)) if node else ""
        changes.append(NodeChange(node=node, label=label, status=status, statements=statements))
    return Diff(
        old=old_name,
        new=new_name,
        lang=lang,
        nodes=tuple(changes),
        triples=len(after.kept),
        counts=(before.counts, after.counts),
    )


def diff_paths(old: str | Path, new: str | Path, *, lang: str = "en") -> Diff:
    """What changed from the version at ``old`` to the one at ``new`` (store folders or RDF
    files); :class:`DiffError` when one cannot be read."""
    return diff_graphs(
        read(old, lang=lang), read(new, lang=lang), lang=lang, old_name=str(old), new_name=str(new)
    )
