"""A SPARQL answer for the explorer's "Ask in SPARQL" page: table, chart, map and files.

* :func:`run_user_query` runs a person's text, always in the engine's sandboxed worker (time,
  memory and row limits; updates and ``SERVICE`` refused before anything runs), and turns every
  error into a :class:`QueryProblem` worded in the reader's language, with the line and column
  of a syntax error.
* :class:`ResultView` is the answer: columns, rows as display strings, a Vega-Lite bar chart
  when the answer is one label and one number per row (:meth:`ResultView.chart_spec`), a map
  when a column holds ``geo:wktLiteral`` values (:meth:`ResultView.map_figure`), and the
  SPARQL 1.1 CSV and JSON files.
* :func:`catalogue_examples` lists the catalogue's competency questions and lookups as examples
  to start from.

How an example runs: the editor shows the example's text (without its ``#+`` header) and runs
that text, as a person's text, in the sandbox. The example's declared parameters are bound as
values (never pasted into the text): ``lang`` is the page's language, the others take the values
the reader typed or their defaults. A text that is not an example runs with nothing bound.

The sandbox answers one query at a time (a lock in
:class:`~pipeline_atlas.store.sandbox.SandboxedStore`); the first start of an atlas's sandbox is
serialised here too, so Streamlit's sessions (threads) share one worker. A query stopped by a
limit replaces the worker, and the next query is answered normally.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..catalogue import CatalogueQuery
from ..errors import (
    AtlasError,
    ForbiddenQueryError,
    ParameterError,
    QueryLimitError,
    QueryStoppedError,
    SparqlSyntaxError,
)
from ..i18n import t
from ..namespaces import PREFIXES, shorten
from ..results import QueryResult, term_to_python
from ..store.sandbox import Limits, SandboxedStore
from .figure import Figure
from .maps import wkt_map

if TYPE_CHECKING:
    from ..atlas import Atlas

__all__ = [
    "EXAMPLE_GROUPS",
    "Example",
    "ExampleParam",
    "QueryProblem",
    "ResultView",
    "catalogue_examples",
    "close_sandboxes",
    "editor_text",
    "example_by_id",
    "limits_text",
    "params_for",
    "run_user_query",
]

EXAMPLE_GROUPS = ("cq", "lookup")
"""The catalogue folders whose queries are offered as examples."""

WKT_LITERAL = "http://www.opengis.net/ont/geosparql#wktLiteral"
SOURCE = "<query>"
MAX_CHART_ROWS = 60
"""More rows than this make a bar chart unreadable: the table is enough."""


# -- errors ------------------------------------------------------------------------------------


class QueryProblem(AtlasError):
    """Why a person's query gave no answer, in the reader's language.

    ``kind`` is ``syntax``, ``service``, ``update``, ``forbidden``, ``timeout``, ``memory``,
    ``crash``, ``rows``, ``size``, ``parameter`` or ``other``; ``line`` and ``column`` locate a
    syntax error (or a refused ``SERVICE``) in the text; ``detail`` is the engine's own words
    (English).
    """

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        line: int | None = None,
        column: int | None = None,
        detail: str = "",
    ) -> None:
        self.kind = kind
        self.line = line
        self.column = column
        self.detail = detail
        super().__init__(message)


_WHERE = re.compile(r"^[^:]*:(\d+):(\d+): (.*)$")


def _problem(error: AtlasError, lang: str) -> QueryProblem:
    """Word an engine error for the reader."""
    if isinstance(error, SparqlSyntaxError):
        if error.line is not None and error.column is not None:
            text = t(
                "ui.sparql.error.syntax",
                lang,
                line=error.line,
                column=error.column,
                detail=error.reason,
            )
        else:
            text = t("ui.sparql.error.syntax_nowhere", lang, detail=error.reason)
        return QueryProblem(
            text, kind="syntax", line=error.line, column=error.column, detail=error.reason
        )
    found = _WHERE.match(error.message)
    line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
    detail = found.group(3) if found else error.message
    if isinstance(error, ForbiddenQueryError):
        if detail.startswith("SERVICE"):
            kind = "service"
        elif "update" in detail:
            kind = "update"
        else:
            kind = "forbidden"
        key = f"ui.sparql.error.{kind}"
        return QueryProblem(
            t(key, lang, line=line or 1, column=column or 1, detail=detail),
            kind=kind,
            line=line,
            column=column,
            detail=detail,
        )
    if isinstance(error, QueryStoppedError):
        kind = error.reason if error.reason in ("timeout", "memory") else "crash"
        limit = f"{error.limit:g}" if error.limit is not None else ""
        return QueryProblem(
            t(f"ui.sparql.error.{kind}", lang, limit=limit), kind=kind, detail=error.message
        )
    if isinstance(error, QueryLimitError):
        if "result rows" in error.message:
            return QueryProblem(
                t("ui.sparql.error.rows", lang, limit=f"{error.limit:,}"),
                kind="rows",
                detail=error.message,
            )
        return QueryProblem(
            t("ui.sparql.error.size", lang, detail=detail),
            kind="size",
            line=line,
            column=column,
            detail=detail,
        )
    if isinstance(error, ParameterError) and error.param and "is required" in error.message:
        return QueryProblem(
            t("ui.sparql.error.param_required", lang, param=error.param),
            kind="parameter",
            detail=error.message,
        )
    if isinstance(error, ParameterError):
        return QueryProblem(
            t("ui.sparql.error.parameter", lang, detail=error.message),
            kind="parameter",
            detail=error.message,
        )
    return QueryProblem(
        t("ui.sparql.error.other", lang, detail=error.message), kind="other", detail=error.message
    )


# -- the answer ---------------------------------------------------------------------------------


def _display(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value, PREFIXES)
    if isinstance(term, ox.Literal):
        return term.value
    return str(term_to_python(term))  # type: ignore[arg-type]


def _is_number(term: object) -> bool:
    value = term_to_python(term) if term is not None else None  # type: ignore[arg-type]
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class ResultView:
    """A query's answer for people: ``columns``, ``rows`` as display strings (IRIs shortened
    with the atlas's prefixes, literals as written, blanks as ``""``), and the result itself
    for the files. An ASK answer is one column ``ask`` with ``true`` or ``false``."""

    result: QueryResult
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, result: QueryResult) -> ResultView:
        """The view of a :class:`~pipeline_atlas.results.QueryResult`.

        >>> view = ResultView.of(QueryResult.ask(True))
        >>> view.columns, view.rows
        (('ask',), (('true',),))
        """
        if result.kind == "ask":
            return cls(result, ("ask",), (("true" if result.boolean else "false",),))
        columns = tuple(result.variables)
        rows = tuple(tuple(_display(row.get(c)) for c in columns) for row in result.terms)
        return cls(result, columns, rows)

    def __len__(self) -> int:
        return len(self.rows)

    # files

    def to_csv(self) -> str:
        """SPARQL 1.1 Query Results CSV."""
        return self.result.to("csv")

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        return self.result.to("json")

    # chart

    def _chart_columns(self) -> tuple[str, str] | None:
        if self.result.kind != "select" or not 0 < len(self.rows) <= MAX_CHART_ROWS:
            return None
        terms = self.result.terms
        numeric = [c for c in self.columns if all(_is_number(r.get(c)) for r in terms)]
        others = [c for c in self.columns if c not in numeric]
        if len(numeric) != 1:
            return None
        if len(others) == 2:
            # an IRI column and its label: the label names the bars
            labels = [c for c in others if all(isinstance(r.get(c), ox.Literal) for r in terms)]
            iris = [c for c in others if all(isinstance(r.get(c), ox.NamedNode) for r in terms)]
            others = labels if len(labels) == 1 and len(iris) == 1 else []
        if len(others) != 1:
            return None
        return others[0], numeric[0]

    def chart_spec(self, lang: str = "en") -> dict[str, Any] | None:
        """A Vega-Lite bar chart (a dict for ``st.vega_lite_chart``) when the answer has one
        label column and one number column (and at most an IRI column besides, named by the
        label), at most :data:`MAX_CHART_ROWS` rows; else ``None``.
        Axis titles are the column names; the data are inline (nothing is loaded)."""
        pair = self._chart_columns()
        if pair is None:
            return None
        label, number = pair
        li = self.columns.index(label)
        values = [
            {label: row[li], number: term_to_python(self.result.terms[i].get(number))}
            for i, row in enumerate(self.rows)
        ]
        return {
            "description": self.chart_text(lang),
            "data": {"values": values},
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "y": {
                    "field": label,
                    "type": "nominal",
                    "sort": "-x",
                    "title": label,
                    "axis": {"labelLimit": 320},
                },
                "x": {"field": number, "type": "quantitative", "title": number},
            },
        }

    def chart_text(self, lang: str = "en") -> str:
        """The chart's text equivalent (every bar and its value), or ``""`` when there is no
        chart."""
        pair = self._chart_columns()
        if pair is None:
            return ""
        label, number = pair
        li, ni = self.columns.index(label), self.columns.index(number)
        bars = "; ".join(f"{row[li]}: {row[ni]}" for row in self.rows)
        return t("ui.sparql.chart_text", lang, number=number, label=label, bars=bars)

    # map

    def map_figure(self, lang: str = "en") -> Figure | None:
        """A map of the first column whose values are ``geo:wktLiteral`` polygons, each shape
        named by the first column of plain literals; ``None`` when there is none."""
        if self.result.kind != "select":
            return None
        terms = self.result.terms
        wkt = next(
            (
                c
                for c in self.columns
                if any(
                    isinstance(r.get(c), ox.Literal) and r[c].datatype.value == WKT_LITERAL  # type: ignore[union-attr]
                    for r in terms
                )
            ),
            None,
        )
        if wkt is None:
            return None
        name = next(
            (
                c
                for c in self.columns
                if c != wkt
                and any(isinstance(r.get(c), ox.Literal) for r in terms)
                and not any(
                    isinstance(r.get(c), ox.Literal) and r[c].datatype.value == WKT_LITERAL  # type: ignore[union-attr]
                    for r in terms
                )
            ),
            None,
        )
        rows: list[dict[str, object]] = []
        for i, r in enumerate(terms, start=1):
            shape = r.get(wkt)
            if not (isinstance(shape, ox.Literal) and shape.datatype.value == WKT_LITERAL):
                continue
            label = _display(r.get(name)) if name else ""
            rows.append({"name": label or str(i), "wkt": shape.value})
        return wkt_map(rows, lang=lang)


# -- running a person's query -------------------------------------------------------------------

_START_LOCK = threading.Lock()
_SANDBOXES: weakref.WeakKeyDictionary[Any, dict[Limits, SandboxedStore]] = (
    weakref.WeakKeyDictionary()
)


def _sandbox(atlas: Atlas, limits: Limits | None) -> SandboxedStore:
    """The atlas's own sandbox, or one with other limits (kept per atlas, stopped with it)."""
    with _START_LOCK:
        if limits is None or limits == atlas.limits:
            return atlas.sandbox()
        known = _SANDBOXES.setdefault(atlas, {})
        if limits not in known:
            sandbox = SandboxedStore.around(atlas.store, limits=limits)
            known[limits] = sandbox
            weakref.finalize(atlas, sandbox.close)
        return known[limits]


