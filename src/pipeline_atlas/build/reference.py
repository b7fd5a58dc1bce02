"""The ontology's documentation per term, in one language: for ``pipeline-atlas describe``, the
HTML reference pages (``docs/reference/<lang>/index.html``) and the class diagram
(``docs/diagram.dot``).

A :class:`Reference` reads ``ontology/pipeline-atlas.ttl`` (rdflib) and takes its examples from
the graph data (the store that :meth:`pipeline_atlas.Atlas.build` makes without the reasoner).
Every text comes in one language only: labels, definitions and comments of that language, the
page's own words from the message catalogue (``cli.docs.*``), and the data's labels in that
language.

>>> ref = Reference.load()
>>> ref.term("pa:Stage").iri
'https://w3id.org/pipeline-atlas/ont/Stage'
>>> ref.term("Stage") is ref.term("https://w3id.org/pipeline-atlas/ont/Stage")
True
>>> print(ref.describe("pa:Stage", "es").splitlines()[0])
pa:Stage: Etapa (clase)
>>> ref.term("pa:Stag").iri  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pipeline_atlas.build.reference.UnknownTermError: no term 'pa:Stag' in the ontology; did you...
"""

from __future__ import annotations

import difflib
import html
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from pipeline_atlas.errors import AtlasError
from pipeline_atlas.i18n import LANGUAGES, t
from pipeline_atlas.namespaces import PREFIXES, shorten
from pipeline_atlas.paths import ProjectPaths, project_paths

__all__ = ["KINDS", "Ref", "Reference", "TermDoc", "UnknownTermError"]

PA = PREFIXES["pa"]
_RDF_TYPE = PREFIXES["rdf"] + "type"
_LABEL = PREFIXES["rdfs"] + "label"
_SKOS = PREFIXES["skos"]

KINDS = {
    "class": OWL.Class,
    "object": OWL.ObjectProperty,
    "datatype": OWL.DatatypeProperty,
    "annotation": OWL.AnnotationProperty,
}
"""Kinds of term (key → OWL type), in the order the reference lists them."""

_CHARACTERISTICS = {
    OWL.FunctionalProperty: "functional",
    OWL.InverseFunctionalProperty: "inverse_functional",
    OWL.TransitiveProperty: "transitive",
    OWL.SymmetricProperty: "symmetric",
    OWL.AsymmetricProperty: "asymmetric",
    OWL.ReflexiveProperty: "reflexive",
    OWL.IrreflexiveProperty: "irreflexive",
}

EXAMPLES = 3
"""Examples shown for each term."""

_MAX_TEXT = 160


class UnknownTermError(AtlasError):
    """The ontology has no term by this name; ``candidates`` are close matches (CURIEs).

    >>> str(UnknownTermError("pa:Stag", ["pa:Stage"]))
    "no term 'pa:Stag' in the ontology; did you mean pa:Stage?"
    """

    def __init__(self, name: str, candidates: Sequence[str] = ()) -> None:
        self.name = name
        self.candidates = list(candidates)
        hint = f"; did you mean {', '.join(self.candidates)}?" if self.candidates else ""
        super().__init__(f"no term {name!r} in the ontology{hint}")


@dataclass(frozen=True)
class Ref:
    """A reference to a class or property: a named one (``iri``) or a class expression (``op``
    ``or``/``and`` over ``members``, or ``some`` with ``members`` = (property, class))."""

    iri: str | None = None
    op: str | None = None
    members: tuple[Ref, ...] = ()

    def text(self, lang: str) -> str:
        """As text: a CURIE, or the expression with its words in ``lang``."""
        if self.iri is not None:
            return shorten(self.iri)
        word = t(f"cli.docs.expr.{self.op}", lang)
        return "(" + f" {word} ".join(m.text(lang) for m in self.members) + ")"

    def html(self, lang: str) -> str:
        """As HTML: our terms link to their anchor on the page."""
        if self.iri is not None:
            code = f"<code>{html.escape(shorten(self.iri))}</code>"
            if self.iri.startswith(PA):
                return f'<a href="#{html.escape(self.iri[len(PA) :])}">{code}</a>'
            return code
        word = html.escape(t(f"cli.docs.expr.{self.op}", lang))
        return "(" + f" {word} ".join(m.html(lang) for m in self.members) + ")"

    def named(self) -> list[str]:
        """The IRIs of the named classes in it (the members of a union, say)."""
        if self.iri is not None:
            return [self.iri]
        if self.op == "some":
            return self.members[1].named() if len(self.members) > 1 else []
        return [iri for m in self.members for iri in m.named()]


