"""What the endpoint says about itself: the SPARQL service description and VoID (at ``/``),
the query catalogue as RDF (``/api/catalogue``: each query a SHACL ``sh:SPARQLExecutable``, the
convention of the SIB SPARQL examples) and as OpenAPI 3.1 (``/api/openapi.json``).

Everything here is built from RDF terms and the catalogue's ``#+`` headers; no text of a request
reaches a query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox

from ..catalogue import CatalogueQuery, Param
from ..namespaces import PREFIXES
from .formats import GRAPH_FORMATS, RESULT_FORMATS

__all__ = [
    "DESCRIBE_PREFIXES",
    "catalogue_graph",
    "catalogue_listing",
    "openapi",
    "query_form",
    "service_description",
]

_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_XSD = PREFIXES["xsd"]
_SD = "http://www.w3.org/ns/sparql-service-description#"
_VOID = PREFIXES["void"]
_SH = "http://www.w3.org/ns/shacl#"
_SCHEMA = "https://schema.org/"
_DCTERMS = PREFIXES["dcterms"]
DATASET = PREFIXES["paid"] + "dataset"
"""The dataset's IRI (``graph_data/dataset.ttl``)."""

DESCRIBE_PREFIXES = {
    "sd": _SD,
    "void": _VOID,
    "sh": _SH,
    "schema": _SCHEMA,
    "rdfs": _RDFS,
    "xsd": _XSD,
    "dcterms": _DCTERMS,
    "dcat": PREFIXES["dcat"],
    "paid": PREFIXES["paid"],
    "pag": PREFIXES["pag"],
}
"""The prefixes of the graphs written here (Turtle)."""


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _type(subject: ox.NamedNode | ox.BlankNode, cls: str) -> ox.Triple:
    return ox.Triple(subject, _iri(_RDF + "type"), _iri(cls))