def close_sandboxes(atlas: Atlas) -> None:
    """Stop the workers started here for ``atlas`` with limits of their own (the atlas's own
    sandbox stops with ``atlas.close()``)."""
    with _START_LOCK:
        for sandbox in _SANDBOXES.pop(atlas, {}).values():
            sandbox.close()


def run_user_query(
    atlas: Atlas,
    text: str,
    *,
    lang: str = "en",
    example: str | None = None,
    params: tuple[tuple[str, str], ...] = (),
    limits: Limits | None = None,
) -> ResultView:
    """Run a person's SPARQL ``text`` in the sandbox (never in this process) and return its view.

    With ``example`` (a catalogue id), that query's declared parameters are bound as values:
    ``lang`` to ``lang`` unless ``params`` gives it, the others from ``params`` (name, value
    pairs as typed) or their defaults. ``limits`` default to the atlas's (``atlas.limits``).
    The catalogue's prefixes are declared for the text. Raises :class:`QueryProblem`, worded
    in ``lang``, for anything that stops the query.
    """
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
    try:
        if example is not None:
            query = _example_query(atlas, example)
            given = dict(params)
            if any(p.name == "lang" for p in query.params):
                given.setdefault("lang", lang)
            given = {k: v for k, v in given.items() if v != ""}
            bindings = query.bind(given)  # type: ignore[assignment]
        result = _sandbox(atlas, limits).query(
            text, bindings=bindings, prefixes=PREFIXES, source=SOURCE
        )
    except AtlasError as error:
        raise _problem(error, lang) from None
    return ResultView.of(result)


