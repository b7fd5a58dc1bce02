"""Bind parameter values into a SPARQL query as a typed ``VALUES`` block.

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

import re
from collections.abc import Mapping

import pyoxigraph as ox

__all__ = ["bind_values", "keywords", "where_group_offset"]

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


def where_group_offset(query: str) -> int:
    """Index just after the ``{`` that opens the query's top-level ``WHERE`` group.

    Comments, strings and IRIs are skipped. For ``CONSTRUCT`` the ``WHERE`` keyword is required
    (its template also uses braces); for the other forms the first brace is the group.

    >>> where_group_offset('SELECT * # {\\nWHERE { ?s ?p ?o }')
    20
    >>> where_group_offset('ASK { ?s ?p "{" }')
    5

    Raises ``ValueError`` when no group is found.
    """
    i = 0
    need_where = False
    seen_where = False
    while i < len(text_ := query):
        j = _skip(text_, i)
        if j != i:
            i = j
            continue
        ch = text_[i]
        if ch == "{" and (seen_where or not need_where):
            return i + 1
        m = _WORD.match(text_, i) if (ch.isalpha() or ch == "_") else None
        if m:
            word = m.group(0).upper()
            if word == "CONSTRUCT":
                need_where = True
            elif word == "WHERE":
                seen_where = True
            i = m.end()
            continue
        if ch in "?$":
            m = _WORD.match(text_, i + 1)
            i = m.end() if m else i + 1
            continue
        i += 1
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
    """The upper-cased words of ``query`` outside comments, strings, IRIs and variable names.

    Used to refuse a federated ``SERVICE`` call before the store would contact another host.

    >>> sorted(keywords('SELECT * WHERE { ?service <http://e.org/SERVICE> "SERVICE" } # SERVICE'))
    ['SELECT', 'WHERE']
    """
    words: set[str] = set()
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
        m = _WORD.match(query, i) if (ch.isalpha() or ch == "_") else None
        if m:
            # a prefixed name (ex:SERVICE) is a term, not a keyword
            if not (m.end() < len(query) and query[m.end()] == ":") and not (
                i > 0 and query[i - 1] == ":"
            ):
                words.add(m.group(0).upper())
            i = m.end()
            continue
        i += 1
    return words
