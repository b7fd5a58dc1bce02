"""Our namespaces and the one prefix table used by the library, the CLI, the UI and the queries.

``PA`` is a :class:`Namespace`: a string whose attributes are the terms under it (no rdflib, so
that ``import pipeline_atlas`` stays light).

>>> str(PA.Stage)
'https://w3id.org/pipeline-atlas/ont/Stage'
>>> shorten("https://w3id.org/pipeline-atlas/id/stage/police-stop")
'stage:police-stop'
>>> expand("stage:police-stop")
'https://w3id.org/pipeline-atlas/id/stage/police-stop'
>>> print(sparql_prefixes({"pa": PREFIXES["pa"], "rdfs": PREFIXES["rdfs"]}))
PREFIX pa: <https://w3id.org/pipeline-atlas/ont/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = [
    "BASE",
    "IMPORT_GRAPHS",
    "INFERRED_GRAPH",
    "METADATA_GRAPH",
    "PA",
    "PAG",
    "PAID",
    "PASH",
    "PREFIXES",
    "Namespace",
    "expand",
    "shorten",
    "sparql_prefixes",
]

BASE = "https://w3id.org/pipeline-atlas/"
"""The root of every IRI we mint."""

_ID = BASE + "id/"

#: Instance kinds that have their own short prefix (``stage:police-stop``).
INSTANCE_KINDS = (
    "stage",
    "body",
    "office",
    "action",
    "flow",
    "passage",
    "proceeding",
    "instrument",
    "jurisdiction",
    "source",
    "vocab",
    "program",
    "agreement",
    "geometry",
    "community",
    "glossary",
)

PREFIXES: dict[str, str] = {
    "pa": BASE + "ont/",
    "paid": _ID,
    **{kind: f"{_ID}{kind}/" for kind in INSTANCE_KINDS},
    "pash": BASE + "shapes/",
    "pag": BASE + "graph/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "sh": "http://www.w3.org/ns/shacl#",
}
"""Prefix → namespace IRI, the one table (see docs/architecture.md)."""


class Namespace(str):
    """A namespace IRI whose attributes (and items) are the IRIs of its terms.

    >>> Namespace("https://e.org/")["a b"]
    'https://e.org/a b'
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return str(self) + name

    def __getitem__(self, name: object) -> str:
        return str(self) + str(name)


PA = Namespace(PREFIXES["pa"])
PAID = Namespace(PREFIXES["paid"])
PASH = Namespace(PREFIXES["pash"])
PAG = Namespace(PREFIXES["pag"])

INFERRED_GRAPH = PREFIXES["pag"] + "inferred"
"""The named graph that holds the reasoner's output."""

IMPORT_GRAPHS = PREFIXES["pag"] + "import/"
"""The namespace of the import graphs (``pag:import/<name>``): partner data waiting for a
maintainer's review, outside the default graph of queries until it is merged."""

METADATA_GRAPH = PREFIXES["pag"] + "metadata"
"""The named graph that describes the dataset (DCAT/VoID: counts, subsets, sources' licences),
made by :func:`pipeline_atlas.exchange.metadata.dataset_metadata`."""


def sparql_prefixes(
    prefixes: Mapping[str, str] = PREFIXES, *, only: Iterable[str] | None = None
) -> str:
    """SPARQL ``PREFIX`` lines for a prefix table (optionally only the named prefixes).

    >>> sparql_prefixes(only=["skos"])
    'PREFIX skos: <http://www.w3.org/2004/02/skos/core#>'
    """
    names = list(prefixes) if only is None else list(only)
    return "\n".join(f"PREFIX {name}: <{prefixes[name]}>" for name in names)


def shorten(iri: str, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """The shortest prefixed name for ``iri`` (longest matching namespace), or ``iri`` itself.

    >>> shorten("http://www.w3.org/2000/01/rdf-schema#label")
    'rdfs:label'
    >>> shorten("https://example.org/x")
    'https://example.org/x'
    """
    best: tuple[str, str] | None = None
    for prefix, namespace in prefixes.items():
        longer = best is None or len(namespace) > len(best[1])
        if longer and iri.startswith(namespace) and len(iri) > len(namespace):
            best = (prefix, namespace)
    if best is None:
        return iri
    return f"{best[0]}:{iri[len(best[1]) :]}"


def expand(name: str, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """The full IRI for a prefixed name; raises ``KeyError`` for an unknown prefix.

    >>> expand("pa:Stage")
    'https://w3id.org/pipeline-atlas/ont/Stage'
    """
    prefix, sep, local = name.partition(":")
    if not sep:
        raise KeyError(name)
    return prefixes[prefix] + local