def limits_text(atlas: Atlas, *, lang: str = "en", limits: Limits | None = None) -> str:
    """The limits of a person's query, in words."""
    used = limits or atlas.limits
    return t(
        "ui.sparql.limits",
        lang,
        seconds=f"{used.timeout:g}",
        rows=f"{used.max_rows:,}",
        memory=f"{used.memory_mb:,}" if used.memory_mb else "—",
    )


# -- the examples -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExampleParam:
    """A parameter of an example: its name, type, description in a language, the default (as
    text, ``""`` for none), an example value and whether it is required."""

    name: str
    type: str
    description: str
    default: str
    example: str
    required: bool


@dataclass(frozen=True)
class Example:
    """A catalogue query offered as an example: id, title (its summary) and question in a
    language, the text for the editor (:func:`editor_text`) and its parameters (``lang``
    included, which the page sets)."""

    id: str
    title: str
    question: str
    text: str
    params: tuple[ExampleParam, ...]

    @property
    def label(self) -> str:
        """``id: title``, for a picker."""
        return f"{self.id}: {self.title}"


def editor_text(query: CatalogueQuery) -> str:
    """The text of a catalogue query for the editor: without its ``#+`` header lines."""
    lines = query.sparql.splitlines()
    start = 0
    while start < len(lines) and lines[start].startswith("#+"):
        start += 1
    return "\n".join(lines[start:]).strip() + "\n"


