"""Every error a person can cause, each with a one-line message that says what and where.

The CLI prints ``error: <str(exc)>`` for any :class:`AtlasError` and exits with code 2 (1 for a
failed validation), never with a traceback.

>>> str(TurtleSyntaxError("graph_data/seed/x.ttl", 12, 5, "unexpected end of file"))
'graph_data/seed/x.ttl:12:5: Turtle syntax error: unexpected end of file'
>>> str(QueryNotFoundError.lookup("cq-03-headline", ["cq-003-headline", "cq-001-stages"]))
"no query named 'cq-03-headline'; did you mean cq-003-headline?"
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

__all__ = [
    "AtlasError",
    "CatalogueError",
    "ForbiddenQueryError",
    "FormatError",
    "ParameterError",
    "QueryLimitError",
    "QueryNotFoundError",
    "QueryStoppedError",
    "ReasonerError",
    "SparqlSyntaxError",
    "StoreError",
    "TurtleSyntaxError",
    "ValidationError",
    "sparql_error_from",
    "turtle_error_from",
]


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _where(source: str, line: int | None, column: int | None) -> str:
    parts = [source]
    if line is not None:
        parts.append(str(line))
        if column is not None:
            parts.append(str(column))
    return ":".join(parts)


def _soften(reason: str) -> str:
    """Lower-case a leading capital of an ordinary word (``Unexpected`` → ``unexpected``)."""
    reason = _one_line(reason)
    if len(reason) > 1 and reason[0].isupper() and reason[1].islower():
        return reason[0].lower() + reason[1:]
    return reason


class AtlasError(Exception):
    """Base class: an error a person can act on. ``str()`` is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(_one_line(message))

    @property
    def message(self) -> str:
        """The one-line message."""
        return str(self.args[0]) if self.args else ""

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross the process boundary of the query sandbox: rebuild them with their
        # attributes, whatever their constructor's signature.
        return (_restore, (type(self), self.message, dict(self.__dict__)))


