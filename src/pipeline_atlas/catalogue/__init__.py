"""The query catalogue: ``queries/**/*.rq`` files with a YAML header in ``#+`` lines.

One query a file, its stem is its id. The header (grlc style) comes before the SPARQL::

    #+ summary: The stages of the pipeline, in order.
    #+ summary_es: Las etapas de la cadena, en orden.
    #+ tags: [stage]
    #+ params:
    #+   stage: {type: iri, base: "https://w3id.org/pipeline-atlas/id/stage/"}

A parameter ``x`` binds the variable ``?x`` through pyoxigraph ``substitutions``; its value is never
pasted into the text. Values may be given as strings (as the CLI and UI have them) or as Python
values. IRI parameters take a full IRI, ``<IRI>``, a prefixed name from
:data:`~pipeline_atlas.namespaces.PREFIXES`, or (with ``base``) a bare slug.

Every text a person reads comes in English and Spanish: ``summary``/``summary_es``,
``question``/``question_es``, ``description``/``description_es`` and, in a parameter,
``description``/``description_es`` (:meth:`CatalogueQuery.summary_for` and friends pick one,
English where the Spanish is missing).

>>> q = parse_query_text(
...     "#+ summary: Labels.\\n"
...     "#+ params:\\n"
...     "#+   s: {type: iri, base: 'https://w3id.org/pipeline-atlas/id/stage/'}\\n"
...     "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }\\n",
...     id="cq-900-labels",
... )
>>> q.summary, [p.name for p in q.params], q.kind
('Labels.', ['s'], 'select')
>>> q.bind({"s": "police-stop"})
{'s': <NamedNode value=https://w3id.org/pipeline-atlas/id/stage/police-stop>}
"""

from __future__ import annotations

import contextlib
import difflib
import json
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, TypeAlias, cast, get_args

import pyoxigraph as ox
import yaml

from ..errors import CatalogueError, ParameterError, QueryNotFoundError
from ..namespaces import PREFIXES
from ..results import ResultKind, Term
from .sparql import inspect_query

__all__ = [
    "SEVERITIES",
    "CatalogueQuery",
    "Param",
    "ParamType",
    "Severity",
    "adhoc_query",
    "find_query",
    "load_catalogue",
    "load_query_file",
    "looks_like_id",
    "parse_query_text",
    "resolve_query",
]

ParamType: TypeAlias = Literal["iri", "string", "integer", "boolean"]
PARAM_TYPES: tuple[str, ...] = get_args(ParamType)

