"""What the dataset is: a DCAT/VoID description of the whole graph, in its own named graph
(:data:`~pipeline_atlas.namespaces.METADATA_GRAPH`, ``pag:metadata``).

:func:`dataset_metadata` describes the dataset node ``paid:dataset`` (its title, version,
licence, dates are in ``graph_data/dataset.ttl``; nothing here repeats them) with:

Counts
    ``void:triples`` of ``paid:dataset`` is the number of *distinct triples* in every named
    graph except ``pag:metadata`` itself (the reasoner's ``pag:inferred`` included when the
    graphs have it): a triple stated in two files counts once. Each named graph is a
    ``void:subset`` (the subset node *is* the graph's IRI) with its own ``void:triples`` (its
    distinct triples) and ``void:classPartition`` gives, for each class, ``void:entities``: the
    distinct subjects with that ``rdf:type`` in those graphs (inferred types included when
    ``pag:inferred`` is there). A note on ``paid:dataset`` says so in English and Spanish.

Sources
    Every source the graph takes data from (:data:`SOURCES`) with the licence and attribution
    *as the project's files state them*: ``graph_data/LICENSE`` and
    ``graph_data/california/sources/SOURCES.md`` (each entry names its file; the tests check
    that the file says it). ``dcterms:license`` only where a file names a licence;
    ``dcterms:rights`` (en, es) says in words what the terms are, and says so when the files
    state no licence; ``dcterms:bibliographicCitation`` is the attribution to give. Each
    subset's ``dcterms:references`` lists the sources its graph cites (found by the source's
    file name in the graph's ``dcterms:source`` citations, or the source's IRI and passages).
    Not ``dcterms:source`` on the subset: in this graph a node's ``dcterms:source`` is a
    background fact that must carry a confidence and a check date (queries/qc), and a named
    graph is not such a node; ``paid:dataset`` itself lists every source with
    ``dcterms:source``, as graph_data/dataset.ttl does.
    Sources that graph_data/LICENSE lists "where the graph includes them" but no graph cites
    (NPR's detainer counts, UWCHR's detention facilities: SOURCES.md says they were not copied)
    are not listed.

Date
    No build date or clock time is added: the same graph gives the same description, so
    exports are reproducible and ``pipeline-atlas diff`` of two builds of the same files shows
    nothing. The dataset's dates are the ones stated by hand in ``graph_data/dataset.ttl``
    (``dcterms:issued``, ``dcterms:modified``, ``dcat:version``), set at each release.

>>> g = "https://w3id.org/pipeline-atlas/graph/g"
>>> q = ox.Quad(ox.NamedNode("https://e.org/a"), ox.NamedNode(_RDF_TYPE),
...     ox.NamedNode("https://e.org/T"), ox.NamedNode(g))
>>> quads = dataset_metadata({g: [q, q]})
>>> [str(x.object) for x in quads if x.predicate.value == VOID.triples]
['"1"^^<http://www.w3.org/2001/XMLSchema#integer>', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>']
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ..namespaces import METADATA_GRAPH, PAID, PREFIXES, Namespace

__all__ = ["SOURCES", "VOID", "Source", "dataset_metadata", "metadata_counts"]

VOID = Namespace(PREFIXES["void"])
DCTERMS = Namespace(PREFIXES["dcterms"])
DCAT = Namespace(PREFIXES["dcat"])
RDFS = Namespace(PREFIXES["rdfs"])
SKOS = Namespace(PREFIXES["skos"])
_RDF_TYPE = PREFIXES["rdf"] + "type"
_INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")
CC_BY_SA_4 = "https://creativecommons.org/licenses/by-sa/4.0/"
SPDX_ISC = "http://spdx.org/licenses/ISC"
LICENSE_FILE = "graph_data/LICENSE"
SOURCES_FILE = "graph_data/california/sources/SOURCES.md"

DATASET = PAID["dataset"]
"""The dataset node (described in graph_data/dataset.ttl)."""

_NO_LICENCE_EN = (
    "The source repository has no licence file ({file}): its data are used as cited facts, "
    "with attribution; no licence is claimed for them."
)
_NO_LICENCE_ES = (
    "El repositorio de origen no tiene archivo de licencia ({file}): sus datos se usan como "
    "hechos citados, con atribución; no se les atribuye ninguna licencia."
)


@dataclass(frozen=True)
class Source:
    """One source of the graph's data, with its terms as a project file states them.

    ``iri``: the source's node (its own ``source:`` node when the graph has one, else
    ``paid:dataset/source/<slug>``); ``label``: en, es (``None`` when the graph labels it);
    ``citation``: the attribution; ``licence``: a licence IRI only where ``stated_in`` names one;
    ``rights``: the terms in words, en and es; ``cited_as``: what marks a graph citing it (a file
    name in a ``dcterms:source`` citation, or an IRI or IRI prefix); ``stated_in`` and
    ``evidence``: the file that states the terms and words of it (checked by the tests).
    """

    iri: str
    label: tuple[str, str] | None
    citation: str
    licence: str | None
    rights: tuple[str, str]
    cited_as: tuple[str, ...]
    stated_in: str
    evidence: str


def _minted(slug: str) -> str:
    return f"{DATASET}/source/{slug}"


_CIPC_RIGHTS = (
    "Short passages are quoted word for word, with attribution, so that each statement can be "
    "checked against its source; the quoted text remains the work of the California Immigrant "
    "Policy Center and is not relicensed under CC BY-SA 4.0. graph_data/LICENSE states no "
    "licence for the page.",
    "Se citan pasajes breves palabra por palabra, con atribución, para que cada afirmación "
    "pueda comprobarse en su fuente; el texto citado sigue siendo obra del California Immigrant "
    "Policy Center y no queda bajo la licencia CC BY-SA 4.0. graph_data/LICENSE no indica "
    "ninguna licencia para la página.",
)

SOURCES: tuple[Source, ...] = (
    Source(
        iri=PREFIXES["source"] + "actions-for-organizers",
        label=None,
        citation='California Immigrant Policy Center (CIPC), "Actions for organizers", part of '
        '"Arrest to Deportation Pipeline", '
        "https://caimmigrant.org/what-we-do/policy/actions-for-organizers/",
        licence=None,
        rights=_CIPC_RIGHTS,
        cited_as=(PREFIXES["source"] + "actions-for-organizers", PREFIXES["passage"]),
        stated_in=LICENSE_FILE,
        evidence="is not relicensed by this notice",
    ),
    Source(
        iri=PREFIXES["source"] + "arrest-to-deportation-pipeline",
        label=None,
        citation='California Immigrant Policy Center (CIPC), "Arrest to Deportation Pipeline", '
        "https://caimmigrant.org/what-we-do/policy/arrest-to-deportation-pipeline/",
        licence=None,
        rights=_CIPC_RIGHTS,
        cited_as=(PREFIXES["source"] + "arrest-to-deportation-pipeline",),
        stated_in=LICENSE_FILE,
        evidence="is not relicensed by this notice",
    ),
    Source(
        iri=_minted("census-2020-county-codes"),
        label=(
            "U.S. Census 2020 county codes and county facts (ca_counties.csv)",
            "Códigos de condado del Censo de EE. UU. de 2020 y datos de los condados "
            "(ca_counties.csv)",
        ),
        citation="U.S. Census 2020 county codes, as shipped by the PyPI package addfips 0.4.2; "
        "county seats checked against Cal. Gov. Code §§ 23601 ff. and the county "
        "association's (CSAC, counties.org) list (ca_counties.csv)",
        licence=None,
        rights=(
            "Census codes: public domain; county seats and charter status are facts, cited "
            "(graph_data/california/sources/SOURCES.md).",
            "Códigos del censo: dominio público; las cabeceras de condado y si cada condado "
            "tiene carta constitutiva (charter) son hechos, citados "
            "(graph_data/california/sources/SOURCES.md).",
        ),
        cited_as=("ca_counties.csv",),
        stated_in=SOURCES_FILE,
        evidence="Census codes: public domain",
    ),
    Source(
        iri=_minted("us-atlas-county-boundaries"),
        label=(
            "County boundaries: U.S. Census Bureau cartographic boundaries in us-atlas 3.0.1 "
            "(ca-counties.geojson)",
            "Límites de los condados: límites cartográficos de la Oficina del Censo de EE. UU. "
            "en us-atlas 3.0.1 (ca-counties.geojson)",
        ),
        citation="npm package us-atlas 3.0.1, counties-10m.json (U.S. Census Bureau cartographic "
        "boundaries, 1:10m), converted to GeoJSON with topojson-client (ca-counties.geojson)",
        licence=SPDX_ISC,
        rights=(
            "us-atlas: ISC licence; the Census boundaries: public domain.",
            "us-atlas: licencia ISC; los límites del censo: dominio público.",
        ),
        cited_as=("ca-counties.geojson",),
        stated_in=SOURCES_FILE,
        evidence="`us-atlas`: ISC licence; Census boundaries: public domain",
    ),
    Source(
        iri=_minted("cities-and-towns"),
        label=(
            "California cities and towns, after Wikipedia, with 2020 Census populations "
            "(ca_cities.csv)",
            "Ciudades y pueblos de California, según Wikipedia, con la población del Censo de "
            "2020 (ca_cities.csv)",
        ),
        citation='Wikipedia, "List of cities and towns in California" (CC BY-SA 4.0), as '
        "compiled in GitHub nickbytes/cities, california_cities.csv (commit b11beb2); "
        "populations from the 2020 U.S. Census (ca_cities.csv)",
        licence=CC_BY_SA_4,
        rights=(
            "The list after Wikipedia is under CC BY-SA 4.0; names, counties and census counts "
            'are facts. Attribute as "U.S. Census 2020; list after Wikipedia (CC BY-SA 4.0)".',
            "La lista según Wikipedia está bajo CC BY-SA 4.0; los nombres, los condados y las "
            "cifras del censo son hechos. Atribución: «U.S. Census 2020; list after Wikipedia "
            "(CC BY-SA 4.0)».",
        ),
        cited_as=("ca_cities.csv",),
        stated_in=SOURCES_FILE,
        evidence='"U.S. Census 2020; list after Wikipedia (CC BY-SA 4.0)"',
    ),
    Source(
        iri=_minted("uwchr-ice-areas-of-responsibility"),
        label=(
            "ICE areas of responsibility by county, University of Washington Center for Human "
            "Rights (ca_county_ice_aor_uwchr.csv)",
            "Áreas de responsabilidad de ICE por condado, Centro de Derechos Humanos de la "
            "Universidad de Washington (ca_county_ice_aor_uwchr.csv)",
        ),
        citation="University of Washington Center for Human Rights, GitHub UWCHR/ice-facilities, "
        "analyze/hand/county_aor.csv (ca_county_ice_aor_uwchr.csv)",
        licence=None,
        rights=(
            _NO_LICENCE_EN.format(file=SOURCES_FILE),
            _NO_LICENCE_ES.format(file=SOURCES_FILE),
        ),
        cited_as=("ca_county_ice_aor_uwchr.csv",),
        stated_in=SOURCES_FILE,
        evidence="no licence file in the repository: used as cited facts",
    ),
    Source(
        iri=_minted("deportation-data-project-287g"),
        label=(
            "Historical 287(g) agreements, Deportation Data Project "
            "(ca_287g_agreements_historical_ddp.csv)",
            "Acuerdos 287(g) históricos, Deportation Data Project "
            "(ca_287g_agreements_historical_ddp.csv)",
        ),
        citation="Deportation Data Project, GitHub deportationdata/ice-287g, "
        "data/pre2018-agreements-best-guess.csv (commit 92556ed) "
        "(ca_287g_agreements_historical_ddp.csv)",
        licence=None,
        rights=(
            _NO_LICENCE_EN.format(file=SOURCES_FILE),
            _NO_LICENCE_ES.format(file=SOURCES_FILE),
        ),
        cited_as=("ca_287g_agreements_historical_ddp.csv",),
        stated_in=SOURCES_FILE,
        evidence="no licence file in the repository: used as cited facts",
    ),
    Source(
        iri=_minted("post-agency-list"),
        label=(
            "California POST list of law enforcement agencies, as compiled by Stanford KNOW "
            "Systemic Racism, 2023 (ca_city_police_agencies_post.csv, "
            "ca_county_sheriffs_post.csv)",
            "Lista de agencias del orden público de California POST, compilada por Stanford "
            "KNOW Systemic Racism, 2023 (ca_city_police_agencies_post.csv, "
            "ca_county_sheriffs_post.csv)",
        ),
        citation="California POST agency list, as compiled by Stanford KNOW Systemic Racism "
        "(2023): GitHub know-systemic-racism/ca-leas-data, california-leas-2023-08-16.csv "
        "(Stanford Libraries, DOI 10.25740/dj529nn1168)",
        licence=None,
        rights=(
            _NO_LICENCE_EN.format(file=SOURCES_FILE)
            + ' Attribute as "California POST agency list, as compiled by Stanford KNOW '
            'Systemic Racism (2023)".',
            _NO_LICENCE_ES.format(file=SOURCES_FILE)
            + " Atribución: «California POST agency list, as compiled by Stanford KNOW "
            "Systemic Racism (2023)».",
        ),
        cited_as=("ca_city_police_agencies_post.csv", "ca_county_sheriffs_post.csv"),
        stated_in=SOURCES_FILE,
        evidence="no licence file: used as cited facts",
    ),
    Source(
        iri=_minted("california-statutes"),
        label=(
            "California statutes: TRUST Act, TRUTH Act, California Values Act (SB 54), "
            "detention-contract limits (ca_statutes_verified.csv)",
            "Leyes de California: Ley TRUST, Ley TRUTH, Ley de Valores de California (SB 54), "
            "límites a los contratos de detención (ca_statutes_verified.csv)",
        ),
        citation="Compiled by the Pipeline Atlas project from stored copies of the statutes and "
        "their legislative analyses (ca_statutes_verified.csv)",
        licence=None,
        rights=(
            "Facts with citations, compiled by the project from the official texts and "
            "legislative analyses; graph_data/LICENSE and SOURCES.md state no licence for "
            "those texts.",
            "Hechos con citas, compilados por el proyecto a partir de los textos oficiales y "
            "los análisis legislativos; graph_data/LICENSE y SOURCES.md no indican ninguna "
            "licencia para esos textos.",
        ),
        cited_as=("ca_statutes_verified.csv",),
        stated_in=SOURCES_FILE,
        evidence="facts with citations",
    ),
    Source(
        iri=_minted("probation-chief-appointment"),
        label=(
            "Who appoints each county's chief probation officer: sourced exceptions and "
            "confirmations (ca_probation_chief_appointment.csv)",
            "Quién nombra al jefe del Departamento de Libertad Condicional del Condado "
            "(*probation*): excepciones y confirmaciones con fuente "
            "(ca_probation_chief_appointment.csv)",
        ),
        citation="Compiled by the Pipeline Atlas project from the county pages, charters, codes "
        "and news reports named in each row, read 2026-12-01 "
        "(ca_probation_chief_appointment.csv)",
        licence=None,
        rights=(
            "Facts with citations, compiled by the project; graph_data/LICENSE and SOURCES.md "
            "state no licence for the pages it cites.",
            "Hechos con citas, compilados por el proyecto; graph_data/LICENSE y SOURCES.md no "
            "indican ninguna licencia para las páginas que cita.",
        ),
        cited_as=("ca_probation_chief_appointment.csv",),
        stated_in=SOURCES_FILE,
        evidence="facts with citations",
    ),
)
"""Every source of the graph's data, with its terms as graph_data/LICENSE or SOURCES.md state
them."""

DATASET_CITATION = 'Pipeline Atlas contributors, "Pipeline Atlas graph data", CC BY-SA 4.0.'
"""How graph_data/LICENSE asks the data to be credited."""

_COUNTS_NOTE = (
    "void:triples counts the distinct triples of every named graph except pag:metadata (this "
    "description), the reasoner's graph pag:inferred included when it is there; each "
    "void:subset is one named graph, with its own distinct triples; void:entities of a class "
    "partition counts the distinct subjects with that rdf:type (inferred types included).",
    "void:triples cuenta las tripletas distintas de todos los grafos con nombre salvo "
    "pag:metadata (esta descripción), incluido el grafo del razonador pag:inferred cuando "
    "está; cada void:subset es un grafo con nombre, con sus propias tripletas distintas; "
    "void:entities de una partición por clase cuenta los sujetos distintos con ese rdf:type "
    "(incluidos los tipos inferidos).",
)


@dataclass(frozen=True)
class MetadataCounts:
    """The counts the description states: distinct triples of the whole and of each graph,
    distinct instances of each class, and the sources each graph cites."""

    triples: int
    graph_triples: Mapping[str, int]
    class_entities: Mapping[str, int]
    graph_sources: Mapping[str, tuple[str, ...]]


def _cites(quads: Sequence[ox.Quad], source: Source) -> bool:
    iris = tuple(mark for mark in source.cited_as if "://" in mark)
    names = tuple(mark for mark in source.cited_as if "://" not in mark)
    for q in quads:
        obj = q.object
        if isinstance(obj, ox.NamedNode) and iris and obj.value.startswith(iris):
            return True
        if (
            names
            and isinstance(obj, ox.Literal)
            and q.predicate.value == DCTERMS.source
            and any(name in obj.value for name in names)
        ):
            return True
    return False


def metadata_counts(graphs: Mapping[str, Sequence[ox.Quad]]) -> MetadataCounts:
    """The counts of :func:`dataset_metadata` (``pag:metadata`` itself left out)."""
    described = {name: quads for name, quads in graphs.items() if name != METADATA_GRAPH}
    union: set[ox.Triple] = set()
    per_graph: dict[str, int] = {}
    instances: dict[str, set[ox.NamedNode | ox.BlankNode | ox.Triple]] = defaultdict(set)
    sources: dict[str, tuple[str, ...]] = {}
    for name, quads in described.items():
        triples = {q.triple for q in quads}
        per_graph[name] = len(triples)
        union |= triples
        for q in quads:
            if q.predicate.value == _RDF_TYPE and isinstance(q.object, ox.NamedNode):
                instances[q.object.value].add(q.subject)
        sources[name] = tuple(s.iri for s in SOURCES if _cites(quads, s))
    return MetadataCounts(
        triples=len(union),
        graph_triples=per_graph,
        class_entities={cls: len(subjects) for cls, subjects in instances.items()},
        graph_sources=sources,
    )


def _class_slug(iri: str) -> str:
    """``pa:LegislativeBody`` → ``pa-LegislativeBody``; a class outside the known prefixes →
    its IRI with every character but letters and digits as ``-``.

    >>> _class_slug("http://www.w3.org/2004/02/skos/core#Concept")
    'skos-Concept'
    """
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and iri[len(namespace) :].isidentifier():
            return f"{prefix}-{iri[len(namespace) :]}"
    return re.sub(r"[^A-Za-z0-9]+", "-", iri).strip("-")


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_INTEGER)


def _pair(subject: ox.NamedNode, predicate: str, texts: Iterable[str]) -> list[ox.Triple]:
    p = ox.NamedNode(predicate)
    return [
        ox.Triple(subject, p, ox.Literal(text, language=lang))
        for text, lang in zip(texts, ("en", "es"), strict=True)
    ]


def dataset_metadata(graphs: Mapping[str, Sequence[ox.Quad]]) -> list[ox.Quad]:
    """The DCAT/VoID description of ``graphs`` as quads in ``pag:metadata`` (see the module's
    text for what is counted). A ``pag:metadata`` graph already in ``graphs`` is ignored, so
    describing a store that has one gives the same answer."""
    counts = metadata_counts(graphs)
    dataset = ox.NamedNode(DATASET)
    triples: list[ox.Triple] = [
        ox.Triple(dataset, ox.NamedNode(VOID.triples), _integer(counts.triples)),
        ox.Triple(
            dataset, ox.NamedNode(DCTERMS.bibliographicCitation), ox.Literal(DATASET_CITATION)
        ),
        *_pair(dataset, SKOS.editorialNote, _COUNTS_NOTE),
    ]
    for name in sorted(counts.graph_triples):
        if not name:
            continue  # the default graph is not a named subset
        subset = ox.NamedNode(name)
        short = name[len(PREFIXES["pag"]) :] if name.startswith(PREFIXES["pag"]) else name
        triples += [
            ox.Triple(dataset, ox.NamedNode(VOID.subset), subset),
            ox.Triple(subset, ox.NamedNode(_RDF_TYPE), ox.NamedNode(VOID.Dataset)),
            ox.Triple(subset, ox.NamedNode(VOID.triples), _integer(counts.graph_triples[name])),
            *_pair(subset, RDFS.label, (f"Named graph {short}", f"Grafo con nombre {short}")),
        ]
        triples += [
            ox.Triple(subset, ox.NamedNode(DCTERMS.references), ox.NamedNode(iri))
            for iri in counts.graph_sources[name]
        ]
    for cls in sorted(counts.class_entities):
        # an IRI, not a blank node: the data graphs hold no blank nodes (the table exports
        # need every subject to be a node with an id); one per class, from its CURIE
        partition = ox.NamedNode(f"{DATASET}/class/{_class_slug(cls)}")
        triples += [
            ox.Triple(dataset, ox.NamedNode(VOID.classPartition), partition),
            ox.Triple(partition, ox.NamedNode(VOID["class"]), ox.NamedNode(cls)),
            ox.Triple(partition, ox.NamedNode(VOID.entities), _integer(counts.class_entities[cls])),
        ]
    for source in SOURCES:
        node = ox.NamedNode(source.iri)
        triples.append(ox.Triple(dataset, ox.NamedNode(DCTERMS.source), node))
        if source.label is not None:
            triples.append(ox.Triple(node, ox.NamedNode(_RDF_TYPE), ox.NamedNode(DCAT.Dataset)))
            triples += _pair(node, RDFS.label, source.label)
        citation = ox.Literal(source.citation)
        triples.append(ox.Triple(node, ox.NamedNode(DCTERMS.bibliographicCitation), citation))
        if source.licence is not None:
            licence = ox.NamedNode(source.licence)
            triples.append(ox.Triple(node, ox.NamedNode(DCTERMS.license), licence))
        triples += _pair(node, DCTERMS.rights, source.rights)
    graph = ox.NamedNode(METADATA_GRAPH)
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in dict.fromkeys(triples)]
