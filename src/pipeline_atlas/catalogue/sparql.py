"""SPARQL text without a parser: bind values as a typed ``VALUES`` block, and inspect a query.

Two jobs that must never run a query, so they work on the text alone (comments, strings and IRIs
are skipped, so a word inside them never counts):

* :func:`bind_values` binds parameters, the one way every store backend gets them;
* :func:`inspect_query` finds a query's form (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``)
  and refuses, before any parser sees the text, what the Atlas never runs: updates, federated
  ``SERVICE`` calls (unless each names, as a full IRI, an endpoint the operator allows: see
  :func:`service_allow_list`), texts longer than a limit, and nesting deeper than a limit
  (pyoxigraph's parser recurses and overflows its stack on a query nested some thousands deep).

Binding, in detail:

pyoxigraph's ``substitutions`` only accepts variables that the ``SELECT`` clause projects, but a
catalogue query's parameters (a language, a stage to filter on) are often not output columns. So
values are bound the way SPARQL itself allows: an inline ``VALUES`` block placed as the first
element of the query's top-level ``WHERE`` group, written from RDF terms in their canonical
N-Triples form (never from the user's raw text), so nothing a user types can change the query's
structure. Placing it first means every ``BIND``, ``FILTER`` and ``OPTIONAL`` of the group sees the
values; the block stays on the line of the opening brace, so line numbers are unchanged.

>>> import pyoxigraph as ox
>>> q = 'SELECT ?s WHERE { ?s ?p ?o }'
>>> bind_values(q, {"o": ox.Literal('x" } DROP ALL #')})
'SELECT ?s WHERE { VALUES ( ?o ) { ( "x\\\\" } DROP ALL #" ) } ?s ?p ?o }'
"""

from __future__ import annotations

import functools
import re
import urllib.parse
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Literal, TypeAlias

import pyoxigraph as ox

from ..errors import ForbiddenQueryError, ParameterError, QueryLimitError, SparqlSyntaxError

__all__ = [
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_LENGTH",
    "QueryForm",
    "bind_values",
    "inspect_query",
    "keywords",
    "prefix_prologue",
    "service_allow_list",
    "where_group_offset",
]

Term = ox.NamedNode | ox.Literal | ox.BlankNode

_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _skip(text: str, i: int) -> int:
    """Return the index after the comment, string or IRI starting at ``i`` (or ``i`` itself)."""
    ch = text[i]
    if ch == "#":
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    if ch in "\"'":
        triple = text[i : i + 3]
        if triple in ('"""', "'''"):
            end = text.find(triple, i + 3)
            while end > 0 and text[end - 1] == "\\":
                end = text.find(triple, end + 1)
            return len(text) if end < 0 else end + 3
        j = i + 1
        while j < len(text) and text[j] != ch and text[j] != "\n":
            j += 2 if text[j] == "\\" else 1
        return j + 1
    if ch == "<":
        m = _IRIREF.match(text, i)
        if m:
            return m.end()
    return i


