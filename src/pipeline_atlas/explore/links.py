"""Nodes in page links: ``?node=id/body/oakland-city-council`` stands for the graph's IRI
``https://w3id.org/pipeline-atlas/id/body/oakland-city-council``.

>>> node_param("https://w3id.org/pipeline-atlas/id/body/oakland-city-council")
'id/body/oakland-city-council'
>>> node_iri("id/body/oakland-city-council")
'https://w3id.org/pipeline-atlas/id/body/oakland-city-council'
>>> node_iri("http://www.w3.org/ns/org#Organization")
'http://www.w3.org/ns/org#Organization'
>>> node_iri("id/x y")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pipeline_atlas.errors.ParameterError: 'id/x y' is not a node of the graph: ...
"""

from __future__ import annotations

import re

from ..errors import ParameterError

BASE = "https://w3id.org/pipeline-atlas/"
"""What every node of the project's own starts with (``id/…``, ``ont/…``)."""

_SAFE = re.compile(r"[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+")


def node_param(iri: str) -> str:
    """The short form of ``iri`` for a page link (the project's prefix dropped)."""
    return iri[len(BASE) :] if iri.startswith(BASE) else iri


def node_iri(param: str) -> str:
    """The IRI a page link's ``node`` stands for; raises ``ParameterError`` for text that is not
    one (spaces, quotes, angle brackets)."""
    text = param.strip()
    if not text or not _SAFE.fullmatch(text):
        raise ParameterError(
            f"{param!r} is not a node of the graph: a node is written as id/KIND/NAME or as a "
            "full http(s) IRI"
        )
    if text.startswith(("http://", "https://")):
        return text
    if text.startswith(("id/", "ont/")):
        return BASE + text
    raise ParameterError(
        f"{param!r} is not a node of the graph: a node is written as id/KIND/NAME or as a "
        "full http(s) IRI"
    )