@dataclass(frozen=True, order=True)
class Example:
    """One example from the data: an instance (``value`` is ``None``) or a triple's subject and
    object (an IRI, or a literal's text)."""

    subject: str
    value: str | None = None
    value_is_iri: bool = False


@dataclass
class TermDoc:
    """Everything the ontology says about one of its terms, in every language."""

    iri: str
    kind: str
    labels: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    supers: list[Ref] = field(default_factory=list)
    subs: list[Ref] = field(default_factory=list)
    equivalent: list[Ref] = field(default_factory=list)
    domain: list[Ref] = field(default_factory=list)
    range: list[Ref] = field(default_factory=list)
    characteristics: list[str] = field(default_factory=list)
    inverse: list[Ref] = field(default_factory=list)
    chain: list[Ref] = field(default_factory=list)
    domain_of: list[Ref] = field(default_factory=list)
    range_of: list[Ref] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)

    @property
    def local(self) -> str:
        """The local name (``Stage``), also the term's anchor in the reference."""
        return self.iri[len(PA) :]

    @property
    def curie(self) -> str:
        return shorten(self.iri)

    @property
    def inferred(self) -> bool:
        """Whether its members or values come from the reasoner (a defined class or a chain)."""
        return bool(self.equivalent or self.chain)


def _lang_text(graph: Graph, node: Node, prop: URIRef) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in sorted(graph.objects(node, prop), key=str):
        if isinstance(value, Literal) and value.language in LANGUAGES:
            found.setdefault(value.language, " ".join(str(value).split()))
    return found


def _ref(node: Node, graph: Graph) -> Ref:
    if isinstance(node, URIRef):
        return Ref(iri=str(node))
    for op, word in ((OWL.unionOf, "or"), (OWL.intersectionOf, "and")):
        members = graph.value(node, op)
        if members is not None:
            return Ref(op=word, members=tuple(_ref(m, graph) for m in Collection(graph, members)))
    prop = graph.value(node, OWL.onProperty)
    some = graph.value(node, OWL.someValuesFrom)
    if prop is not None and some is not None:
        return Ref(op="some", members=(_ref(prop, graph), _ref(some, graph)))
    return Ref(op="and", members=())


def _refs(nodes: Iterable[Node], graph: Graph) -> list[Ref]:
    refs = [_ref(n, graph) for n in nodes]
    return sorted(refs, key=lambda r: (r.iri is None, r.text("en")))