def service_description(
    base: str,
    *,
    named_graphs: Sequence[str],
    triples: int,
    dataset: Iterable[ox.Triple] = (),
) -> list[ox.Triple]:
    """The ``sd:Service`` at ``base`` + ``/sparql`` and the ``void:Dataset`` it serves.

    ``dataset`` is the store's own description of the dataset (``paid:dataset`` in
    ``graph_data/dataset.ttl``); VoID's counts, endpoint and data dump are added to it.

    >>> g = service_description("http://127.0.0.1:7878", named_graphs=["https://e.org/g"],
    ...                         triples=3)
    >>> any(t.object == ox.NamedNode("http://127.0.0.1:7878/sparql") for t in g)
    True
    """
    base = base.rstrip("/")
    service = _iri(f"{base}/sparql")
    data = _iri(DATASET)
    default_dataset = ox.BlankNode("defaultDataset")
    default_graph = ox.BlankNode("defaultGraph")
    out: list[ox.Triple] = [
        _type(service, _SD + "Service"),
        ox.Triple(service, _iri(_SD + "endpoint"), service),
        ox.Triple(service, _iri(_SD + "supportedLanguage"), _iri(_SD + "SPARQL11Query")),
        ox.Triple(service, _iri(_SD + "feature"), _iri(_SD + "UnionDefaultGraph")),
        ox.Triple(service, _iri(_SD + "defaultDataset"), default_dataset),
        ox.Triple(
            service,
            _iri(_RDFS + "label"),
            ox.Literal("Pipeline Atlas SPARQL endpoint", language="en"),
        ),
        ox.Triple(
            service,
            _iri(_RDFS + "label"),
            ox.Literal("Punto de acceso SPARQL de Pipeline Atlas", language="es"),
        ),
        ox.Triple(service, _iri(_RDFS + "seeAlso"), _iri(f"{base}/api/catalogue")),
        ox.Triple(service, _iri(_RDFS + "seeAlso"), _iri(f"{base}/api/openapi.json")),
        _type(default_dataset, _SD + "Dataset"),
        ox.Triple(default_dataset, _iri(_SD + "defaultGraph"), default_graph),
        _type(default_graph, _SD + "Graph"),
        ox.Triple(default_graph, _iri(_VOID + "triples"), ox.Literal(triples)),
        ox.Triple(
            default_graph,
            _iri(_RDFS + "comment"),
            ox.Literal("The default graph is the union of the named graphs.", language="en"),
        ),
        ox.Triple(
            default_graph,
            _iri(_RDFS + "comment"),
            ox.Literal(
                "El grafo predeterminado es la unión de los grafos con nombre.", language="es"
            ),
        ),
    ]
    for fmt in (*RESULT_FORMATS, *GRAPH_FORMATS):
        out.append(ox.Triple(service, _iri(_SD + "resultFormat"), _iri(fmt.w3c)))
    for number, graph in enumerate(named_graphs):
        node = ox.BlankNode(f"namedGraph{number}")
        out += [
            ox.Triple(default_dataset, _iri(_SD + "namedGraph"), node),
            _type(node, _SD + "NamedGraph"),
            ox.Triple(node, _iri(_SD + "name"), _iri(graph)),
        ]
    out += list(dataset)
    out += [
        _type(data, _VOID + "Dataset"),
        ox.Triple(data, _iri(_VOID + "sparqlEndpoint"), service),
        ox.Triple(data, _iri(_VOID + "triples"), ox.Literal(triples)),
        ox.Triple(data, _iri(_VOID + "dataDump"), _iri(f"{base}/store?default")),
        ox.Triple(data, _iri(_VOID + "uriSpace"), ox.Literal(PREFIXES["paid"])),
        ox.Triple(data, _iri(_VOID + "rootResource"), _iri(PREFIXES["pa"])),
        ox.Triple(service, _iri(_SD + "defaultDataset"), default_dataset),
        ox.Triple(default_dataset, _iri(_RDFS + "seeAlso"), data),
    ]
    return sorted(set(out), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


_SH_FORM = {
    "select": ("SPARQLSelectExecutable", "select"),
    "ask": ("SPARQLAskExecutable", "ask"),
    "construct": ("SPARQLConstructExecutable", "construct"),
    "describe": ("SPARQLDescribeExecutable", "describe"),
}


def catalogue_graph(base: str, queries: Iterable[CatalogueQuery]) -> list[ox.Triple]:
    """Each catalogue query as ``sh:SPARQLExecutable`` (``sh:SPARQLSelectExecutable`` …) with
    ``sh:select`` (or ``sh:ask``, ``sh:construct``) holding its text, its question as
    ``rdfs:comment`` and its summary as ``rdfs:label``, each in English and Spanish (the header's
    ``question``/``question_es`` and ``summary``/``summary_es``), ``schema:target`` the endpoint
    and ``schema:keywords`` its tags. A query's IRI is its API URL."""
    base = base.rstrip("/")
    endpoint = _iri(f"{base}/sparql")
    out: list[ox.Triple] = []
    for query in queries:
        node = _iri(f"{base}/api/{query.id}")
        cls, prop = _SH_FORM.get(query_form(query), _SH_FORM["select"])
        out += [
            _type(node, _SH + "SPARQLExecutable"),
            _type(node, _SH + cls),
            ox.Triple(node, _iri(_SH + prop), ox.Literal(query.body)),
            ox.Triple(node, _iri(_SCHEMA + "target"), endpoint),
            ox.Triple(node, _iri(_SCHEMA + "identifier"), ox.Literal(query.id)),
        ]
        for prop, english, spanish in (
            ("comment", query.question, query.question_es),
            ("label", query.summary, query.summary_es),
        ):
            for text, lang in ((english, "en"), (spanish, "es")):
                if text:
                    out.append(ox.Triple(node, _iri(_RDFS + prop), ox.Literal(text, language=lang)))
        for tag in query.tags:
            out.append(ox.Triple(node, _iri(_SCHEMA + "keywords"), ox.Literal(tag)))
    return out


def query_form(query: CatalogueQuery) -> str:
    """The form of a catalogue query (select, ask, construct or describe), read from its text."""
    from ..catalogue.sparql import inspect_query

    try:
        return inspect_query(query.sparql, max_length=None, max_depth=None)
    except Exception:
        return str(query.kind)


_OPENAPI_TEXTS = {
    "en": {
        "format": "The answer's format, instead of the Accept header.",
        "error": "A one-line error",
        "answer": "The answer ({form}).",
        "title": "Pipeline Atlas query catalogue",
        "about": "Every query of the catalogue as a web API; parameters are bound, never pasted "
        "into the query.",
    },
    "es": {
        "format": "El formato de la respuesta, en lugar del encabezado Accept.",
        "error": "Un error en una línea",
        "answer": "La respuesta ({form}).",
        "title": "Catálogo de consultas de Pipeline Atlas",
        "about": "Cada consulta del catálogo como API web; los parámetros se vinculan, nunca se "
        "pegan en la consulta.",
    },
}
"""The OpenAPI description's own words, in each language."""


def _lang(lang: str) -> str:
    return lang if lang in _OPENAPI_TEXTS else "en"


def _translations(query: CatalogueQuery) -> dict[str, dict[str, str]]:
    """A query's texts in both languages (for a client that shows either)."""
    return {
        lang: {
            "summary": query.summary_for(lang),
            "question": query.question_for(lang),
            "description": query.description_for(lang),
        }
        for lang in ("en", "es")
    }


def _param_doc(param: Param, lang: str) -> dict[str, Any]:
    return {
        "name": param.name,
        "type": param.type,
        "required": param.required,
        "description": param.description_for(lang),
        "descriptions": {code: param.description_for(code) for code in ("en", "es")},
        "example": param.example,
        "default": param.default,
        **({"base": param.base} if param.base else {}),
    }


def catalogue_listing(
    base: str, queries: Iterable[CatalogueQuery], *, lang: str = "en"
) -> list[dict[str, Any]]:
    """The catalogue as JSON-ready records: id, group, summary, question and description (in
    ``lang``; both languages under ``translations``), tags, parameters (description in ``lang``,
    both under ``descriptions``), the URL of the API and an example URL (the parameters'
    examples)."""
    base = base.rstrip("/")
    lang = _lang(lang)
    listing = []
    for query in queries:
        example = "&".join(
            f"{p.name}={p.example}" for p in query.params if p.example is not None and p.required
        )
        listing.append(
            {
                "id": query.id,
                "group": query.group,
                "summary": query.summary_for(lang),
                "question": query.question_for(lang),
                "description": query.description_for(lang),
                "translations": _translations(query),
                "tags": list(query.tags),
                "form": query_form(query),
                "parameters": [_param_doc(p, lang) for p in query.params],
                "url": f"{base}/api/{query.id}",
                "example": f"{base}/api/{query.id}" + (f"?{example}" if example else ""),
            }
        )
    return listing


_SCHEMA_TYPES = {
    "iri": {"type": "string", "format": "iri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
}


def openapi(
    base: str, queries: Iterable[CatalogueQuery], *, version: str, lang: str = "en"
) -> dict[str, Any]:
    """An OpenAPI 3.1 description: one path per catalogue query, its parameters from the
    ``#+ params`` header (type, required, description, example, default).

    Texts are in ``lang`` (``en`` or ``es``); each operation also carries both languages in
    ``x-translations`` and each parameter in ``x-descriptions``."""
    lang = _lang(lang)
    words = _OPENAPI_TEXTS[lang]
    paths: dict[str, Any] = {}
    for query in queries:
        form = query_form(query)
        formats = RESULT_FORMATS if form in ("select", "ask") else GRAPH_FORMATS
        parameters = []
        for param in query.params:
            schema: dict[str, Any] = dict(_SCHEMA_TYPES[param.type])
            if param.default is not None:
                schema["default"] = param.default
            entry: dict[str, Any] = {
                "name": param.name,
                "in": "query",
                "required": param.required,
                "description": param.description_for(lang) or param.describe(),
                "x-descriptions": {code: param.description_for(code) for code in ("en", "es")},
                "schema": schema,
            }
            if param.example is not None:
                entry["example"] = param.example
            parameters.append(entry)
        parameters.append(
            {
                "name": "format",
                "in": "query",
                "required": False,
                "description": words["format"],
                "schema": {"type": "string", "enum": [f.name for f in formats]},
            }
        )
        error = {"description": words["error"], "content": {"text/plain": {}}}
        paths[f"/api/{query.id}"] = {
            "get": {
                "operationId": query.id,
                "summary": query.summary_for(lang),
                "description": query.question_for(lang),
                "x-translations": _translations(query),
                "tags": [query.group or "queries"],
                "parameters": parameters,
                "responses": {
                    "200": {
                        "description": words["answer"].format(form=form.upper()),
                        "content": {f.media_type: {} for f in formats},
                    },
                    "400": error,
                    "404": error,
                    "406": error,
                    "503": error,
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": words["title"],
            "version": version,
            "description": words["about"],
        },
        "servers": [{"url": base.rstrip("/")}],
        "paths": paths,
    }
