"""Validation: SHACL shapes, quality-check queries and the reasoner's consistency check, in one
typed report.

:func:`validate` runs three checks over the graph (ontology + graph data):

* ``shacl`` — pySHACL with ``ontology/shapes.ttl`` as the shapes graph, the graph data as the data
  graph and the ontology as ``ont_graph``, with no inference (``inference="none"``). pySHACL mixes
  the ontology into the data graph, so ``sh:targetClass``/``sh:class`` follow ``rdfs:subClassOf``,
  but nothing is derived from ``rdfs:domain``/``rdfs:range``: a node must state what the shapes ask.
* ``qc`` — every ``queries/qc/*.rq``; each row (``?node``, ``?message``) is a finding, a
  violation or, for a query whose header says ``#+ severity: warning``, a warning.
* ``reasoner`` — HermiT's consistency check (:mod:`pipeline_atlas.reason`, cached in the build dir).

The reasoner's own graph (``pag:inferred``) and the shapes graph are never validated as data.
Warnings are reported but do not fail: the graph conforms when no finding is a violation.

>>> report = ValidationReport([Finding("qc", "term-label-violation", PREFIXES["pa"] + "Foo",
...                                    "The term has no rdfs:label in English (@en).")])
>>> report.conforms
False
>>> print(report)
qc  term-label-violation  pa:Foo  The term has no rdfs:label in English (@en).
1 finding (qc: 1)
>>> print(ValidationReport([], checks=("shacl", "qc")))
conforms: no findings (shacl, qc)
>>> stale = Finding("qc", "stale-fact-warning", None, "Not checked since 2024.", severity="warning")
>>> warned = ValidationReport([stale])
>>> warned.conforms
True
>>> print(warned)
qc  stale-fact-warning  -  warning: Not checked since 2024.
conforms: 1 warning (qc: 1)
>>> print(ValidationReport([stale], lang="es"))
qc  stale-fact-warning  -  advertencia: Not checked since 2024.
conforme: 1 advertencia (qc: 1)
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, TypeAlias, cast, get_args, runtime_checkable

import pyoxigraph as ox

from ..catalogue import CatalogueQuery, Severity, load_catalogue
from ..errors import AtlasError, StoreError, ValidationError
from ..i18n import LANGUAGES, t
from ..namespaces import INFERRED_GRAPH, PREFIXES, shorten
from ..paths import ProjectPaths, project_paths
from ..store.base import QueryStore
from ..store.embedded import EmbeddedStore
from .load import graphs_of, group_quads, parse_files, source_files

__all__ = [
    "CHECKS",
    "Check",
    "Finding",
    "Severity",
    "ValidationReport",
    "validate",
]

Check: TypeAlias = Literal["shacl", "qc", "reasoner"]
CHECKS: tuple[Check, ...] = get_args(Check)
"""The checks :func:`validate` can run, in the order it runs them."""

SHAPES_FILE = "shapes.ttl"
"""The shapes graph's file name under ``ontology/``."""

_ONTOLOGY_GRAPHS = PREFIXES["pag"] + "ontology/"
_SHAPES_GRAPH = _ONTOLOGY_GRAPHS + "shapes"
_SKIPPED_GRAPHS = frozenset({INFERRED_GRAPH, _SHAPES_GRAPH})