Severity: TypeAlias = Literal["violation", "warning"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
"""What a quality check's rows are (``#+ severity:``): a violation fails validation, a warning
is only reported. The default is ``violation``."""

ADHOC_ID = "<query>"
"""The id given to SPARQL text run directly."""

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_PROSE_LINE = re.compile(
    r"^(\s*(?:summary|question|description)(?:_es)?:[ \t]+)(?![\"'|>\[{])(.+)$", re.MULTILINE
)
_SCHEMES = ("urn:", "mailto:", "tag:", "did:")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
LANGUAGES: tuple[str, ...] = ("en", "es")
"""The languages of the catalogue's texts."""
_KNOWN_KEYS = {
    "summary",
    "summary_es",
    "question",
    "question_es",
    "description",
    "description_es",
    "tags",
    "params",
    "severity",
}
_PARAM_KEYS = {"type", "base", "required", "description", "description_es", "example", "default"}
_DESCRIPTIONS = {
    "iri": "an IRI (full, <IRI>, prefixed such as stage:police-stop, or a slug)",
    "string": "a string",
    "integer": "an integer",
    "boolean": "a boolean (true or false)",
}
_DUMMIES: dict[str, Term] = {
    "iri": ox.NamedNode("urn:pipeline-atlas:check"),
    "string": ox.Literal(""),
    "integer": ox.Literal(0),
    "boolean": ox.Literal(False),
}


@dataclass(frozen=True)
class Param:
    """One declared query parameter; it binds the variable ``?name``.

    >>> Param("n", "integer").to_term("7")
    <Literal value=7 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    >>> Param("s", "iri").to_term("skos:Concept").value
    'http://www.w3.org/2004/02/skos/core#Concept'
    """

    name: str
    type: ParamType = "string"
    required: bool = False
    base: str | None = None
    description: str = ""
    example: str | None = None
    default: str | int | bool | None = None
    description_es: str = ""

    def description_for(self, lang: str) -> str:
        """The description in ``lang`` (``en`` or ``es``; English where there is no Spanish).

        >>> Param("n", description="A number.", description_es="Un número.").description_for("es")
        'Un número.'
        """
        if lang == "es" and self.description_es:
            return self.description_es
        return self.description

    def describe(self) -> str:
        """What the parameter expects, for messages and help."""
        text = _DESCRIPTIONS[self.type]
        if self.example is not None:
            text += f", e.g. {self.example}"
        return text

    def to_term(self, value: object, *, query: str | None = None) -> Term:
        """The RDF term for a value; raises :class:`ParameterError` if it is ill-typed."""

        def wrong(extra: str = "") -> ParameterError:
            return ParameterError(
                f"parameter '{self.name}' expects {_DESCRIPTIONS[self.type]}, got {value!r}{extra}",
                query=query,
                param=self.name,
            )

        if self.type == "iri":
            if isinstance(value, ox.NamedNode):
                return value
            if not isinstance(value, str):
                raise wrong()
            text = value.strip()
            if text.startswith("<") and text.endswith(">"):
                iri = text[1:-1]
            elif text.partition(":")[0] in PREFIXES and ":" in text:
                prefix, _, local = text.partition(":")
                iri = PREFIXES[prefix] + local
            elif _SCHEME.match(text) and ("://" in text or text.lower().startswith(_SCHEMES)):
                iri = text
            elif ":" in text:
                prefix = text.partition(":")[0]
                raise wrong(f"; unknown prefix '{prefix}' (known: {', '.join(PREFIXES)})")
            elif self.base and text:
                iri = self.base + text
            else:
                raise wrong("; this parameter has no base for bare names")
            try:
                return ox.NamedNode(iri)
            except ValueError as exc:
                raise wrong(f" ({exc})") from None
        if self.type == "string":
            if isinstance(value, ox.Literal):
                return value
            if not isinstance(value, str):
                raise wrong()
            return ox.Literal(value)
        if self.type == "integer":
            if isinstance(value, bool):
                raise wrong()
            if isinstance(value, int):
                return ox.Literal(value)
            if isinstance(value, str) and _INTEGER.match(value.strip()):
                return ox.Literal(int(value.strip()))
            raise wrong()
        # boolean
        if isinstance(value, bool):
            return ox.Literal(value)
        if isinstance(value, str) and value.strip().lower() in _BOOLEANS:
            return ox.Literal(_BOOLEANS[value.strip().lower()])
        raise wrong()


@dataclass(frozen=True)
class CatalogueQuery:
    """A query with its metadata: from a catalogue file, another ``.rq`` file, or raw text.

    ``sparql`` is the whole text as run (header comments included, so error lines are the
    file's lines). ``source`` names it in messages: its path relative to the project, or its id.
    ``group`` is its folder under ``queries/`` (``cq``, ``qc``, ...). ``severity`` (header
    ``#+ severity: warning``; default ``violation``) says whether a quality check's rows fail
    validation or are only warnings. ``summary``, ``question`` and ``description`` are English;
    ``summary_es``, ``question_es`` and ``description_es`` their Spanish (``summary_for(lang)``
    and friends pick one).
    """

    id: str
    sparql: str
    source: str
    summary: str = ""
    question: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    kind: ResultKind = "select"
    path: Path | None = None
    group: str = ""
    header: Mapping[str, Any] = field(default_factory=dict)
    adhoc: bool = False
    severity: Severity = "violation"
    summary_es: str = ""
    question_es: str = ""
    description: str = ""
    description_es: str = ""

    def summary_for(self, lang: str) -> str:
        """The summary in ``lang`` (``en`` or ``es``; English where there is no Spanish)."""
        return self.summary_es if lang == "es" and self.summary_es else self.summary

    def question_for(self, lang: str) -> str:
        """The question in ``lang`` (``en`` or ``es``; English where there is no Spanish)."""
        return self.question_es if lang == "es" and self.question_es else self.question

    def description_for(self, lang: str) -> str:
        """The longer description in ``lang`` (``en`` or ``es``; English where there is no
        Spanish); empty when the header has none."""
        return self.description_es if lang == "es" and self.description_es else self.description

    def missing_spanish(self) -> list[str]:
        """The header keys of texts in English that have no Spanish (``summary_es``, a
        parameter's ``description_es`` as ``params.NAME.description_es``, ...).

        >>> parse_query_text("#+ summary: All.\\nASK {}\\n", id="q").missing_spanish()
        ['summary_es']
        """
        missing = [
            f"{key}_es"
            for key, english, spanish in (
                ("summary", self.summary, self.summary_es),
                ("question", self.question, self.question_es),
                ("description", self.description, self.description_es),
            )
            if english and not spanish
        ]
        missing += [
            f"params.{p.name}.description_es"
            for p in self.params
            if p.description and not p.description_es
        ]
        return missing

    @property
    def body(self) -> str:
        """The SPARQL text without the ``#+`` header lines."""
        lines = self.sparql.splitlines(keepends=True)
        return "".join(line for line in lines if not line.lstrip().startswith("#+")).lstrip("\n")

    def param(self, name: str) -> Param:
        """The declared parameter ``name``; raises :class:`ParameterError` if there is none."""
        for param in self.params:
            if param.name == name:
                return param
        names = [p.name for p in self.params]
        if not names:
            raise ParameterError(
                f"no parameter '{name}'; this query takes no parameters", query=self.id, param=name
            )
        close = difflib.get_close_matches(name, names, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ParameterError(
            f"no parameter '{name}'{hint}; it takes {', '.join(names)}", query=self.id, param=name
        )

    def bind(self, values: Mapping[str, object] | None = None) -> dict[str, Term]:
        """Variable name → term for the given values plus defaults.

        Raises :class:`ParameterError` for an unknown parameter, a missing required one, or a
        value of the wrong type. Optional parameters not given stay unbound (``None`` values
        count as not given).
        """
        given = {k: v for k, v in (values or {}).items() if v is not None}
        for name in given:
            self.param(name)
        bound: dict[str, Term] = {}
        for param in self.params:
            if param.name in given:
                bound[param.name] = param.to_term(given[param.name], query=self.id)
            elif param.default is not None:
                bound[param.name] = param.to_term(param.default, query=self.id)
            elif param.required:
                raise ParameterError(
                    f"parameter '{param.name}' is required: {param.describe()}",
                    query=self.id,
                    param=param.name,
                )
        return bound


def _quote_prose(yaml_text: str) -> str:
    """Quote plain ``summary``/``question``/``description`` values (prose often holds ``: ``)."""

    def quote(match: re.Match[str]) -> str:
        return f"{match.group(1)}{json.dumps(match.group(2).rstrip())}"

    return _PROSE_LINE.sub(quote, yaml_text)


def _header(text: str, source: str) -> dict[str, Any]:
    """The YAML header of a query text (its leading ``#+`` lines) as a mapping.

    Prose values that plain YAML would reject (``summary: Terms (pa: classes)``) are read as
    strings; any other YAML error raises :class:`CatalogueError` with the file's line.
    """
    yaml_lines: list[str] = []
    line_numbers: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break
        if stripped.startswith("#+"):
            yaml_lines.append(stripped[2:])
            line_numbers.append(number)
    if not yaml_lines:
        return {}
    yaml_text = textwrap.dedent("\n".join(yaml_lines))
    try:
        loaded = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        try:
            loaded = yaml.safe_load(_quote_prose(yaml_text))
        except yaml.YAMLError:
            raise _header_error(exc, source, line_numbers) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise CatalogueError(source, line_numbers[0], "the #+ header must be `key: value` lines")
    return cast(dict[str, Any], loaded)


def _header_error(exc: yaml.YAMLError, source: str, line_numbers: list[int]) -> CatalogueError:
    index = 0
    reason = str(exc)
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        if mark is not None:
            index = min(mark.line, len(line_numbers) - 1)
        reason = str(exc.problem or exc.context or "invalid YAML")
    if "mapping values are not allowed" in reason:
        reason += " (quote a value that contains ': ')"
    return CatalogueError(source, line_numbers[index], f"bad #+ header: {reason}")


def _line_of(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#+") and needle in line:
            return number
    return None


def _params(raw: object, text: str, source: str, query_id: str) -> tuple[Param, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise CatalogueError(source, _line_of(text, "params"), "`params` must be a mapping")
    params: list[Param] = []
    for name, spec in raw.items():
        where = _line_of(text, f"{name}:")
        if not isinstance(name, str) or not _NAME.match(name):
            raise CatalogueError(source, where, f"parameter name {name!r} is not a SPARQL variable")
        spec = {} if spec is None else spec
        if not isinstance(spec, dict):
            raise CatalogueError(source, where, f"parameter '{name}' must be a mapping")
        unknown = sorted(set(spec) - _PARAM_KEYS)
        if unknown:
            raise CatalogueError(
                source, where, f"parameter '{name}' has unknown key(s) {', '.join(unknown)}"
            )
        kind = spec.get("type", "string")
        if kind not in PARAM_TYPES:
            raise CatalogueError(
                source,
                _line_of(text, f"type: {kind}") or where,
                f"parameter '{name}' has unknown type {kind!r}; use {', '.join(PARAM_TYPES)}",
            )
        example = spec.get("example")
        default = spec.get("default")
        param = Param(
            name=name,
            type=cast(ParamType, kind),
            required=bool(spec.get("required", False)),
            base=str(spec["base"]) if spec.get("base") is not None else None,
            description=str(spec.get("description") or "").strip(),
            description_es=str(spec.get("description_es") or "").strip(),
            example=str(example) if example is not None else None,
            default=default if isinstance(default, str | int | bool) else None,
        )
        if param.default is not None:
            try:
                param.to_term(param.default, query=query_id)
            except ParameterError as exc:
                raise CatalogueError(source, where, f"default: {exc}") from None
        params.append(param)
    return tuple(params)


def _form(text: str, source: str, *, limits: bool) -> ResultKind:
    if limits:
        form = inspect_query(text, source=source)
    else:
        form = inspect_query(text, source=source, max_length=None, max_depth=None)
    return "construct" if form == "describe" else form


def _check_trusted(text: str, source: str, params: Sequence[Param]) -> None:
    """Parse one of our own queries with pyoxigraph, against an empty store, with a dummy value
    bound to each parameter. Only for catalogue files: a person's query is never run to check
    it (it runs once, in the sandbox, where the parser checks it first)."""
    from ..store.embedded import EmbeddedStore  # here: the store package imports this one

    EmbeddedStore().query(
        text, bindings={p.name: _DUMMIES[p.type] for p in params}, source=source, max_rows=None
    )


def parse_query_text(
    text: str,
    *,
    id: str,
    source: str | None = None,
    path: Path | None = None,
    group: str = "",
    trusted: bool = True,
) -> CatalogueQuery:
    """Read a query's header and check its SPARQL.

    A ``trusted`` text (a catalogue file, which we wrote) is parsed by pyoxigraph with every
    parameter bound. Any other text (a file a person named) is only inspected
    (:func:`~pipeline_atlas.catalogue.sparql.inspect_query`: form, updates, ``SERVICE``, size)
    and marked ``adhoc``, so that it runs in the sandbox, where the parser checks it.

    Raises :class:`CatalogueError` for a bad header and :class:`SparqlSyntaxError` with the
    line and column in ``text`` (so in the file, header lines included).
    """
    source = source or id
    header = _header(text, source)
    tags_raw = header.get("tags") or ()
    if isinstance(tags_raw, str):
        tags_raw = [t.strip() for t in tags_raw.split(",") if t.strip()]
    if not isinstance(tags_raw, list | tuple):
        raise CatalogueError(source, _line_of(text, "tags"), "`tags` must be a list")
    params = _params(header.get("params"), text, source, id)
    kind = _form(text, source, limits=not trusted)
    if trusted:
        _check_trusted(text, source, params)
    question = _text(header, "question")
    summary = _text(header, "summary") or question
    question_es = _text(header, "question_es")
    summary_es = _text(header, "summary_es") or question_es
    severity = _severity(header.get("severity", "violation"), text, source)
    return CatalogueQuery(
        id=id,
        sparql=text,
        source=source,
        summary=summary,
        question=question,
        tags=tuple(str(t) for t in tags_raw),
        params=params,
        kind=kind,
        path=path,
        group=group,
        header={k: v for k, v in header.items() if k not in _KNOWN_KEYS},
        adhoc=not trusted,
        severity=severity,
        summary_es=summary_es,
        question_es=question_es,
        description=_text(header, "description"),
        description_es=_text(header, "description_es"),
    )


def _text(header: Mapping[str, Any], key: str) -> str:
    """A prose value of the header, stripped (empty when absent)."""
    return str(header.get(key) or "").strip()


def _severity(value: object, text: str, source: str) -> Severity:
    """The ``severity`` header value: ``violation`` or ``warning``."""
    for severity in SEVERITIES:
        if value == severity:
            return severity
    raise CatalogueError(
        source,
        _line_of(text, "severity"),
        f"`severity` must be {' or '.join(SEVERITIES)}, not {value!r}",
    )


def load_query_file(
    path: Path, *, root: Path | None = None, trusted: bool = True
) -> CatalogueQuery:
    """Read one ``.rq`` file; its id is the file's stem, messages name it relative to ``root``.

    ``trusted=False`` for a file that a person named (see :func:`parse_query_text`)."""
    path = Path(path)
    source = path.as_posix()
    if root is not None:
        with contextlib.suppress(ValueError):
            source = path.resolve().relative_to(Path(root).resolve()).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(source, None, f"cannot read query file: {exc}") from None
    return parse_query_text(text, id=path.stem, source=source, path=path, trusted=trusted)


def load_catalogue(directory: Path, *, root: Path | None = None) -> list[CatalogueQuery]:
    """Every ``*.rq`` under ``directory`` (recursive), checked, sorted by id.

    ``root`` (default: the parent of ``directory``) is what messages show paths relative to.
    Raises :class:`CatalogueError` if two files share an id.

    >>> load_catalogue(Path("/nonexistent/queries"))
    []
    """
    directory = Path(directory)
    root = Path(root) if root is not None else directory.parent
    if not directory.is_dir():
        return []
    found: dict[str, CatalogueQuery] = {}
    for file in sorted(directory.rglob("*.rq")):
        if any(part.startswith(".") for part in file.relative_to(directory).parts):
            continue
        query = load_query_file(file, root=root)
        group = file.parent.relative_to(directory).as_posix()
        query = replace(query, group="" if group == "." else group)
        if query.id in found:
            raise CatalogueError(
                query.source, None, f"query id '{query.id}' is also {found[query.id].source}"
            )
        found[query.id] = query
    return [found[k] for k in sorted(found)]


def find_query(name: str, catalogue: Sequence[CatalogueQuery]) -> CatalogueQuery:
    """A catalogue query by full id or unique id prefix (``cq-003``).

    Raises :class:`QueryNotFoundError` with close matches, or the candidates of an ambiguous
    prefix.
    """
    by_id = {q.id: q for q in catalogue}
    if name in by_id:
        return by_id[name]
    matches = [q for q in catalogue if q.id.startswith(name)] if name else []
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise QueryNotFoundError(name, candidates=[q.id for q in matches], ambiguous=True)
    raise QueryNotFoundError.lookup(name, by_id)


def looks_like_id(text: str) -> bool:
    """Whether ``text`` is a query id (or id prefix) rather than SPARQL text: one word, no
    braces.

    >>> looks_like_id("cq-003"), looks_like_id("ASK { ?s ?p ?o }")
    (True, False)
    """
    text = text.strip()
    return bool(text) and not any(ch.isspace() or ch in "{}" for ch in text)


def adhoc_query(text: str, *, source: str = ADHOC_ID) -> CatalogueQuery:
    """SPARQL text that a person wrote, as a query to run in the sandbox: it takes no
    parameters and may use the prefix table's prefixes without declaring them.

    Only inspected, never run here (see :func:`~pipeline_atlas.catalogue.sparql.inspect_query`).

    >>> adhoc_query("DESCRIBE stage:police-stop").kind
    'construct'
    """
    kind = _form(text, source, limits=False)  # the sandbox applies the limits
    return CatalogueQuery(id=ADHOC_ID, sparql=text, source=source, kind=kind, adhoc=True)


def resolve_query(name_or_text: str, *, catalogue: Iterable[CatalogueQuery]) -> CatalogueQuery:
    """A catalogue query by id (or unique prefix), or SPARQL text as an ad-hoc query.

    A string is never read as a path: reading a file that a person named is the CLI's job.

    >>> resolve_query("ASK { ?s ?p ?o }", catalogue=[]).kind
    'ask'
    >>> resolve_query("../../etc/shadow", catalogue=[])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pipeline_atlas.errors.QueryNotFoundError: no query named '../../etc/shadow' in the catalogue
    """
    if looks_like_id(name_or_text):
        return find_query(name_or_text.strip(), list(catalogue))
    return adhoc_query(name_or_text)