def _example_query(atlas: Atlas, query_id: str) -> CatalogueQuery:
    for query in atlas.catalogue():
        if query.id == query_id and query.group in EXAMPLE_GROUPS:
            return query
    raise ParameterError(f"no example query named {query_id!r}")


def catalogue_examples(atlas: Atlas, *, lang: str = "en") -> list[Example]:
    """The competency questions (``cq-*``, first) and the lookups of the catalogue, each group
    by id, in ``lang``."""
    examples = []
    ordered = sorted(atlas.catalogue(), key=lambda q: (q.group != "cq", q.id))
    for query in ordered:
        if query.group not in EXAMPLE_GROUPS:
            continue
        params = tuple(
            ExampleParam(
                name=p.name,
                type=p.type,
                description=p.description_for(lang),
                default="" if p.default is None else str(p.default),
                example="" if p.example is None else str(p.example),
                required=p.required,
            )
            for p in query.params
        )
        examples.append(
            Example(
                id=query.id,
                title=query.summary_for(lang),
                question=query.question_for(lang),
                text=editor_text(query),
                params=params,
            )
        )
    return examples


def example_by_id(examples: Sequence[Example], query_id: str | None) -> Example | None:
    """The example ``query_id`` of ``examples``, or ``None``."""
    return next((e for e in examples if e.id == query_id), None)


def params_for(example: Example | None, values: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The (name, value) pairs to bind for ``example`` from what the reader typed (``lang``
    left to the page); empty values are left out."""
    if example is None:
        return ()
    return tuple(
        (p.name, values[p.name]) for p in example.params if p.name != "lang" and values.get(p.name)
    )