@dataclass(frozen=True)
class Finding:
    """One problem: which ``source`` found it (``shacl``, ``qc`` or ``reasoner``), the ``rule``
    (a shape such as ``pash:ActionShape-atStage``, a quality-check query id, or ``consistency``),
    the ``focus`` node's IRI (``None`` when the finding is about the graph as a whole) and a
    ``message`` a person can act on. SHACL findings also carry the ``path`` and ``value``.
    ``severity`` is ``"violation"`` (the default: the graph does not conform) or ``"warning"``
    (reported only; from a quality check whose header says ``#+ severity: warning``).
    """

    source: Check
    rule: str
    focus: str | None
    message: str
    path: str | None = None
    value: str | None = None
    severity: Severity = "violation"

    def to_text(self, prefixes: Mapping[str, str] = PREFIXES, lang: str = "en") -> str:
        """One line: source, rule, focus node (shortened), message (marked if a warning).

        >>> Finding("reasoner", "consistency", None, "inconsistent").to_text()
        'reasoner  consistency  -  inconsistent'
        >>> Finding("qc", "x-warning", None, "old", severity="warning").to_text()
        'qc        x-warning  -  warning: old'
        """
        focus = shorten(self.focus, prefixes) if self.focus else "-"
        return f"{self.source:<8}  {self.rule}  {focus}  {self.marked(lang)}"

    def marked(self, lang: str = "en") -> str:
        """The message, after "warning: " (in ``lang``) when the finding is a warning."""
        if self.severity == "warning":
            return t("cli.validate.warning_mark", lang, message=self.message)
        return self.message

    def __str__(self) -> str:
        return self.to_text()


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`: ``conforms`` is true when no finding is a violation
    (warnings do not fail).

    ``checks`` names the checks that ran. ``str(report)`` (or :meth:`to_text`) is one line per
    finding and a closing count (violations and warnings counted apart), for the CLI, in
    ``lang`` (``"en"`` or ``"es"``).
    """

    findings: list[Finding] = field(default_factory=list)
    checks: tuple[str, ...] = ()
    lang: str = "en"
    conforms: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "conforms", not self.violations)

    @property
    def violations(self) -> list[Finding]:
        """The findings that make the graph not conform."""
        return [f for f in self.findings if f.severity == "violation"]

    @property
    def warnings(self) -> list[Finding]:
        """The findings that are reported only."""
        return [f for f in self.findings if f.severity == "warning"]

    def by_source(self, source: Check) -> list[Finding]:
        """The findings of one check."""
        return [f for f in self.findings if f.source == source]

    def rules(self, source: Check | None = None) -> set[str]:
        """The rules (shapes, query ids) that produced findings, optionally of one check only.

        >>> ValidationReport([Finding("shacl", "pash:StageShape-label", None, "x")]).rules()
        {'pash:StageShape-label'}
        """
        return {f.rule for f in self.findings if source is None or f.source == source}

    def to_text(self, prefixes: Mapping[str, str] = PREFIXES, lang: str | None = None) -> str:
        """The report for people: one line per finding (warnings marked), then a count by check
        of the violations and one of the warnings. ``lang`` defaults to the report's."""
        lang = lang or self.lang
        ran = f" ({', '.join(self.checks)})" if self.checks else ""
        if not self.findings:
            return t("cli.validate.conforms", lang, checks=ran)
        rows = [
            (f.source, f.rule, shorten(f.focus, prefixes) if f.focus else "-", f.marked(lang))
            for f in self.findings
        ]
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        lines = [
            f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}" for r in rows
        ]
        counts = []
        for (one, many), found in (
            (("cli.validate.finding_one", "cli.validate.finding_many"), self.violations),
            (("cli.validate.warning_one", "cli.validate.warning_many"), self.warnings),
        ):
            if found:
                by_source: dict[str, int] = {}
                for f in found:
                    by_source[f.source] = by_source.get(f.source, 0) + 1
                detail = ", ".join(f"{k}: {v}" for k, v in by_source.items())
                key = one if len(found) == 1 else many
                counts.append(t(key, lang, n=len(found), detail=detail))
        summary = ", ".join(counts)
        lines.append(
            t("cli.validate.conforms_with", lang, counts=summary) if self.conforms else summary
        )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def raise_if_not_conforming(self) -> None:
        """Raise :class:`~pipeline_atlas.errors.ValidationError` (with this report) if there
        are violations (warnings do not count)."""
        if not self.conforms:
            first = self.violations[0]
            raise ValidationError(
                f"the graph does not conform: {len(self.violations)} finding(s), first: "
                f"{first.to_text()}",
                report=self,
            )


@runtime_checkable
class _AtlasLike(Protocol):
    """What :func:`validate` needs from an :class:`~pipeline_atlas.atlas.Atlas`."""

    store: QueryStore
    paths: ProjectPaths


Graphs = dict[str, list[ox.Quad]]
Source: TypeAlias = _AtlasLike | QueryStore | ox.Store | ProjectPaths | Path | str | None


def validate(
    source: Source | Iterable[Path | str] = None,
    *,
    extra_files: Sequence[Path | str] = (),
    checks: Iterable[Check] = CHECKS,
    shapes: Path | None = None,
    qc_dir: Path | None = None,
    paths: ProjectPaths | None = None,
    build_dir: Path | None = None,
    focus: Iterable[str] | None = None,
    lang: str = "en",
) -> ValidationReport:
    """Validate the graph and return a :class:`ValidationReport` (it never raises for findings;
    call :meth:`ValidationReport.raise_if_not_conforming` for that).

    ``source`` is what to validate:

    * ``None`` — the project's ``ontology/`` and ``graph_data/`` files;
    * an :class:`~pipeline_atlas.atlas.Atlas`, a :class:`~pipeline_atlas.store.base.QueryStore` or a
      :class:`pyoxigraph.Store` — its contents (one named graph per source file);
    * a :class:`~pipeline_atlas.paths.ProjectPaths` or a project directory — that project's files;
    * an RDF file or a list of files.

    ``extra_files`` are added as more data (a counter-example, say). ``checks`` picks among
    ``"shacl"``, ``"qc"`` and ``"reasoner"``. ``shapes`` (default ``ontology/shapes.ttl``),
    ``qc_dir`` (default ``queries/qc``), ``paths`` (default: the Atlas's, or the project's) and
    ``build_dir`` (the reasoner's cache) override where things are. ``focus`` limits SHACL to
    those nodes (IRIs), with the whole graph still there for their neighbours: checking a
    counter-example's own nodes is then quick however large the data is. ``lang`` (``"en"`` or
    ``"es"``) picks the language of the SHACL messages (the shapes' ``sh:message`` in that
    language, else English) and of the report's text.

    Raises :class:`~pipeline_atlas.errors.TurtleSyntaxError` for a file that does not parse and
    :class:`~pipeline_atlas.errors.ReasonerError` when the reasoner cannot run (no Java).

    >>> report = validate(checks=["qc"])
    >>> report.conforms, report.checks
    (True, ('qc',))
    """
    if lang not in LANGUAGES:
        raise AtlasError(f"unknown language {lang!r}; use {', '.join(LANGUAGES)}")
    wanted = tuple(dict.fromkeys(checks))
    unknown = [c for c in wanted if c not in CHECKS]
    if unknown:
        raise AtlasError(
            f"unknown check(s) {', '.join(map(str, unknown))}; use {', '.join(CHECKS)}"
        )
    if paths is None:
        paths = source.paths if isinstance(source, _AtlasLike) else None
    if paths is None and isinstance(source, ProjectPaths):
        paths = source
    if paths is None and isinstance(source, Path | str) and Path(source).is_dir():
        paths = project_paths(Path(source))
    paths = paths if paths is not None else project_paths()
    graphs = _graphs(source, paths)
    if extra_files:
        graphs.update(_parse(extra_files, paths))
    graphs = {g: qs for g, qs in graphs.items() if g not in _SKIPPED_GRAPHS}

    findings: list[Finding] = []
    if "shacl" in wanted:
        findings += _shacl(
            graphs,
            shapes if shapes is not None else _shapes_file(paths),
            focus=list(focus) if focus is not None else None,
            lang=lang,
        )
    if "qc" in wanted:
        findings += _qc(graphs, qc_dir if qc_dir is not None else paths.queries / "qc", paths)
    if "reasoner" in wanted:
        findings += _reasoner(graphs, build_dir if build_dir is not None else paths.build)
    return ValidationReport(findings, checks=wanted, lang=lang)


def _shapes_file(paths: ProjectPaths) -> Path:
    return paths.ontology / SHAPES_FILE


def _parse(files: Iterable[Path | str], paths: ProjectPaths) -> Graphs:
    graphs: Graphs = {}
    for name in files:
        file = Path(name).resolve()
        root = paths.root.resolve()
        if not file.is_relative_to(root):
            root = file.parent
        graphs.update(parse_files([file], root=root))
    return graphs


def _graphs(source: Source | Iterable[Path | str], paths: ProjectPaths) -> Graphs:
    """The quads to validate, grouped by named graph ("" for the default graph)."""
    if source is None or isinstance(source, ProjectPaths):
        return parse_files(source_files(paths), root=paths.root)
    if isinstance(source, Path | str):
        if Path(source).is_dir():
            return parse_files(source_files(paths), root=paths.root)
        return _parse([source], paths)
    if isinstance(source, _AtlasLike):
        return graphs_of(source.store)
    if isinstance(source, ox.Store):
        return group_quads(source.quads_for_pattern(None, None, None, None))
    if isinstance(source, QueryStore):
        return graphs_of(source)
    return _parse(cast(Iterable[Path | str], source), paths)


# --- SHACL -----------------------------------------------------------------------------------


def _rdflib_graph(quads: Iterable[ox.Quad]) -> Any:
    from rdflib import Graph

    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    graph = Graph()
    if triples:
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        graph.parse(data=data.decode("utf-8") if data else "", format="nt")
    return graph


@contextlib.contextmanager
def _prepared_sparql() -> Iterator[None]:
    """Parse each SPARQL text once while pySHACL runs.

    pySHACL evaluates a SPARQL-based constraint once per focus node with the same text and
    ``$this`` in ``initBindings``; rdflib parses the text every time, which is most of the cost.
    For the duration of the block, rdflib's SPARQL processor keeps each text's translated query
    (what :func:`rdflib.plugins.sparql.prepareQuery` makes) and reuses it with the new bindings.
    """
    from rdflib.plugins.sparql import processor
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    original = processor.SPARQLProcessor.query
    prepared: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], Any] = {}

    def query(  # the parameter names are rdflib's
        self: Any,
        strOrQuery: Any,
        initBindings: Any = None,
        initNs: Any = None,
        base: str | None = None,
        DEBUG: bool = False,
    ) -> Any:
        if isinstance(strOrQuery, str):
            namespaces = tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items()))
            key = (strOrQuery, base, namespaces)
            if key not in prepared:
                prepared[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = prepared[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original  # type: ignore[method-assign]


def _shacl(
    graphs: Graphs, shapes_file: Path, *, focus: list[str] | None = None, lang: str = "en"
) -> list[Finding]:
    import pyshacl
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, SH

    if not shapes_file.is_file():
        raise AtlasError(f"no SHACL shapes at {shapes_file}")
    ontology = [q for g, qs in graphs.items() if g.startswith(_ONTOLOGY_GRAPHS) for q in qs]
    data = [q for g, qs in graphs.items() if not g.startswith(_ONTOLOGY_GRAPHS) for q in qs]
    shapes = Graph()
    try:
        shapes.parse(shapes_file, format="turtle")
    except Exception as exc:  # rdflib raises several kinds; any means the file is unusable
        raise AtlasError(f"{shapes_file}: cannot read the SHACL shapes: {exc}") from None
    with _prepared_sparql():
        _conforms, results, _text = pyshacl.validate(
            _rdflib_graph(data),
            shacl_graph=shapes,
            ont_graph=_rdflib_graph(ontology),
            inference="none",
            abort_on_first=False,
            allow_infos=True,
            allow_warnings=False,
            focus_nodes=[URIRef(f) for f in focus] if focus is not None else None,
        )
    findings: list[Finding] = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        shape = results.value(result, SH.sourceShape)
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        messages = list(results.objects(result, SH.resultMessage))
        constraint = results.value(result, SH.sourceConstraint)
        message = str(_message(messages, [constraint, shape], shapes, lang) or "")
        if not message:
            component = results.value(result, SH.sourceConstraintComponent)
            message = f"breaks {shorten(str(component))}" if component else "does not conform"
        findings.append(
            Finding(
                source="shacl",
                rule=shorten(str(shape)) if isinstance(shape, URIRef) else "(anonymous shape)",
                focus=str(focus) if isinstance(focus, URIRef) else None,
                message=" ".join(message.split()),
                path=shorten(str(path)) if isinstance(path, URIRef) else None,
                value=str(value) if value is not None else None,
            )
        )
    return sorted(findings, key=lambda f: (f.rule, f.focus or "", f.message, f.value or ""))


def _message(messages: Sequence[Any], sources: Sequence[Any], shapes: Any, lang: str) -> Any:
    """The result message to show, in ``lang`` if the shapes have it.

    pySHACL copies every ``sh:message`` (one per language) into ``sh:resultMessage``, with its
    language tag, except for a SPARQL-based constraint: there it fills in the ``{?var}``
    placeholders and drops the tag. An untagged message then gets the language of the
    ``sh:message`` template it was made from (of the constraint first, then of the shape).
    """
    from rdflib import Literal
    from rdflib.namespace import SH

    if any(isinstance(m, Literal) and m.language for m in messages):
        return _in_language(messages, lang)
    templates = [
        (_template_pattern(str(template)), template.language, rank)
        for rank, source in enumerate(sources)
        if source is not None
        for template in shapes.objects(source, SH.message)
        if isinstance(template, Literal)
    ]
    ranked = []
    for message in messages:
        for pattern, language, rank in templates:
            if pattern.fullmatch(str(message)):
                order = 0 if language == lang else 1 if language in ("en", None) else 2
                ranked.append(((order, rank, str(message)), message))
                break
    if ranked:
        return min(ranked, key=lambda pair: pair[0])[1]
    return _in_language(messages, lang)


def _template_pattern(template: str) -> re.Pattern[str]:
    r"""A pattern for the texts that ``template`` gives once its ``{?var}``/``{$var}`` are
    filled in.

    >>> bool(_template_pattern("Order {?value} is {$this}'s.").fullmatch("Order 1 is a's."))
    True
    """
    return re.compile(re.sub(r"\\\{\\[?$]\w+\\\}", ".*", re.escape(template)), re.DOTALL)


def _in_language(messages: Sequence[Any], lang: str) -> Any:
    """The message in ``lang``, else in English (or untagged), else any, else ``None``.

    pySHACL copies every ``sh:message`` of a shape, one per language, into the result.

    >>> from rdflib import Literal
    >>> found = [Literal("Una etapa...", lang="es"), Literal("A stage...", lang="en")]
    >>> str(_in_language(found, "es")), str(_in_language(found, "en"))
    ('Una etapa...', 'A stage...')
    >>> str(_in_language([Literal("A stage...", lang="en")], "es"))
    'A stage...'
    """
    from rdflib import Literal

    literals = [m for m in messages if isinstance(m, Literal)]
    for wanted in (lang, "en", None):
        for message in literals:
            if message.language == wanted:
                return message
    if literals:
        return literals[0]
    return messages[0] if messages else None


# --- quality-check queries -------------------------------------------------------------------


def _qc(graphs: Graphs, qc_dir: Path, paths: ProjectPaths) -> list[Finding]:
    queries = load_catalogue(qc_dir, root=paths.root)
    store = EmbeddedStore()
    store.replace_graphs(
        {name or PREFIXES["pag"] + "default": quads for name, quads in graphs.items()}
    )
    findings: list[Finding] = []
    for query in queries:
        findings += _run_qc(store, query)
    return findings


def _run_qc(store: EmbeddedStore, query: CatalogueQuery) -> list[Finding]:
    if query.kind != "select":
        raise StoreError(f"{query.source}: a quality check must be a SELECT query")
    result = store.query(query.sparql, source=query.source, max_rows=None)
    findings: list[Finding] = []
    for row in result.terms:
        node = row.get("node")
        message = row.get("message")
        text = message.value if isinstance(message, ox.Literal) else query.summary
        findings.append(
            Finding(
                source="qc",
                rule=query.id,
                focus=node.value if isinstance(node, ox.NamedNode) else None,
                message=" ".join(text.split()),
                severity=query.severity,
            )
        )
    return findings


# --- reasoner --------------------------------------------------------------------------------


def _reasoner(graphs: Graphs, build_dir: Path) -> list[Finding]:
    from .reason import InconsistentOntologyError, infer

    quads = [q for qs in graphs.values() for q in qs]
    try:
        infer(quads, build_dir=build_dir)
    except InconsistentOntologyError as exc:
        focus = exc.individuals[0] if len(exc.individuals) == 1 else None
        return [Finding(source="reasoner", rule="consistency", focus=focus, message=str(exc))]
    return []