_PREFIXED = re.compile(r"([A-Za-z][A-Za-z0-9_.-]*)?:[A-Za-z0-9_.%:\\-]*")
_LANGTAG = re.compile(r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*")


def _tokens(query: str) -> Iterator[tuple[str, int, str]]:
    """The tokens that matter for reading a query without a parser, as ``(kind, index, text)``:
    ``word`` (a bare word, upper-cased: a keyword or ``a``), ``pname`` (a prefixed name; the
    text is its prefix) and ``punct`` (any other character but white space). Comments, strings,
    IRIs, variables and language tags are skipped, so a word inside them never counts.

    >>> [t for t in _tokens('PREFIX ex: <http://e.org/> ASK { ?service ex:SERVICE "SERVICE"@en }')]
    [('word', 0, 'PREFIX'), ('pname', 7, 'ex'), ('word', 27, 'ASK'), ('punct', 31, '{'), \
('pname', 42, 'ex'), ('punct', 66, '}')]
    """
    i = 0
    while i < len(query):
        j = _skip(query, i)
        if j != i:
            i = j
            continue
        ch = query[i]
        if ch in "?$":
            m = _WORD.match(query, i + 1)
            i = m.end() if m else i + 1
            continue
        if ch == "@":
            m = _LANGTAG.match(query, i)
            i = m.end() if m else i + 1
            continue
        if ch.isalpha() or ch in "_:":
            m = _PREFIXED.match(query, i)
            if m:
                yield ("pname", i, m.group(1) or "")
                i = m.end()
                continue
            w = _WORD.match(query, i)
            if w:
                yield ("word", i, w.group(0).upper())
                i = w.end()
                continue
        if not ch.isspace():
            yield ("punct", i, ch)
        i += 1


@functools.lru_cache(maxsize=256)
def where_group_offset(query: str) -> int:
    """Index just after the ``{`` that opens the query's top-level ``WHERE`` group (kept for the
    last texts asked: a catalogue query is bound again and again).

    Comments, strings and IRIs are skipped. For ``CONSTRUCT`` the ``WHERE`` keyword is required
    (its template also uses braces); for the other forms the first brace is the group.

    >>> where_group_offset('SELECT * # {\\nWHERE { ?s ?p ?o }')
    20
    >>> where_group_offset('ASK { ?s ?p "{" }')
    5

    Raises ``ValueError`` when no group is found.
    """
    need_where = seen_where = False
    for kind, index, text in _tokens(query):
        if kind == "punct" and text == "{" and (seen_where or not need_where):
            return index + 1
        if kind == "word":
            need_where = need_where or text == "CONSTRUCT"
            seen_where = seen_where or text == "WHERE"
    raise ValueError("the query has no WHERE group to bind parameters into")


def bind_values(query: str, bindings: Mapping[str, Term]) -> str:
    """Return ``query`` with ``bindings`` as a ``VALUES`` block at the start of its WHERE group.

    Variable names are checked against the SPARQL grammar; values are pyoxigraph terms, written
    in their escaped N-Triples form. With no bindings the query is returned unchanged.
    """
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not _VARNAME.match(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    at = where_group_offset(query)
    variables = " ".join(f"?{n}" for n in names)
    values = " ".join(str(bindings[n]) for n in names)
    block = f" VALUES ( {variables} ) {{ ( {values} ) }}"
    return query[:at] + block + query[at:]


def keywords(query: str) -> set[str]:
    """The upper-cased words of ``query`` outside comments, strings, IRIs, prefixed names and
    variable names.

    >>> sorted(keywords('SELECT * WHERE { ?service <http://e.org/SERVICE> "SERVICE" } # SERVICE'))
    ['SELECT', 'WHERE']
    """
    return {text for kind, _, text in _tokens(query) if kind == "word"}


QueryForm: TypeAlias = Literal["select", "ask", "construct", "describe"]

DEFAULT_MAX_LENGTH = 200_000
"""Characters a person's query text may have."""

DEFAULT_MAX_DEPTH = 100
"""Nesting of ``{}``, ``()`` and ``[]`` a person's query may have (catalogue queries use < 10)."""

_FORMS: dict[str, QueryForm] = {
    "SELECT": "select",
    "ASK": "ask",
    "CONSTRUCT": "construct",
    "DESCRIBE": "describe",
}
_UPDATES = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
_OPEN = "{(["
_CLOSE = "})]"


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def service_allow_list(urls: Iterable[str]) -> tuple[str, ...]:
    """The endpoints an operator allows ``SERVICE`` to call, checked: each an absolute ``http``
    or ``https`` URL that is also a valid IRI (no spaces, no ``<>"{}|^`\\``).

    >>> service_allow_list(["http://127.0.0.1:7879/query", "http://127.0.0.1:7879/query"])
    ('http://127.0.0.1:7879/query',)
    >>> service_allow_list(["ftp://e.org/"])
    Traceback (most recent call last):
    ...
    pipeline_atlas.errors.ParameterError: --allow-service: 'ftp://e.org/' is not an absolute \
http(s) URL (such as http://127.0.0.1:7879/query)
    """
    allowed: list[str] = []
    for url in urls:
        parts = urllib.parse.urlsplit(url) if _IRIREF.fullmatch(f"<{url}>") else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise ParameterError(
                f"--allow-service: {url!r} is not an absolute http(s) URL "
                "(such as http://127.0.0.1:7879/query)"
            )
        if url not in allowed:
            allowed.append(url)
    return tuple(allowed)


def _service_target(query: str, after: int) -> tuple[str, str]:
    """What the ``SERVICE`` keyword ending at ``after`` names: ``("iri", value)``,
    ``("variable", name)`` or ``("other", text)`` (a prefixed name, say), skipping white space,
    comments and ``SILENT``."""
    i = after
    silent = False
    while i < len(query):
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch == "#":
            i = _skip(query, i)
        elif not silent and query[i : i + 6].upper() == "SILENT":
            silent = True
            i += 6
        else:
            break
    if i < len(query) and query[i] == "<":
        m = _IRIREF.match(query, i)
        if m:
            return ("iri", m.group(0)[1:-1])
    if i < len(query) and query[i] in "?$":
        m = _WORD.match(query, i + 1)
        return ("variable", query[i] + (m.group(0) if m else ""))
    return ("other", query[i : i + 40])


def _check_service(query: str, index: int, where: str, allow_service: Collection[str]) -> None:
    """Refuse the ``SERVICE`` at ``index`` unless it names an allowed endpoint as a full IRI."""
    if not allow_service:
        raise ForbiddenQueryError(
            f"{where}: SERVICE is not allowed: the Atlas answers from its own graph and never "
            "contacts another host"
        )
    kind, target = _service_target(query, index + len("SERVICE"))
    if kind == "iri" and target in allow_service:
        return
    if kind == "iri":
        reason = f"<{target}> is not among the endpoints the operator allows"
    elif kind == "variable":
        reason = f"its endpoint is a variable ({target}); name an allowed endpoint as <IRI>"
    else:
        reason = "its endpoint must be written as a full <IRI> among those the operator allows"
    raise ForbiddenQueryError(
        f"{where}: SERVICE is not allowed: {reason} ({', '.join(sorted(allow_service))})"
    )


def inspect_query(
    query: str,
    *,
    source: str = "<query>",
    max_length: int | None = DEFAULT_MAX_LENGTH,
    max_depth: int | None = DEFAULT_MAX_DEPTH,
    allow_service: Collection[str] = (),
) -> QueryForm:
    """The form of ``query`` (``select``, ``ask``, ``construct`` or ``describe``), read from its
    text without parsing or running it.

    Raises :class:`~pipeline_atlas.errors.ForbiddenQueryError` for an update or a ``SERVICE``
    call, :class:`~pipeline_atlas.errors.QueryLimitError` for a text longer than ``max_length``
    characters or nested deeper than ``max_depth``, and
    :class:`~pipeline_atlas.errors.SparqlSyntaxError` when no query form is found. The full
    syntax is checked by the store's parser when the query runs (in a sandboxed worker for a
    person's text), before anything is evaluated.

    ``allow_service`` lists the endpoints (exact IRIs) an operator lets ``SERVICE`` call; a
    ``SERVICE`` is then allowed only when it names one of them as a full ``<IRI>`` (never a
    variable, nor a prefixed name).

    >>> inspect_query("PREFIX ex: <http://e.org/> DESCRIBE ex:a")
    'describe'
    >>> inspect_query("SELECT * WHERE { SERVICE <http://e.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    pipeline_atlas.errors.ForbiddenQueryError: <query>:1:18: SERVICE is not allowed: \
the Atlas answers from its own graph and never contacts another host
    >>> allowed = ["http://e.org/sparql"]
    >>> inspect_query("ASK { SERVICE <http://e.org/sparql> { ?s ?p ?o } }", allow_service=allowed)
    'ask'
    >>> inspect_query("ASK { SERVICE SILENT <http://f.org/> {} }", allow_service=allowed)
    Traceback (most recent call last):
    ...
    pipeline_atlas.errors.ForbiddenQueryError: <query>:1:7: SERVICE is not allowed: \
<http://f.org/> is not among the endpoints the operator allows (http://e.org/sparql)
    >>> inspect_query("SELECT * WHERE " + "{" * 200 + "}" * 200, source="q.rq")
    Traceback (most recent call last):
    ...
    pipeline_atlas.errors.QueryLimitError: q.rq:1:116: the query is nested deeper than 100 \
levels (the limit); flatten its groups
    """
    if max_length is not None and len(query) > max_length:
        raise QueryLimitError(
            source,
            max_length,
            message=f"the query has {len(query):,} characters, more than the limit of "
            f"{max_length:,}",
        )
    form: QueryForm | None = None
    depth = 0
    for kind, index, text in _tokens(query):
        if kind == "punct" and text in _OPEN:
            depth += 1
            if max_depth is not None and depth > max_depth:
                line, column = _position(query, index)
                raise QueryLimitError(
                    f"{source}:{line}:{column}",
                    max_depth,
                    message=f"the query is nested deeper than {max_depth} levels (the limit); "
                    "flatten its groups",
                )
        elif kind == "punct" and text in _CLOSE:
            depth = max(depth - 1, 0)
        elif kind == "word":
            line, column = _position(query, index)
            if text == "SERVICE":
                _check_service(query, index, f"{source}:{line}:{column}", allow_service)
            if form is None and text in _UPDATES:
                raise ForbiddenQueryError(
                    f"{source}:{line}:{column}: {text} is an update; the Atlas only reads "
                    "(SELECT, ASK, CONSTRUCT, DESCRIBE)"
                )
            if form is None and text in _FORMS:
                form = _FORMS[text]
    if form is None:
        raise SparqlSyntaxError(
            source, 1, 1, "no query form found: expected SELECT, ASK, CONSTRUCT or DESCRIBE"
        )
    return form


def prefix_prologue(query: str, prefixes: Mapping[str, str]) -> str:
    """``PREFIX`` declarations, on one line, for the prefixes of ``prefixes`` that ``query``
    uses without declaring them (a text to put before the query; empty if none is needed).

    >>> prefix_prologue("SELECT * { ?s a skos:Concept }", {"skos": "http://s/", "owl": "http://o/"})
    'PREFIX skos: <http://s/> '
    >>> prefix_prologue("PREFIX skos: <http://x/> ASK { ?s a skos:C }", {"skos": "http://s/"})
    ''
    """
    used: set[str] = set()
    declared: set[str] = set()
    previous = ""
    for kind, _, text in _tokens(query):
        if kind == "pname":
            (declared if previous == "PREFIX" else used).add(text)
        previous = text if kind == "word" else ""
    wanted = [p for p in prefixes if p in used and p not in declared]
    return "".join(f"PREFIX {p}: <{prefixes[p]}> " for p in wanted)
