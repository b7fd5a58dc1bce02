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
    shacl_changed: tuple[str, ...] | None = None
    """With ``incremental``: the named graphs that changed since the last run (SHACL validated
    only the nodes they touch); ``None`` when SHACL validated the whole graph."""
    shacl_focus: int | None = None
    """With ``incremental``: how many nodes SHACL validated; ``None`` when it validated all."""
    incremental: bool = False
    """Whether SHACL ran incrementally (``validate(..., incremental=True)``)."""
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
        scope = self._scope(lang)
        if not self.findings:
            return scope + t("cli.validate.conforms", lang, checks=ran)
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
        return scope + "\n".join(lines)

    def _scope(self, lang: str) -> str:
        """With ``incremental``: a first line saying what SHACL validated again."""
        if not self.incremental:
            return ""
        if self.shacl_changed is None:
            return t("cli.validate.incremental_full", lang) + "\n"
        nodes, graphs = self.shacl_focus or 0, len(self.shacl_changed)
        return t("cli.validate.incremental", lang, nodes=nodes, graphs=graphs) + "\n"

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
Source: TypeAlias = (
    _AtlasLike | QueryStore | ox.Store | ProjectPaths | Path | str | Mapping[str, Any] | None
)


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
    incremental: bool = False,
) -> ValidationReport:
    """Validate the graph and return a :class:`ValidationReport` (it never raises for findings;
    call :meth:`ValidationReport.raise_if_not_conforming` for that).

    ``source`` is what to validate:

    * ``None`` — the project's ``ontology/`` and ``graph_data/`` files;
    * an :class:`~pipeline_atlas.atlas.Atlas`, a :class:`~pipeline_atlas.store.base.QueryStore` or a
      :class:`pyoxigraph.Store` — its contents (one named graph per source file);
    * a :class:`~pipeline_atlas.paths.ProjectPaths` or a project directory — that project's files;
    * an RDF file or a list of files;
    * a mapping of named-graph IRI to quads (what :func:`~pipeline_atlas.build.build_graphs`
      returns).

    ``extra_files`` are added as more data (a counter-example, say). ``checks`` picks among
    ``"shacl"``, ``"qc"`` and ``"reasoner"``. ``shapes`` (default ``ontology/shapes.ttl``),
    ``qc_dir`` (default ``queries/qc``), ``paths`` (default: the Atlas's, or the project's) and
    ``build_dir`` (the reasoner's cache) override where things are. ``focus`` limits SHACL to
    those nodes (IRIs), with the whole graph still there for their neighbours: checking a
    counter-example's own nodes is then quick however large the data is. ``lang`` (``"en"`` or
    ``"es"``) picks the language of the SHACL messages (the shapes' ``sh:message`` in that
    language, else English) and of the report's text.

    With ``incremental`` (and no ``focus``), SHACL keeps its answer in ``build_dir/shacl/``
    (default: the project's build directory) with a digest of each named graph, and on the next
    run validates only the nodes that a changed graph can affect (see
    :func:`_shacl_incremental`): the findings are those of a full validation. The report's
    ``shacl_changed`` and ``shacl_focus`` say what was validated.

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
    changed: tuple[str, ...] | None = None
    focused: int | None = None
    if "shacl" in wanted:
        shapes_file = shapes if shapes is not None else _shapes_file(paths)
        if incremental and focus is None:
            cache = (build_dir if build_dir is not None else paths.build) / "shacl"
            found, changed, focused = _shacl_incremental(graphs, shapes_file, cache, lang=lang)
            findings += found
        else:
            findings += _shacl(
                graphs, shapes_file, focus=list(focus) if focus is not None else None, lang=lang
            )
    if "qc" in wanted:
        findings += _qc(graphs, qc_dir if qc_dir is not None else paths.queries / "qc", paths)
    if "reasoner" in wanted:
        findings += _reasoner(graphs, build_dir if build_dir is not None else paths.build)
    return ValidationReport(
        findings,
        checks=wanted,
        lang=lang,
        shacl_changed=changed,
        shacl_focus=focused,
        incremental=incremental and focus is None and "shacl" in wanted,
    )


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
    if isinstance(source, Mapping):
        return {str(g): list(qs) for g, qs in source.items()}
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


@contextlib.contextmanager
def _focus_as_set() -> Iterator[None]:
    """Look focus nodes up in a set while pySHACL runs: it keeps them in a list and tests each
    target of each shape against it, which takes minutes for a few thousand focus nodes."""
    from pyshacl.validator import Validator

    original = Validator.make_executor

    def make_executor(self: Any) -> Any:
        executor: Any = original(self)
        if executor.focus_nodes:
            executor.focus_nodes = frozenset(executor.focus_nodes)
        return executor

    Validator.make_executor = make_executor  # type: ignore[method-assign]
    try:
        yield
    finally:
        Validator.make_executor = original  # type: ignore[method-assign]


def _shapes_graph(shapes_file: Path) -> Any:
    from rdflib import Graph

    if not shapes_file.is_file():
        raise AtlasError(f"no SHACL shapes at {shapes_file}")
    shapes = Graph()
    try:
        shapes.parse(shapes_file, format="turtle")
    except Exception as exc:  # rdflib raises several kinds; any means the file is unusable
        raise AtlasError(f"{shapes_file}: cannot read the SHACL shapes: {exc}") from None
    return shapes


def _shacl(
    graphs: Graphs,
    shapes_file: Path,
    *,
    focus: list[str] | None = None,
    lang: str = "en",
    data: list[ox.Quad] | None = None,
) -> list[Finding]:
    """SHACL over ``graphs`` (or, when given, over the ``data`` quads with the ontology of
    ``graphs``), limited to ``focus`` nodes when given."""
    import pyshacl
    from rdflib import URIRef
    from rdflib.namespace import RDF, SH

    ontology = [q for g, qs in graphs.items() if g.startswith(_ONTOLOGY_GRAPHS) for q in qs]
    if data is None:
        data = [q for g, qs in graphs.items() if not g.startswith(_ONTOLOGY_GRAPHS) for q in qs]
    shapes = _shapes_graph(shapes_file)
    with _prepared_sparql(), _focus_as_set():
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


# --- incremental SHACL ------------------------------------------------------------------------

_CACHE_VERSION = "pipeline-atlas-shacl-1"
_REACH = 2
"""How far from its focus node a shape reads: every triple a shape of ``ontology/shapes.ttl``
reads has as subject the focus node, one of its values, or a value of a value (``$this $PATH
?value . ?value pa:hasJurisdiction ?place . ?place a ?kind``). A shape that reads further breaks
incremental validation; the tests compare it with a full validation."""
_RDF_TYPE = PREFIXES["rdf"] + "type"
_SH = PREFIXES["sh"]


def _shape_joins(shapes: Any) -> set[str] | None:
    """The predicates whose values a SPARQL constraint compares between two nodes (``?other
    $PATH ?value``: a county's FIPS code is unique), or ``None`` when the shapes use what
    incremental validation does not follow (a path that is not a plain predicate, a nested
    ``sh:node``, ``sh:targetObjectsOf``): then every run is a full one."""
    from rdflib import URIRef
    from rdflib.namespace import SH

    if any(True for _ in shapes.triples((None, SH.targetObjectsOf, None))) or any(
        True for _ in shapes.triples((None, SH.node, None))
    ):
        return None
    joins: set[str] = set()
    for shape, path in shapes.subject_objects(SH.path):
        if not isinstance(path, URIRef):
            return None
        for constraint in shapes.objects(shape, SH.sparql):
            for select in shapes.objects(constraint, SH.select):
                if _compares_other_nodes(str(select)):
                    joins.add(str(path))
    return joins


def _compares_other_nodes(select: str) -> bool:
    """Whether a SPARQL constraint reads ``$PATH`` of a node other than ``$this``.

    >>> _compares_other_nodes("SELECT $this WHERE { $this $PATH ?v ; a ?t . ?v a ?u }")
    False
    >>> _compares_other_nodes("SELECT $this WHERE { $this $PATH ?v . ?o a ?t ; $PATH ?v }")
    True
    """
    body = re.sub(r"<[^>]*>|\"[^\"]*\"", "<>", select.partition("{")[2])
    for statement in re.split(r"[.{}]", body):
        words = statement.split()
        if "$PATH" in statement and words and words[0] != "$this":
            return True
    return False


def _digest(quads: Sequence[ox.Quad]) -> str:
    """A digest of a graph's content that depends neither on the order of its quads nor on its
    blank nodes' labels (which each parse makes anew): blank nodes are renamed canonically
    (RDFC-1.0) first."""
    import hashlib

    quads = list(quads)
    if _has_blank_nodes(quads):
        dataset = ox.Dataset(quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        quads = list(dataset)
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    digest = hashlib.sha256()
    for line in sorted(data.splitlines()):
        digest.update(line)
        digest.update(b"\n")
    return digest.hexdigest()


def _key(term: ox.NamedNode | ox.BlankNode | ox.Triple) -> str:
    """A subject as a string (its IRI or blank node id)."""
    return term.value if not isinstance(term, ox.Triple) else str(term)


def _has_blank_nodes(quads: Iterable[ox.Quad]) -> bool:
    return any(
        isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads
    )


def _finding_json(f: Finding) -> dict[str, Any]:
    return {
        "source": f.source,
        "rule": f.rule,
        "focus": f.focus,
        "message": f.message,
        "path": f.path,
        "value": f.value,
        "severity": f.severity,
    }


def _shacl_incremental(
    graphs: Graphs, shapes_file: Path, cache: Path, *, lang: str = "en"
) -> tuple[list[Finding], tuple[str, ...] | None, int | None]:
    """SHACL with a cache in ``cache/state.json``: the findings, the data graphs that changed
    since the cached run (``None``: a full run) and how many nodes were validated.

    The cache holds each data graph's digest, its subjects and its triples of the compared
    predicates (:func:`_shape_joins`), and the findings. When the shapes, the ontology or the
    language changed, when there is no cache, or when data graphs hold blank nodes, the run is
    a full one. Otherwise the nodes to validate are the subjects of every changed graph, before
    and after the change, the nodes from which these are reached in ``_REACH`` steps (whose
    shapes may read them), and the nodes sharing a compared value with a changed graph. They are
    validated against the triples they can read (those of the nodes within ``_REACH`` steps,
    the types and compared values of every node), and their findings replace the cached ones.
    """
    import hashlib
    import json

    from .reason import _write_atomic

    shapes = _shapes_graph(shapes_file)
    joins = _shape_joins(shapes)
    data_graphs = {g: qs for g, qs in graphs.items() if not g.startswith(_ONTOLOGY_GRAPHS)}
    ontology_digest = _digest(
        [q for g, qs in sorted(graphs.items()) if g.startswith(_ONTOLOGY_GRAPHS) for q in qs]
    )
    settings = hashlib.sha256(
        "\n".join([_CACHE_VERSION, lang, ontology_digest]).encode() + shapes_file.read_bytes()
    ).hexdigest()
    digests = {g: _digest(qs) for g, qs in data_graphs.items()}
    state_file = cache / "state.json"
    try:
        old = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = None

    def graph_state(quads: Sequence[ox.Quad], digest: str) -> dict[str, Any]:
        return {
            "digest": digest,
            "subjects": sorted({_key(q.subject) for q in quads}),
            "joins": sorted(
                {(q.predicate.value, str(q.object)) for q in quads if q.predicate.value in joins}
            )
            if joins
            else [],
        }

    def save(findings: list[Finding]) -> None:
        state = {
            "settings": settings,
            "graphs": {g: graph_state(data_graphs[g], d) for g, d in digests.items()},
            "findings": [_finding_json(f) for f in findings],
        }
        _write_atomic(state_file, json.dumps(state))

    full = (
        joins is None
        or old is None
        or old.get("settings") != settings
        or any(f.get("focus") is None for f in old.get("findings", []))
        or any(_has_blank_nodes(qs) for qs in data_graphs.values())
    )
    if full:
        findings = _shacl(graphs, shapes_file, lang=lang)
        if joins is not None:
            save(findings)
        return findings, None, None
    assert old is not None and joins is not None
    before: dict[str, Any] = old["graphs"]
    changed = sorted(
        g for g in set(digests) | set(before) if before.get(g, {}).get("digest") != digests.get(g)
    )
    cached = [Finding(**f) for f in old["findings"]]
    if not changed:
        return cached, (), 0

    # the nodes the change touches, and the compared values it adds or removes
    seeds: set[str] = set()
    compared: set[tuple[str, str]] = set()
    for g in changed:
        seeds.update(before.get(g, {}).get("subjects", ()))
        compared.update(tuple(pair) for pair in before.get(g, {}).get("joins", ()))
        for q in data_graphs.get(g, ()):
            seeds.add(_key(q.subject))
            if q.predicate.value in joins:
                compared.add((q.predicate.value, str(q.object)))
    data = [q for qs in data_graphs.values() for q in qs]
    by_subject: dict[str, list[ox.Quad]] = {}
    pointing: dict[str, set[str]] = {}
    for q in data:
        by_subject.setdefault(_key(q.subject), []).append(q)
        if isinstance(q.object, ox.NamedNode):
            pointing.setdefault(q.object.value, set()).add(_key(q.subject))
    focus = set(seeds)
    frontier = set(seeds)
    for _ in range(_REACH):
        frontier = {s for node in frontier for s in pointing.get(node, ())} - focus
        focus |= frontier
    joined = [q for q in data if q.predicate.value in joins]
    focus.update(_key(q.subject) for q in joined if (q.predicate.value, str(q.object)) in compared)

    # the triples the focus nodes' shapes can read
    read: set[str] = set()
    frontier = set(focus)
    for _ in range(_REACH + 1):
        read |= frontier
        frontier = {
            q.object.value
            for node in frontier
            for q in by_subject.get(node, ())
            if isinstance(q.object, ox.NamedNode)
        } - read
    subset = [q for node in read for q in by_subject.get(node, ())]
    subset += joined
    subset += [
        q
        for node in {_key(q.subject) for q in joined} - read
        for q in by_subject.get(node, ())
        if q.predicate.value == _RDF_TYPE
    ]
    # (pySHACL reads an empty focus list as "every node")
    found = (
        _shacl(graphs, shapes_file, focus=sorted(focus), lang=lang, data=subset) if focus else []
    )
    findings = [f for f in cached if f.focus not in focus] + found
    findings.sort(key=lambda f: (f.rule, f.focus or "", f.message, f.value or ""))
    save(findings)
    return findings, tuple(changed), len(focus)


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