class _Data:
    """The graph data, indexed for examples: types, triples by predicate, labels by language."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.instances: dict[str, set[str]] = defaultdict(set)
        self.uses: dict[str, set[tuple[str, str, bool, str | None]]] = defaultdict(set)
        self.labels: dict[str, dict[str, str]] = defaultdict(dict)
        self.text: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        for triple in triples:
            s, p, o = triple.subject, triple.predicate.value, triple.object
            if not isinstance(s, ox.NamedNode):
                continue
            if p == _RDF_TYPE and isinstance(o, ox.NamedNode):
                self.instances[o.value].add(s.value)
            elif isinstance(o, ox.NamedNode):
                self.uses[p].add((s.value, o.value, True, None))
            elif isinstance(o, ox.Literal):
                self.uses[p].add((s.value, o.value, False, o.language))
                if o.language in LANGUAGES:
                    if p == _LABEL:
                        self.labels[s.value].setdefault(o.language, o.value)
                    self.text[(s.value, p)].setdefault(o.language, o.value)

    def label(self, iri: str, lang: str) -> str:
        return self.labels.get(iri, {}).get(lang, "")

    def examples(self, doc: TermDoc, lang: str | None) -> list[Example]:
        if doc.kind == "class":
            return [Example(s) for s in sorted(self.instances.get(doc.iri, ()))[:EXAMPLES]]
        uses = sorted(
            (s, o, is_iri)
            for s, o, is_iri, language in self.uses.get(doc.iri, ())
            if language is None or lang is None or language == lang
        )
        picked: list[Example] = []
        seen: set[str] = set()
        for s, o, is_iri in uses:  # one example a subject, so the examples differ
            if s not in seen:
                seen.add(s)
                picked.append(Example(s, o, is_iri))
            if len(picked) == EXAMPLES:
                break
        return picked


class Reference:
    """The ontology's terms (``pa:`` classes and properties) and examples from the data."""

    def __init__(self, ontology: Graph, data: Iterable[ox.Triple]) -> None:
        self.graph = ontology
        self.data = _Data(data)
        self.terms: dict[str, TermDoc] = {}
        ontology_iri = URIRef(PA)
        for kind, owl_type in KINDS.items():
            for term in sorted(ontology.subjects(RDF.type, owl_type), key=str):
                if isinstance(term, URIRef) and str(term).startswith(PA) and term != ontology_iri:
                    self.terms.setdefault(str(term), self._doc(term, kind))
        for doc in self.terms.values():
            if doc.kind == "class":
                continue
            for ref in doc.domain:
                for iri in ref.named():
                    if iri in self.terms:
                        self.terms[iri].domain_of.append(Ref(iri=doc.iri))
            for ref in doc.range:
                for iri in ref.named():
                    if iri in self.terms:
                        self.terms[iri].range_of.append(Ref(iri=doc.iri))

    @classmethod
    def load(cls, paths: ProjectPaths | None = None) -> Reference:
        """Read the ontology of ``paths`` and take the examples from its graph data."""
        from pipeline_atlas.build import build_store

        paths = paths or project_paths()
        graph = Graph()
        graph.parse(paths.ontology / "pipeline-atlas.ttl", format="turtle")
        store = build_store(paths, reason=False)
        try:
            triples = {q.triple for q in store.quads()}
        finally:
            store.close()
        return cls(graph, sorted(triples, key=str))

    def _doc(self, term: URIRef, kind: str) -> TermDoc:
        g = self.graph
        doc = TermDoc(
            iri=str(term),
            kind=kind,
            labels=_lang_text(g, term, RDFS.label),
            definitions=_lang_text(g, term, SKOS.definition),
            comments=_lang_text(g, term, RDFS.comment),
        )
        up, down = (
            (RDFS.subClassOf, RDFS.subClassOf) if kind == "class" else (RDFS.subPropertyOf,) * 2
        )
        doc.supers = _refs(g.objects(term, up), g)
        doc.subs = _refs((s for s in g.subjects(down, term) if isinstance(s, URIRef)), g)
        doc.equivalent = _refs(g.objects(term, OWL.equivalentClass), g)
        doc.domain = _refs(g.objects(term, RDFS.domain), g)
        doc.range = _refs(g.objects(term, RDFS.range), g)
        doc.characteristics = sorted(
            name for owl_type, name in _CHARACTERISTICS.items() if (term, RDF.type, owl_type) in g
        )
        doc.inverse = _refs([*g.objects(term, OWL.inverseOf), *g.subjects(OWL.inverseOf, term)], g)
        chain = g.value(term, OWL.propertyChainAxiom)
        if chain is not None:
            doc.chain = [_ref(step, g) for step in Collection(g, chain)]
        return doc

    # -- looking terms up -------------------------------------------------------------------

    def of_kind(self, kind: str) -> list[TermDoc]:
        """The terms of one kind (``class``, ``object``, ``datatype``, ``annotation``), sorted."""
        return sorted(
            (d for d in self.terms.values() if d.kind == kind), key=lambda d: d.local.lower()
        )

    def term(self, name: str) -> TermDoc:
        """A term by CURIE (``pa:Stage``), local name (``Stage``) or IRI; raises
        :class:`UnknownTermError` with close matches."""
        text = name.strip().strip("<>")
        for iri in (text, PA + text, PA + text.removeprefix("pa:")):
            if iri in self.terms:
                return self.terms[iri]
        folded = [d for d in self.terms.values() if d.local.lower() == text.lower()]
        if len(folded) == 1:
            return folded[0]
        curies = {d.curie: d for d in self.terms.values()}
        wanted = text if ":" in text and "/" not in text else "pa:" + text.rsplit("/", 1)[-1]
        close = difflib.get_close_matches(wanted, list(curies), n=3, cutoff=0.6)
        if not close:
            lower = {c.lower(): c for c in curies}
            close = [lower[c] for c in difflib.get_close_matches(wanted.lower(), list(lower), n=3)]
        raise UnknownTermError(name, close)

    def examples(self, doc: TermDoc, lang: str) -> list[Example]:
        """A few instances of a class, or a few triples using a property, from the data (literals
        in ``lang`` or without a language); see :meth:`examples_noted`."""
        return self.examples_noted(doc, lang)[0]

    def examples_noted(self, doc: TermDoc, lang: str) -> tuple[list[Example], str]:
        """:meth:`examples`, and a note in ``lang`` when they are not the term's own: a class the
        data never names shows instances of its subclasses, a property the data never uses shows
        the statements of its inverse (turned around)."""
        own = self.data.examples(doc, lang)
        if own:
            return own, ""
        if doc.kind == "class":
            below = self._subclasses(doc.iri)
            found = sorted({i for c in below for i in self.data.instances.get(c, ())})
            if found:
                note = t("cli.docs.examples.from_subclasses", lang)
                return [Example(i) for i in found[:EXAMPLES]], note
        elif doc.kind == "object":
            for inverse in (r.iri for r in doc.inverse if r.iri in self.terms):
                turned = self.data.examples(self.terms[str(inverse)], lang)
                turned = sorted(Example(e.value or "", e.subject, True) for e in turned)
                if turned:
                    note = t("cli.docs.examples.from_inverse", lang, inverse=shorten(str(inverse)))
                    return turned, note
        return [], ""

    def _subclasses(self, iri: str) -> list[str]:
        """The ``pa:`` classes below ``iri`` (all levels), sorted."""
        found: set[str] = set()
        todo = [iri]
        while todo:
            for ref in self.terms[todo.pop()].subs:
                if ref.iri in self.terms and ref.iri not in found:
                    found.add(ref.iri)
                    todo.append(ref.iri)
        return sorted(found)

    def _name(self, iri: str, lang: str) -> str:
        """An instance as text: its label in ``lang`` and its CURIE."""
        label = self.data.label(iri, lang) or (
            self.terms[iri].labels.get(lang, "") if iri in self.terms else ""
        )
        return f"{label} ({shorten(iri)})" if label else shorten(iri)

    def _value(self, example: Example, lang: str) -> str:
        if example.value is None:
            return ""
        if example.value_is_iri:
            return self._name(example.value, lang)
        text = " ".join(example.value.split())
        return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"

    # -- text -------------------------------------------------------------------------------

    def describe(self, name: str, lang: str = "en") -> str:
        """One term's documentation as text in ``lang`` (``pipeline-atlas describe``)."""
        doc = self.term(name)
        kind = t(f"cli.docs.kind.{doc.kind}", lang).lower()
        label = doc.labels.get(lang, doc.local)
        lines = [f"{doc.curie}: {label} ({kind})", f"IRI: {doc.iri}"]
        for key, value in self._fields(doc, lang):
            lines.append(f"{t(f'cli.docs.field.{key}', lang)}: {value}")
        lines.append(t("cli.docs.field.examples", lang) + ":")
        examples, note = self.examples_noted(doc, lang)
        if note:
            lines.append(f"  {note}")
        for example in examples:
            if example.value is None:
                lines.append(f"  {self._name(example.subject, lang)}")
            else:
                lines.append(
                    f"  {self._name(example.subject, lang)} → {self._value(example, lang)}"
                )
        if not examples:
            lines.append("  " + self._no_examples(doc, lang))
        return "\n".join(lines)

    def _no_examples(self, doc: TermDoc, lang: str) -> str:
        if doc.kind == "class":
            text = t("cli.docs.examples.none_class", lang)
        else:
            text = t("cli.docs.examples.none_property", lang)
        if doc.inferred:
            text += " " + t("cli.docs.examples.inferred", lang)
        return text

    def _fields(self, doc: TermDoc, lang: str, *, as_html: bool = False) -> list[tuple[str, str]]:
        """The term's fields that have a value: (message key suffix, text or HTML)."""

        def refs(items: Sequence[Ref]) -> str:
            return ", ".join(r.html(lang) if as_html else r.text(lang) for r in items)

        def plain(text: str) -> str:
            return html.escape(text) if as_html else text

        out: list[tuple[str, str]] = []
        for key, text in (
            ("definition", doc.definitions.get(lang, "")),
            ("comment", doc.comments.get(lang, "")),
        ):
            if text:
                out.append((key, plain(text)))
        is_class = doc.kind == "class"
        listed: list[tuple[str, Sequence[Ref]]] = [
            ("subclass_of" if is_class else "subproperty_of", doc.supers),
            ("subclasses" if is_class else "subproperties", doc.subs),
            ("equivalent", doc.equivalent),
            ("domain", doc.domain),
            ("range", doc.range),
            ("inverse", doc.inverse),
            ("domain_of", doc.domain_of),
            ("range_of", doc.range_of),
        ]
        out += [(key, refs(items)) for key, items in listed if items]
        if doc.chain:
            out.append(
                ("chain", " ∘ ".join(r.html(lang) if as_html else r.text(lang) for r in doc.chain))
            )
        if doc.characteristics:
            names = ", ".join(t(f"cli.docs.char.{c}", lang) for c in doc.characteristics)
            out.append(("characteristics", plain(names)))
        return out

    # -- the diagram ------------------------------------------------------------------------

    def dot(self) -> str:
        """The class diagram in Graphviz DOT: every ``pa:`` class; an arrow labelled with each
        object property from its domain to its range (unions expanded), and a hollow dashed
        arrow from each class to its ``pa:`` superclass. Deterministic."""
        classes = self.of_kind("class")
        ours = {d.iri for d in classes}
        edges: set[tuple[str, str, str]] = set()
        for prop in self.of_kind("object"):
            for d in (i for r in prop.domain for i in r.named() if i in ours):
                for r in (i for ref in prop.range for i in ref.named() if i in ours):
                    edges.add((d[len(PA) :], r[len(PA) :], prop.local))
        supers = sorted(
            {
                (d.local, iri[len(PA) :])
                for d in classes
                for ref in [
                    *d.supers,
                    *(m for e in d.equivalent if e.op == "and" for m in e.members),
                ]
                for iri in [ref.iri]
                if iri is not None and iri in ours
            }
        )
        lines = [
            "// Generated from ontology/pipeline-atlas.ttl by `pipeline-atlas docs`; do not edit.",
            "digraph pipeline_atlas {",
            '  graph [rankdir=LR, fontname="Helvetica", nodesep=0.3, ranksep=0.6];',
            '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", color="#4a6fa5",'
            ' fontname="Helvetica", fontsize=11];',
            '  edge [fontname="Helvetica", fontsize=9, color="#555555"];',
        ]
        lines += [f'  "{d.local}" [label="pa:{d.local}"];' for d in classes]
        lines += [f'  "{a}" -> "{b}" [label="{p}"];' for a, b, p in sorted(edges)]
        lines += [
            f'  "{a}" -> "{b}" [arrowhead=empty, style=dashed, color="#999999"];' for a, b in supers
        ]
        lines.append("}")
        return "\n".join(lines) + "\n"

    # -- the HTML page ----------------------------------------------------------------------

    def html(self, lang: str, *, diagram: str = "../../diagram.svg") -> str:
        """The reference page in ``lang``: self-contained HTML (inline CSS, no external link but
        the diagram beside it and the page in the other language)."""
        esc = html.escape
        other = next(x for x in LANGUAGES if x != lang)
        ontology = URIRef(PA)
        title = t("cli.docs.ref.title", lang)
        description = _lang_text(self.graph, ontology, URIRef(PREFIXES["dcterms"] + "description"))
        version = str(self.graph.value(ontology, OWL.versionInfo) or "")
        sections = [(kind, self.of_kind(kind)) for kind in KINDS]
        sections = [(kind, docs) for kind, docs in sections if docs]
        schemes = self._schemes(lang)
        out = [
            "<!DOCTYPE html>",
            f'<html lang="{lang}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{esc(title)}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            "<header>",
            f"<h1>{esc(title)}</h1>",
            f"<p>{esc(description.get(lang, ''))}</p>",
            "<p>" + esc(t("cli.docs.ref.namespace", lang, namespace=PA, version=version)) + "</p>",
            f"<p><em>{esc(t('cli.docs.ref.generated', lang))}</em></p>",
            f'<p><a href="../{other}/index.html" hreflang="{other}">'
            f"{esc(t('cli.docs.ref.other_language', lang))}</a></p>",
            "</header>",
            '<nav id="contents">',
            f"<h2>{esc(t('cli.docs.ref.contents', lang))}</h2>",
            "<ul>",
            f'<li><a href="#diagram">{esc(t("cli.docs.ref.diagram", lang))}</a></li>',
        ]
        for kind, docs in sections:
            name = esc(t(f"cli.docs.section.{kind}", lang))
            out.append(f'<li><a href="#section-{kind}">{name}</a>')
            out.append('<ul class="terms">')
            out += [
                f'<li><a href="#{esc(d.local)}">{esc(d.labels.get(lang, d.local))}</a></li>'
                for d in docs
            ]
            out.append("</ul></li>")
        if schemes:
            name = esc(t("cli.docs.section.schemes", lang))
            out.append(f'<li><a href="#section-schemes">{name}</a>')
            out.append('<ul class="terms">')
            out += [f'<li><a href="#{esc(a)}">{esc(label)}</a></li>' for a, label, _ in schemes]
            out.append("</ul></li>")
        out += [
            "</ul>",
            "</nav>",
            "<main>",
            '<section id="diagram">',
            f"<h2>{esc(t('cli.docs.ref.diagram', lang))}</h2>",
            f"<p>{esc(t('cli.docs.ref.diagram_note', lang))}</p>",
            f'<p><a href="{esc(diagram)}"><img src="{esc(diagram)}" '
            f'alt="{esc(t("cli.docs.ref.diagram", lang))}"></a></p>',
            "</section>",
        ]
        for kind, docs in sections:
            out.append(f'<section id="section-{kind}">')
            out.append(f"<h2>{esc(t(f'cli.docs.section.{kind}', lang))}</h2>")
            for doc in docs:
                out += self._term_html(doc, lang)
            out.append("</section>")
        if schemes:
            out.append('<section id="section-schemes">')
            out.append(f"<h2>{esc(t('cli.docs.section.schemes', lang))}</h2>")
            for _anchor, _label, body in schemes:
                out += body
            out.append("</section>")
        out += ["</main>", "</body>", "</html>"]
        return "\n".join(out) + "\n"

    def _term_html(self, doc: TermDoc, lang: str) -> list[str]:
        esc = html.escape
        kind = t(f"cli.docs.kind.{doc.kind}", lang)
        out = [
            f'<article class="term" id="{esc(doc.local)}">',
            f"<h3>{esc(doc.labels.get(lang, doc.local))} <code>{esc(doc.curie)}</code>"
            f' <span class="kind">{esc(kind)}</span></h3>',
            "<dl>",
            f"<dt>IRI</dt><dd><code>{esc(doc.iri)}</code></dd>",
        ]
        for key, value in self._fields(doc, lang, as_html=True):
            out.append(f"<dt>{esc(t(f'cli.docs.field.{key}', lang))}</dt><dd>{value}</dd>")
        out.append(f"<dt>{esc(t('cli.docs.field.examples', lang))}</dt><dd>")
        examples, note = self.examples_noted(doc, lang)
        if note:
            out.append(f'<p class="note">{esc(note)}</p>')
        if examples:
            out.append('<ul class="examples">')
            for ex in examples:
                item = f"<code>{esc(self._name(ex.subject, lang))}</code>"
                if ex.value is not None:
                    item += (
                        f" <code>{esc(doc.curie)}</code> "
                        f'<span class="value">{esc(self._value(ex, lang))}</span>'
                    )
                out.append(f"<li>{item}</li>")
            out.append("</ul>")
        else:
            out.append(f"<p>{esc(self._no_examples(doc, lang))}</p>")
        out += [
            "</dd>",
            "</dl>",
            f'<p class="top"><a href="#contents">↑ {esc(t("cli.docs.ref.contents", lang))}</a></p>',
            "</article>",
        ]
        return out

    def _schemes(self, lang: str) -> list[tuple[str, str, list[str]]]:
        """The SKOS concept schemes of the data: (anchor, label, HTML), sorted by IRI."""
        esc = html.escape
        scheme_type = _SKOS + "ConceptScheme"
        in_scheme = _SKOS + "inScheme"
        members: dict[str, list[str]] = defaultdict(list)
        for s, o, is_iri, _ in self.data.uses.get(in_scheme, ()):
            if is_iri:
                members[o].append(s)
        notation = {s: o for s, o, _, _ in self.data.uses.get(_SKOS + "notation", ())}
        out: list[tuple[str, str, list[str]]] = []
        for scheme in sorted(self.data.instances.get(scheme_type, ())):
            anchor = "scheme-" + scheme.rstrip("/").rsplit("/", 1)[-1]
            label = self.data.label(scheme, lang) or shorten(scheme)
            definition = self.data.text.get((scheme, _SKOS + "definition"), {}).get(lang, "")
            body = [
                f'<article class="scheme" id="{esc(anchor)}">',
                f"<h3>{esc(label)} <code>{esc(shorten(scheme))}</code></h3>",
            ]
            if definition:
                body.append(f"<p>{esc(definition)}</p>")
            body.append("<dl>")

            def order(iri: str) -> tuple[int, str]:
                value = notation.get(iri, "")
                return (int(value) if value.isdigit() else 10**6, iri)

            for concept in sorted(members.get(scheme, ()), key=order):
                text = self.data.text.get((concept, _SKOS + "definition"), {}).get(lang, "")
                body.append(
                    f"<dt>{esc(self.data.label(concept, lang) or shorten(concept))} "
                    f"<code>{esc(shorten(concept))}</code></dt><dd>{esc(text)}</dd>"
                )
            body += ["</dl>", "</article>"]
            out.append((anchor, label, body))
        return out


_CSS = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;"
    "max-width:60rem;padding:1rem 1.5rem;line-height:1.5;color:#1d1d1f}"
    "h1{margin-bottom:.2rem}h2{border-bottom:2px solid #4a6fa5;padding-bottom:.2rem;"
    "margin-top:2.5rem}h3{margin-bottom:.3rem}code{font-family:ui-monospace,Menlo,Consolas,"
    "monospace;font-size:.9em;background:#f3f5f8;padding:0 .2em;border-radius:3px}"
    "a{color:#2a5599}nav ul.terms{columns:3 12rem;font-size:.9em}"
    ".term,.scheme{border:1px solid #d8dee8;border-radius:6px;padding:.3rem 1rem;margin:1rem 0}"
    ".kind{font-size:.75em;font-weight:normal;color:#555;margin-left:.4rem}"
    "dl{display:grid;grid-template-columns:minmax(8rem,auto) 1fr;gap:.2rem 1rem}"
    "dt{font-weight:600}dd{margin:0}ul.examples{margin:0;padding-left:1.2rem}"
    ".top{font-size:.8em;text-align:right;margin:0}img{max-width:100%;height:auto}"
)


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
