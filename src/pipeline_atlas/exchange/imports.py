"""Safe imports: partner data and correction reports into their own named graph of the embedded
store, and a maintainer's merge of an import into the verified graph.

An import goes into ``pag:import/<name>`` (:func:`import_graph_iri`) of a built store directory
(by default the project's ``build/store``). Every graph that is not an import graph is the
verified graph; an import stays apart from it until :func:`merge_import` turns it into a source
file ``graph_data/partners/<name>.ttl``. :func:`import_file` reads the file and checks it before
anything is written, in this order, and a refusal leaves the store exactly as it was
(:func:`store_digest` is the same before and after):

1. **parse** — Turtle (``.ttl``), N-Triples (``.nt``), N-Quads (``.nq``), TriG (``.trig``; every
   graph of the file goes into the one import graph), JSON-LD (``.jsonld``) or a correction
   report (``.json``, ``pipeline-atlas-correction/1``, read by
   :func:`~pipeline_atlas.explore.correction.read_report`, which refuses personal fields). A
   malformed file raises :class:`~pipeline_atlas.errors.TurtleSyntaxError` with
   ``file:line:column``, a bad report its ``ReportError``. Data about a private person (typed as
   ``foaf:Person``, ``schema:Person``, ``prov:Person``, ``vcard:Individual``…, or with e-mail or
   telephone properties) is refused: imported facts come from organizations, never people.
2. **clash** — the import graph already exists, or the file makes statements about (has as
   subject) an IRI that is a subject in another graph of the store: a partner adds nodes, it
   does not rewrite ours (a correction says what is wrong instead); and a correction
   (``pa:correctionOf``) must be about a node the store has.
3. **SHACL** — ``ontology/shapes.ttl`` over the store and the import together (with
   :func:`pipeline_atlas.build.validate.validate`, focused on the import's subjects), keeping
   the violations of the import's own nodes, reported in plain words in ``lang``.

Who sent the data and when is recorded in the import graph itself: the graph's IRI is a
``prov:Bundle`` with ``prov:wasAttributedTo`` an organization (``prov:Organization`` and
``org:Organization``, IRI ``paid:organization/<slug>``), ``prov:generatedAtTime`` (when it was
received), ``dcterms:source`` (the file's name) and ``pa:reviewStatus "pending"``.

The write is one :meth:`pyoxigraph.Store.extend` call with every quad (data and provenance):
pyoxigraph 0.5 documents it as transactional ("Insertion is done in a transactional manner:
either the full operation succeeds, or nothing is written to the database", the docstring of
``Store.extend``), so an import killed midway leaves nothing behind. A merge is one SPARQL
update (``Store.update``: "Updates are applied in a transactional manner").

>>> import_graph_iri("oakland-policies")
'https://w3id.org/pipeline-atlas/graph/import/oakland-policies'
>>> slug("Oakland Privacy / Policies 2026.ttl")
'oakland-privacy-policies-2026-ttl'
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import AtlasError, StoreError, TurtleSyntaxError, turtle_error_from
from ..i18n import LANGUAGES, t
from ..namespaces import IMPORT_GRAPHS as _IMPORT_GRAPHS
from ..namespaces import PREFIXES, shorten
from ..paths import ProjectPaths, project_paths

__all__ = [
    "CORRECTIONS",
    "IMPORT_GRAPHS",
    "ORGANIZATIONS",
    "ImportRefused",
    "ImportResult",
    "MergeResult",
    "NewNode",
    "import_file",
    "import_graph_iri",
    "merge_import",
    "organization_iri",
    "pending_imports",
    "read_import",
    "slug",
    "store_digest",
]

IMPORT_GRAPHS = _IMPORT_GRAPHS
"""The namespace of the import graphs: ``pag:import/<name>``."""

ORGANIZATIONS = PREFIXES["paid"] + "organization/"
"""Where the IRIs of the organizations that send data are minted."""

CORRECTIONS = PREFIXES["paid"] + "correction/"
"""Where the IRIs of imported correction reports are minted (``paid:correction/<name>``)."""

PARTNERS = "partners"
"""The folder under ``graph_data/`` that merged imports go to."""

_RDF, _RDFS, _XSD = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["xsd"]
_PROV, _DCTERMS, _PA = PREFIXES["prov"], PREFIXES["dcterms"], PREFIXES["pa"]
_TYPE = ox.NamedNode(_RDF + "type")

_FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    ".ttl": (ox.RdfFormat.TURTLE, "Turtle"),
    ".nt": (ox.RdfFormat.N_TRIPLES, "N-Triples"),
    ".nq": (ox.RdfFormat.N_QUADS, "N-Quads"),
    ".trig": (ox.RdfFormat.TRIG, "TriG"),
    ".jsonld": (ox.RdfFormat.JSON_LD, "JSON-LD"),
}
_REPORT_SUFFIX = ".json"

_FOAF = "http://xmlns.com/foaf/0.1/"
_VCARD = "http://www.w3.org/2006/vcard/ns#"
_SCHEMAS = ("http://schema.org/", "https://schema.org/")
PERSON_CLASSES = frozenset(
    {_FOAF + "Person", _PROV + "Person", _VCARD + "Individual"} | {s + "Person" for s in _SCHEMAS}
)
"""Classes of private people: data that types a node with one of them is refused."""

PERSON_PROPERTIES = frozenset(
    {_FOAF + p for p in ("mbox", "mbox_sha1sum", "phone", "birthday", "homepage", "familyName")}
    | {_VCARD + p for p in ("hasEmail", "email", "hasTelephone", "tel", "hasAddress", "bday")}
    | {s + p for s in _SCHEMAS for p in ("email", "telephone", "birthDate", "address")}
)
"""Personal contact properties: data that uses one of them is refused."""

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ImportRefused(AtlasError):
    """An import or a merge was refused before anything was written. ``reason`` says which
    check refused it (``graph``, ``person``, ``clash``, ``shacl``, ``merge``, ``input``);
    ``iris`` names the nodes concerned, ``report`` is the SHACL report of a ``shacl`` refusal."""

    def __init__(
        self,
        message: str,
        *,
        reason: str,
        iris: Sequence[str] = (),
        report: object = None,
    ) -> None:
        self.reason = reason
        self.iris = tuple(iris)
        self.report = report
        super().__init__(message)


@dataclass(frozen=True)
class NewNode:
    """A node the import makes statements about: its IRI, its classes (shortened) and its label
    in the asked-for language (else any), if it has one."""

    iri: str
    classes: tuple[str, ...]
    label: str | None


@dataclass(frozen=True)
class ImportResult:
    """What an import added (``written``) or would add (a dry run): the import graph and its
    name, the file, the organization, when it was received, the data ``triples`` from the file,
    the ``provenance`` triples about the import, and the nodes the data is about."""

    graph: str
    name: str
    file: str
    organization: str
    organization_iri: str
    received: str
    triples: int
    provenance: int
    nodes: tuple[NewNode, ...]
    written: bool

    @property
    def quads(self) -> int:
        """Every quad written (or to write): data and provenance."""
        return self.triples + self.provenance

    def by_class(self) -> dict[str, list[NewNode]]:
        """The nodes grouped by class (a node with several classes is under each; ``""`` for
        none), classes sorted."""
        groups: dict[str, list[NewNode]] = {}
        for node in self.nodes:
            for cls in node.classes or ("",):
                groups.setdefault(cls, []).append(node)
        return dict(sorted(groups.items()))

    def to_text(self, lang: str = "en") -> str:
        """For people: what was (or would be) added, then the new nodes by class with labels."""
        key = "exchange.import.added" if self.written else "exchange.import.would_add"
        lines = [
            t(
                key,
                lang,
                triples=self.triples,
                provenance=self.provenance,
                graph=self.graph,
                organization=self.organization,
            )
        ]
        groups = self.by_class()
        if not groups:
            lines.append(t("exchange.import.no_nodes", lang))
        for cls, nodes in groups.items():
            shown = ", ".join(
                f"{n.label} ({shorten(n.iri)})" if n.label else shorten(n.iri) for n in nodes
            )
            name = cls or t("exchange.import.no_class", lang)
            lines.append(t("exchange.import.class_line", lang, cls=name, n=len(nodes), nodes=shown))
        if not self.written:
            lines.append(t("exchange.import.dry_run_note", lang))
        return "\n".join(lines)


@dataclass(frozen=True)
class MergeResult:
    """A merged import: the import graph it came from, the source file written and its graph,
    and the number of triples in it."""

    import_graph: str
    graph: str
    file: str
    triples: int

    def to_text(self, lang: str = "en") -> str:
        """One line for people."""
        return t(
            "exchange.import.merged",
            lang,
            graph=self.import_graph,
            file=self.file,
            new_graph=self.graph,
            triples=self.triples,
        )


# --- names -----------------------------------------------------------------------------------


def slug(text: str) -> str:
    """Lower-case letters and digits joined by ``-`` (accents dropped).

    >>> slug("Comité de Padres — Santa Ana")
    'comite-de-padres-santa-ana'
    """
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def import_graph_iri(name: str) -> str:
    """The IRI of the import graph called ``name`` (a slug)."""
    return IMPORT_GRAPHS + name


def organization_iri(name: str) -> str:
    """The IRI of the organization called ``name``.

    >>> organization_iri("Oakland Privacy")
    'https://w3id.org/pipeline-atlas/id/organization/oakland-privacy'
    """
    return ORGANIZATIONS + slug(name)


def _graph_name(graph: str | None, file: Path, lang: str) -> str:
    name = slug(file.stem) if graph is None else graph.removeprefix(IMPORT_GRAPHS)
    if not _SLUG.match(name):
        raise ImportRefused(t("exchange.import.bad_graph_name", lang, name=name), reason="input")
    return name


# --- the store -------------------------------------------------------------------------------


def _store_dir(store_dir: Path | str | None, paths: ProjectPaths, lang: str) -> Path:
    target = Path(store_dir) if store_dir is not None else paths.default_store
    if not target.is_dir():
        raise StoreError(t("exchange.import.no_store", lang, store=target))
    return target


def _open(store_dir: Path, *, read_only: bool) -> ox.Store:
    try:
        if read_only:
            return ox.Store.read_only(str(store_dir))
        return ox.Store(str(store_dir))
    except OSError as exc:
        hint = " (is another process using it?)" if "lock" in str(exc).lower() else ""
        raise StoreError(f"cannot open store {store_dir}{hint}: {exc}") from None


def _close(store: ox.Store, *, flush: bool) -> None:
    if flush:
        store.flush()
    del store
    gc.collect()


def store_digest(store_dir: Path | str) -> str:
    """The SHA-256 (hex) of the sorted N-Quads lines of the whole store in ``store_dir``, read
    read-only: equal before and after an operation exactly when the store holds the same quads.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "s"
    >>> ox.Store(str(folder)).flush()
    >>> store_digest(folder) == hashlib.sha256(b"").hexdigest()
    True
    """
    store = _open(Path(store_dir), read_only=True)
    try:
        data = store.dump(format=ox.RdfFormat.N_QUADS) or b""
    finally:
        _close(store, flush=False)
    lines = sorted(line for line in data.split(b"\n") if line)
    return hashlib.sha256(b"\n".join(lines)).hexdigest()


def pending_imports(store_dir: Path | str) -> dict[str, list[ox.Quad]]:
    """Every import graph of the store in ``store_dir`` (IRI → its quads), read read-only; ``{}``
    when there is no store there. :func:`pipeline_atlas.build.build_store` carries them over
    when it replaces a store, so a rebuild does not lose data waiting for review."""
    folder = Path(store_dir)
    if not folder.is_dir() or not any(folder.iterdir()):
        return {}
    try:
        store = _open(folder, read_only=True)
    except StoreError as exc:
        raise StoreError(
            f"cannot read the pending imports of {folder} before replacing it ({exc}); "
            "move it away to rebuild without them"
        ) from None
    try:
        graphs: dict[str, list[ox.Quad]] = {}
        for graph in store.named_graphs():
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(IMPORT_GRAPHS):
                graphs[graph.value] = list(store.quads_for_pattern(None, None, None, graph))
        return graphs
    finally:
        _close(store, flush=False)


# --- reading ---------------------------------------------------------------------------------


def read_import(
    file: Path | str, *, graph: str, name: str | None = None, lang: str = "en"
) -> list[ox.Quad]:
    """The quads of ``file`` put in ``graph`` (by its suffix: ``.ttl``, ``.nt``, ``.nq``,
    ``.trig``, ``.jsonld``, or ``.json`` for a correction report, whose node is
    ``paid:correction/<name>``). Duplicates are dropped. Raises
    :class:`~pipeline_atlas.errors.TurtleSyntaxError` (file:line:column), the report's
    ``ReportError``, or :class:`ImportRefused` for an unknown kind of file."""
    path = Path(file)
    suffix = path.suffix.lower()
    target = ox.NamedNode(graph)
    if suffix == _REPORT_SUFFIX:
        from ..explore.correction import read_report

        report = read_report(path)
        return correction_quads(report, graph=graph, node=CORRECTIONS + (name or slug(path.stem)))
    if suffix not in _FORMATS:
        known = ", ".join([*_FORMATS, _REPORT_SUFFIX])
        raise ImportRefused(
            t("exchange.import.unknown_format", lang, file=path.name, known=known),
            reason="input",
        )
    rdf_format, syntax = _FORMATS[suffix]
    try:
        parsed = ox.parse(path=str(path), format=rdf_format)
        quads = [ox.Quad(q.subject, q.predicate, q.object, target) for q in parsed]
    except SyntaxError as exc:
        raise turtle_error_from(exc, file=str(path), syntax=syntax) from None
    except FileNotFoundError:
        raise StoreError(f"{path}: no such file") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:  # e.g. a JSON-LD document pyoxigraph cannot use
        raise TurtleSyntaxError(str(path), None, None, str(exc), syntax=syntax) from None
    return list(dict.fromkeys(quads))


def correction_quads(report: object, *, graph: str, node: str) -> list[ox.Quad]:
    """A correction report (:class:`~pipeline_atlas.explore.correction.CorrectionReport`) as a
    ``pa:CorrectionReport`` node: ``pa:correctionOf`` the node, ``rdfs:comment`` what is wrong,
    ``pa:proposedText`` what it should say, ``dcterms:source`` the source (an IRI when it is a
    URL), ``dcterms:created`` the day it was prepared and ``dcterms:language``. The reader's
    texts keep no language tag (they are in ``dcterms:language``); labels are in en and es.

    >>> from pipeline_atlas.explore.correction import CorrectionReport
    >>> report = CorrectionReport("https://w3id.org/pipeline-atlas/id/body/ice", "ICE",
    ...     "Old name.", "New name.", "https://example.org/ice", "2026-12-01")
    >>> quads = correction_quads(report, graph="https://e.org/g", node="https://e.org/c")
    >>> sorted(shorten(q.predicate.value) for q in quads)[:4]
    ['dcterms:created', 'dcterms:language', 'dcterms:source', 'pa:correctionOf']
    """
    from ..explore.correction import CorrectionReport

    assert isinstance(report, CorrectionReport)
    subject, name = ox.NamedNode(node), ox.NamedNode(graph)
    source = report.source.strip()
    source_term: ox.NamedNode | ox.Literal = (
        ox.NamedNode(source)
        if re.match(r"^https?://[^\s<>\"{}|\\^`]+$", source)
        else ox.Literal(source)
    )
    triples: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (_RDF + "type", ox.NamedNode(_PA + "CorrectionReport")),
        (_PA + "correctionOf", ox.NamedNode(report.node)),
        (_RDFS + "comment", ox.Literal(report.what_is_wrong)),
        (_DCTERMS + "source", source_term),
        (_DCTERMS + "created", ox.Literal(report.prepared, datatype=ox.NamedNode(_XSD + "date"))),
        (_DCTERMS + "language", ox.Literal(report.language)),
    ]
    if report.what_it_should_say.strip():
        triples.append((_PA + "proposedText", ox.Literal(report.what_it_should_say)))
    for lang in LANGUAGES:
        label = t("exchange.import.correction_label", lang, label=report.node_label or report.node)
        triples.append((_RDFS + "label", ox.Literal(label, language=lang)))
    return [ox.Quad(subject, ox.NamedNode(p), o, name) for p, o in triples]


# --- checks ----------------------------------------------------------------------------------


def _shown(iris: Iterable[str], limit: int = 5) -> str:
    found = sorted(set(iris))
    text = ", ".join(f"<{i}>" for i in found[:limit])
    return text + (f", … (+{len(found) - limit})" if len(found) > limit else "")


def _check_people(quads: Sequence[ox.Quad], lang: str) -> None:
    typed = sorted(
        {
            q.subject.value if isinstance(q.subject, ox.NamedNode) else str(q.subject)
            for q in quads
            if q.predicate == _TYPE
            and isinstance(q.object, ox.NamedNode)
            and q.object.value in PERSON_CLASSES
        }
    )
    used = sorted({q.predicate.value for q in quads if q.predicate.value in PERSON_PROPERTIES})
    if typed or used:
        raise ImportRefused(
            t(
                "exchange.import.person",
                lang,
                what=_shown(typed) if typed else _shown(used),
                n=len(typed) + len(used),
            ),
            reason="person",
            iris=typed + used,
        )


def _subjects(quads: Iterable[ox.Quad]) -> set[str]:
    return {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}


def _check_clash(store: ox.Store, graph: str, data: Sequence[ox.Quad], lang: str) -> None:
    if store.contains_named_graph(ox.NamedNode(graph)):
        raise ImportRefused(
            t("exchange.import.graph_exists", lang, graph=graph), reason="clash", iris=[graph]
        )
    clashing = [
        iri
        for iri in sorted(_subjects(data))
        if next(iter(store.quads_for_pattern(ox.NamedNode(iri), None, None, None)), None)
        is not None
    ]
    if clashing:
        raise ImportRefused(
            t("exchange.import.clash", lang, n=len(clashing), iris=_shown(clashing)),
            reason="clash",
            iris=clashing,
        )
    correction_of = ox.NamedNode(_PA + "correctionOf")
    unknown = sorted(
        {
            q.object.value
            for q in data
            if q.predicate == correction_of
            and isinstance(q.object, ox.NamedNode)
            and next(iter(store.quads_for_pattern(q.object, None, None, None)), None) is None
        }
    )
    if unknown:
        raise ImportRefused(
            t("exchange.import.unknown_node", lang, n=len(unknown), iris=_shown(unknown)),
            reason="clash",
            iris=unknown,
        )


def _check_shacl(store: ox.Store, quads: Sequence[ox.Quad], paths: ProjectPaths, lang: str) -> None:
    from ..build.validate import validate

    focus = _subjects(quads)
    if not focus:
        return
    everything = ox.Store()
    everything.extend(store.quads_for_pattern(None, None, None, None))
    everything.extend(quads)
    report = validate(everything, checks=["shacl"], focus=sorted(focus), paths=paths, lang=lang)
    found = [f for f in report.violations if f.focus in focus]
    if found:
        said = dict.fromkeys((shorten(f.focus or ""), f.message) for f in found)
        lines = "; ".join(
            t("exchange.import.shacl_finding", lang, node=node, message=message.rstrip("."))
            for node, message in said
        )
        raise ImportRefused(
            t("exchange.import.shacl", lang, n=len(said), findings=lines),
            reason="shacl",
            iris=sorted({f.focus for f in found if f.focus}),
            report=report,
        )


# --- provenance ------------------------------------------------------------------------------


def provenance_quads(
    graph: str, *, organization: str, file_name: str, received: dt.datetime, status: str
) -> list[ox.Quad]:
    """The import graph described in itself: a ``prov:Bundle`` sent by the organization (a
    ``prov:Organization`` and ``org:Organization`` with its name as ``rdfs:label``), received at
    ``received`` (``prov:generatedAtTime``), from the file ``file_name`` (``dcterms:source``),
    with ``pa:reviewStatus`` ``status`` and a label in en and es."""
    name, bundle = ox.NamedNode(graph), ox.NamedNode(graph)
    org = ox.NamedNode(organization_iri(organization))
    when = ox.Literal(received.isoformat(), datatype=ox.NamedNode(_XSD + "dateTime"))
    rows: list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]] = [
        (bundle, _RDF + "type", ox.NamedNode(_PROV + "Bundle")),
        (bundle, _PROV + "wasAttributedTo", org),
        (bundle, _PROV + "generatedAtTime", when),
        (bundle, _DCTERMS + "source", ox.Literal(file_name)),
        (bundle, _PA + "reviewStatus", ox.Literal(status)),
        (org, _RDF + "type", ox.NamedNode(_PROV + "Organization")),
        (org, _RDF + "type", ox.NamedNode(PREFIXES["org"] + "Organization")),
        (org, _RDFS + "label", ox.Literal(organization)),
    ]
    for lang in LANGUAGES:
        label = t("exchange.import.bundle_label", lang, organization=organization, file=file_name)
        rows.append((bundle, _RDFS + "label", ox.Literal(label, language=lang)))
    return [ox.Quad(s, ox.NamedNode(p), o, name) for s, p, o in rows]


def _new_nodes(quads: Sequence[ox.Quad], lang: str) -> tuple[NewNode, ...]:
    classes: dict[str, set[str]] = {}
    labels: dict[str, dict[str | None, str]] = {}
    for q in quads:
        if not isinstance(q.subject, ox.NamedNode):
            continue
        iri = q.subject.value
        classes.setdefault(iri, set())
        if q.predicate == _TYPE and isinstance(q.object, ox.NamedNode):
            classes[iri].add(shorten(q.object.value))
        elif q.predicate.value in (_RDFS + "label", PREFIXES["skos"] + "prefLabel") and isinstance(
            q.object, ox.Literal
        ):
            labels.setdefault(iri, {}).setdefault(q.object.language, q.object.value)
    nodes = []
    for iri in sorted(classes):
        found = labels.get(iri, {})
        label = found.get(lang) or found.get("en") or found.get(None)
        if label is None and found:
            label = found[sorted(found, key=str)[0]]
        nodes.append(NewNode(iri, tuple(sorted(classes[iri])), label))
    return tuple(nodes)


# --- import ----------------------------------------------------------------------------------


def import_file(
    file: Path | str,
    *,
    organization: str,
    graph: str | None = None,
    store_dir: Path | str | None = None,
    dry_run: bool = False,
    paths: ProjectPaths | None = None,
    lang: str = "en",
    received: dt.datetime | None = None,
    on_write: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import ``file`` sent by ``organization`` into the import graph ``graph`` (a slug; by
    default the file's name) of the store in ``store_dir`` (default: the project's store).

    Checks (parse, clash, SHACL; see the module) run before anything is written; a refusal
    raises (:class:`ImportRefused`, :class:`~pipeline_atlas.errors.TurtleSyntaxError`,
    ``ReportError``) and leaves the store as it was. ``dry_run`` does everything but the write.
    ``on_write(n)`` is called just before the ``n`` quads are written (the CLI says so).
    ``received`` (default: now, UTC) is when the data was received.
    """
    if lang not in LANGUAGES:
        raise AtlasError(f"unknown language {lang!r}; use {', '.join(LANGUAGES)}")
    paths = paths if paths is not None else project_paths()
    path = Path(file)
    organization = " ".join(organization.split())
    if not slug(organization):
        raise ImportRefused(t("exchange.import.no_organization", lang), reason="input")
    name = _graph_name(graph, path, lang)
    iri = import_graph_iri(name)
    target = _store_dir(store_dir, paths, lang)
    if not path.is_file():
        raise StoreError(f"{path}: no such file")

    data = read_import(path, graph=iri, name=name, lang=lang)  # 1. parse
    _check_people(data, lang)
    when = (received or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    provenance = provenance_quads(
        iri, organization=organization, file_name=path.name, received=when, status="pending"
    )
    known = set(data)
    quads = data + [q for q in provenance if q not in known]
    store = _open(target, read_only=True)
    try:
        _check_clash(store, iri, data, lang)  # 2. clash
        _check_shacl(store, quads, paths, lang)  # 3. SHACL
    finally:
        _close(store, flush=False)
    result = ImportResult(
        graph=iri,
        name=name,
        file=path.name,
        organization=organization,
        organization_iri=organization_iri(organization),
        received=when.isoformat(),
        triples=len(data),
        provenance=len(quads) - len(data),
        nodes=_new_nodes(data, lang),
        written=False,
    )
    if dry_run:
        return result
    store = _open(target, read_only=False)
    try:
        if store.contains_named_graph(ox.NamedNode(iri)):  # written meanwhile by someone else
            raise ImportRefused(
                t("exchange.import.graph_exists", lang, graph=iri), reason="clash", iris=[iri]
            )
        if on_write is not None:
            on_write(len(quads))
        try:
            store.extend(quads)  # one transaction: all the quads or none
        except OSError as exc:
            raise StoreError(f"cannot write to store {target}: {exc}") from None
    finally:
        _close(store, flush=True)
    return ImportResult(**{**result.__dict__, "written": True})


# --- merge -----------------------------------------------------------------------------------


def _longturtle(triples: Sequence[ox.Triple]) -> str:
    from rdflib import Graph

    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    if triples:
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        graph.parse(data=data.decode("utf-8"), format="nt")
    text = graph.serialize(format="longturtle")
    return text if text.endswith("\n") else text + "\n"


def merge_import(
    graph: str,
    *,
    store_dir: Path | str | None = None,
    paths: ProjectPaths | None = None,
    lang: str = "en",
    merged: dt.datetime | None = None,
) -> MergeResult:
    """Merge the import graph ``graph`` (its name or IRI) into the verified graph: its triples
    go to a new source file ``graph_data/partners/<name>.ttl`` (rdflib's ``longturtle``, the
    same text for the same triples) and, in the store, to that file's graph; the import graph is
    removed. Who sent the data stays traceable: the bundle's description (organization, time
    received, file) is kept, about the new graph, with ``pa:reviewStatus "merged"`` and
    ``dcterms:dateAccepted``. Refuses a graph that is not an import graph, or a file or graph
    that already exists.
    """
    from ..build.load import graph_iri
    from .files import atomic_file

    paths = paths if paths is not None else project_paths()
    target = _store_dir(store_dir, paths, lang)
    iri = graph if graph.startswith(("http://", "https://")) else import_graph_iri(graph)
    if not iri.startswith(IMPORT_GRAPHS) or not _SLUG.match(iri.removeprefix(IMPORT_GRAPHS)):
        raise ImportRefused(t("exchange.import.not_import", lang, graph=graph), reason="merge")
    name = iri.removeprefix(IMPORT_GRAPHS)
    file = paths.graph_data / PARTNERS / f"{name}.ttl"
    new_graph = graph_iri(file, root=paths.root)
    store = _open(target, read_only=True)
    try:
        if not store.contains_named_graph(ox.NamedNode(iri)):
            raise ImportRefused(t("exchange.import.no_import", lang, graph=iri), reason="merge")
        if store.contains_named_graph(ox.NamedNode(new_graph)) or file.exists():
            raise ImportRefused(
                t("exchange.import.merge_exists", lang, file=paths.relative(file), graph=new_graph),
                reason="merge",
            )
        quads = list(store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
    finally:
        _close(store, flush=False)
    triples = _merged_triples(quads, iri, new_graph, merged or dt.datetime.now(dt.UTC))
    with atomic_file(file) as tmp:
        tmp.write_text(_longturtle(triples), encoding="utf-8")
    body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
    update = f"DROP GRAPH <{iri}> ;\nINSERT DATA {{ GRAPH <{new_graph}> {{\n{body}\n}} }}"
    try:
        store = _open(target, read_only=False)
        try:
            store.update(update)  # one transaction: the import graph moves or nothing changes
        finally:
            _close(store, flush=True)
    except (OSError, SyntaxError, StoreError) as exc:
        file.unlink(missing_ok=True)
        raise StoreError(f"cannot merge into store {target}: {exc}") from None
    return MergeResult(
        import_graph=iri, graph=new_graph, file=paths.relative(file), triples=len(triples)
    )


def _merged_triples(
    quads: Sequence[ox.Quad], old: str, new: str, merged: dt.datetime
) -> list[ox.Triple]:
    bundle, renamed = ox.NamedNode(old), ox.NamedNode(new)
    status = ox.NamedNode(_PA + "reviewStatus")
    triples = []
    for q in quads:
        subject = renamed if q.subject == bundle else q.subject
        obj = renamed if q.object == bundle else q.object
        if subject == renamed and q.predicate == status:
            obj = ox.Literal("merged")
        triples.append(ox.Triple(subject, q.predicate, obj))
    when = merged.replace(microsecond=0).isoformat()
    triples.append(
        ox.Triple(
            renamed,
            ox.NamedNode(_DCTERMS + "dateAccepted"),
            ox.Literal(when, datatype=ox.NamedNode(_XSD + "dateTime")),
        )
    )
    return list(dict.fromkeys(triples))
