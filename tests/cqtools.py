"""Helpers shared by the competency-question tests: exact answers as tuples of short IRIs."""

from __future__ import annotations

from typing import Any

from pipeline_atlas import Atlas

ID = "https://w3id.org/pipeline-atlas/id/"


def short(value: Any) -> Any:
    """An instance IRI without the common base (``stage/police-stop``); other values as they are."""
    return value.removeprefix(ID) if isinstance(value, str) else value


def table(atlas: Atlas, name: str, columns: list[str], **params: str) -> list[tuple[Any, ...]]:
    """The rows of catalogue query ``name`` with ``params``, as tuples of the given columns."""
    result = atlas.query(name, params=params or None)
    return [tuple(short(row[c]) for c in columns) for row in result.rows]


# The four stages of the source document, as the graph labels them, in order.
STAGES_EN = [
    "Police Stop",
    "Police Arrest & Local Police Department Lockup",
    "State Crime Conviction",
    "Federal Crime Conviction",
]
STAGES_ES = [
    "Parada policial",
    "Arresto policial y celda de detención de la policía local",
    "Condena por un delito estatal",
    "Condena por un delito federal",
]