def _restore(cls: type[AtlasError], message: str, state: dict[str, object]) -> AtlasError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class TurtleSyntaxError(AtlasError):
    """A Turtle (or N-Triples) file does not parse.

    >>> e = TurtleSyntaxError("ontology/a.ttl", 3, 1, "unexpected end of file")
    >>> (e.file, e.line, e.column)
    ('ontology/a.ttl', 3, 1)
    """

    def __init__(
        self,
        file: str,
        line: int | None,
        column: int | None,
        reason: str,
        *,
        syntax: str = "Turtle",
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.reason = _one_line(reason)
        self.syntax = syntax
        super().__init__(f"{_where(file, line, column)}: {syntax} syntax error: {self.reason}")


class SparqlSyntaxError(AtlasError):
    """A SPARQL query does not parse; ``source`` is the query's file, id or ``<query>``.

    >>> str(SparqlSyntaxError("queries/cq/cq-001-x.rq", 9, 3, "expected ."))
    'queries/cq/cq-001-x.rq:9:3: SPARQL syntax error: expected .'
    """

    def __init__(self, source: str, line: int | None, column: int | None, reason: str) -> None:
        self.source = source
        self.line = line
        self.column = column
        self.reason = _one_line(reason)
        super().__init__(f"{_where(source, line, column)}: SPARQL syntax error: {self.reason}")


class CatalogueError(AtlasError):
    """A query file's ``#+`` header is malformed (bad YAML, unknown parameter type, ...).

    >>> str(CatalogueError("queries/cq/x.rq", 4, "unknown parameter type 'number'"))
    "queries/cq/x.rq:4: unknown parameter type 'number'"
    """

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file = file
        self.line = line
        self.reason = _one_line(reason)
        super().__init__(f"{_where(file, line, None)}: {self.reason}")


class QueryNotFoundError(AtlasError):
    """No catalogue query has this id, or a prefix matches more than one.

    Build it with :meth:`lookup`, which finds the close matches.
    """

    def __init__(self, name: str, *, candidates: Sequence[str] = (), ambiguous: bool = False):
        self.name = name
        self.candidates = list(candidates)
        self.ambiguous = ambiguous
        if ambiguous:
            message = (
                f"'{name}' matches {len(self.candidates)} queries: "
                f"{', '.join(self.candidates)}; give more of the id"
            )
        elif self.candidates:
            message = f"no query named '{name}'; did you mean {', '.join(self.candidates)}?"
        else:
            message = f"no query named '{name}' in the catalogue"
        super().__init__(message)

    @classmethod
    def lookup(cls, name: str, known: Iterable[str], *, limit: int = 3) -> QueryNotFoundError:
        """The error for ``name`` not found among ``known`` ids, with up to ``limit`` suggestions.

        >>> QueryNotFoundError.lookup("stages", ["cq-001-stages-in-order"]).candidates
        ['cq-001-stages-in-order']
        """
        ids = sorted(set(known))
        scored = sorted(
            ((difflib.SequenceMatcher(None, name, i).ratio(), i) for i in ids), reverse=True
        )
        best = scored[0][0] if scored else 0.0
        close = [i for score, i in scored if score >= max(0.6, best - 0.1)][:limit]
        if not close:  # a word of the slug, e.g. "headline" for cq-003-headline
            close = [i for i in ids if name and name.lower() in i.lower()][:limit]
        return cls(name, candidates=close)


class ParameterError(AtlasError):
    """A query parameter is unknown, missing, or of the wrong type.

    >>> str(ParameterError("parameter 'n' expects an integer, got 'x'", query="cq-004", param="n"))
    "query cq-004: parameter 'n' expects an integer, got 'x'"
    """

    def __init__(self, message: str, *, query: str | None = None, param: str | None = None):
        self.query = query
        self.param = param
        super().__init__(f"query {query}: {message}" if query else message)


class QueryLimitError(AtlasError):
    """A query went past a limit: more result rows than ``max_rows`` (the default message), or
    another size limit given by ``message`` (text length, nesting depth)."""

    def __init__(self, source: str, limit: int, *, message: str | None = None) -> None:
        self.source = source
        self.max_rows = limit
        self.limit = limit
        super().__init__(
            f"{source}: {message}"
            if message is not None
            else f"{source}: more than {limit} result rows; add a LIMIT to the query "
            "or raise max_rows"
        )


class QueryStoppedError(AtlasError):
    """A person's query was stopped in its sandboxed worker: it ran past the time limit
    (``reason`` ``"timeout"``), needed more memory than the limit (``"memory"``) or crashed the
    worker (``"crash"``). The worker is replaced; the next query is answered normally.

    >>> str(QueryStoppedError("q.rq", "timeout", limit=10.0))
    'q.rq: the query was stopped after the time limit of 10 s'
    """

    def __init__(self, source: str, reason: str, *, limit: float | None = None, detail: str = ""):
        self.source = source
        self.reason = reason
        self.limit = limit
        if reason == "timeout":
            what = f"the query was stopped after the time limit of {limit:g} s"
        elif reason == "memory":
            what = f"the query was stopped: it needed more than the memory limit of {limit:g} MB"
        else:
            what = "the query crashed its worker process, which was replaced"
        super().__init__(f"{source}: {what}{f' ({detail})' if detail else ''}")


class ForbiddenQueryError(AtlasError):
    """A query asks for something the Atlas never does, such as a federated SERVICE call."""


class FormatError(AtlasError):
    """A result cannot be written in the asked-for format."""


class StoreError(AtlasError):
    """The store cannot be opened, read or written."""


class ReasonerError(AtlasError):
    """The reasoner failed or found the ontology inconsistent."""


class ValidationError(AtlasError):
    """The graph does not conform (SHACL or a quality-check query); ``report`` has the details."""

    def __init__(self, message: str, *, report: object = None) -> None:
        self.report = report
        super().__init__(message)


_TURTLE_PREFIX = re.compile(r"^Parser error (?:at|between) [^:]*?: ")
_TURTLE_POSITION = re.compile(r"line (\d+) (?:between )?columns? (\d+)")
_SPARQL_POSITION = re.compile(r"^error at (\d+):(\d+): ?(.*)$", re.DOTALL)
_PREFIXED_NAME_END = re.compile(r"(?:^|[^\w:.-])([A-Za-z][\w.-]*|):[^\s]*$")
_MAX_REASON = 160


def turtle_error_from(exc: SyntaxError, *, file: str, syntax: str = "Turtle") -> TurtleSyntaxError:
    """Turn pyoxigraph's ``SyntaxError`` for an RDF file into a :class:`TurtleSyntaxError`.

    >>> err = SyntaxError("Parser error between line 2 column 9 and line 3 column 1: Unexpected")
    >>> str(turtle_error_from(err, file="a.ttl"))
    'a.ttl:2:9: Turtle syntax error: unexpected'
    """
    text = str(exc.msg if exc.msg is not None else exc)
    line: int | None = exc.lineno
    column: int | None = exc.offset
    if line is None:
        found = _TURTLE_POSITION.search(text)
        if found:
            line, column = int(found.group(1)), int(found.group(2))
    return TurtleSyntaxError(
        file, line, column, _soften(_TURTLE_PREFIX.sub("", text)), syntax=syntax
    )


def _undeclared_prefix(text: str | None, line: int, column: int) -> str | None:
    """The prefix of the prefixed name that ends just before ``line:column`` in ``text``."""
    if text is None:
        return None
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    found = _PREFIXED_NAME_END.search(lines[line - 1][: max(column - 1, 0)])
    return found.group(1) if found else None


def sparql_error_from(
    exc: SyntaxError, *, source: str, line_offset: int = 0, text: str | None = None
) -> SparqlSyntaxError:
    """Turn pyoxigraph's SPARQL ``SyntaxError`` ("error at 2:9: ...") into a typed error.

    ``line_offset`` is added to the line when the parsed text started below line 1 of ``source``.
    Given the query ``text``, an undeclared prefix is named; very long "expected one of ..."
    lists are cut short.

    >>> err = SyntaxError("error at 2:9: expected .")
    >>> str(sparql_error_from(err, source="q.rq", line_offset=3))
    'q.rq:5:9: SPARQL syntax error: expected .'
    """
    message = str(exc.msg if exc.msg is not None else exc)
    found = _SPARQL_POSITION.match(message.strip())
    if not found:
        return SparqlSyntaxError(source, None, None, _soften(message))
    line, column = int(found.group(1)), int(found.group(2))
    reason = _soften(found.group(3))
    if "Prefix not found" in reason:
        prefix = _undeclared_prefix(text, line, column)
        reason = (
            f"the prefix {prefix}: is not declared (add a PREFIX line)"
            if prefix is not None
            else "a prefix is not declared (add a PREFIX line)"
        )
    elif len(reason) > _MAX_REASON:
        reason = reason[: _MAX_REASON - 1].rstrip(" ,") + "…"
    return SparqlSyntaxError(source, line + line_offset, column, reason)
