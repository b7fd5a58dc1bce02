"""California in the graph: turn the reference data in ``graph_data/california/sources/`` into
Turtle, deterministically (rdflib's ``longturtle`` serializer; rdflib is needed at build time only).

:func:`generate` reads only the copies in ``graph_data/california/sources/`` (a user's clone has no
``../shared``) and returns the text of each generated file; :func:`write` writes the files that
changed and :func:`stale` lists those that are not what :func:`generate` gives (the CLI's
``pipeline-atlas generate [--check]``). The files are committed; a test checks they are current.

=============================================  ==============================================
file (under ``graph_data/california/``)        what
=============================================  ==============================================
``counties.ttl``                               the 58 counties (San Francisco is one node,
                                               a city and a county)
``cities.ttl``                                 the 482 incorporated cities and towns
``county-boundaries.ttl``                      one simplified boundary (WKT) per county
``local-bodies.ttl``                           each county's board, sheriff, district attorney,
                                               probation department and superior court, and
                                               who runs its jail; each city's council and
                                               departments; the city police agencies of the
                                               POST list (as of 2023-08-16)
``agreements-287g.ttl``                        the historical 287(g) jail agreements
=============================================  ==============================================

The sources are cross-checked while reading (ICE areas in two files, cities per county, county
names in three files, no two places with the same slug): any disagreement raises
:class:`GenerationError` naming the file and row, and nothing is written.

>>> slugify("La Cañada Flintridge"), slugify("St. Helena"), slugify("Sheriff's Office")
('la-canada-flintridge', 'st-helena', 'sheriffs-office')
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

from rdflib import Graph, Literal, URIRef

from ..errors import AtlasError
from ..namespaces import PREFIXES
from ..paths import ProjectPaths, project_paths

__all__ = [
    "OUTPUT_DIR",
    "OUTPUT_FILES",
    "SOURCE_DIR",
    "SOURCE_FILES",
    "GenerationError",
    "generate",
    "slugify",
    "stale",
    "turtle",
    "write",
]

OUTPUT_DIR = "graph_data/california"
"""Where the generated files go, relative to the project root."""

SOURCE_DIR = OUTPUT_DIR + "/sources"
"""The copies of the reference data that the generator reads, relative to the project root."""

COUNTIES_CSV = "ca_counties.csv"
CITIES_CSV = "ca_cities.csv"
BOUNDARIES_GEOJSON = "ca-counties.geojson"
ICE_AOR_CSV = "ca_county_ice_aor_uwchr.csv"
AGREEMENTS_CSV = "ca_287g_agreements_historical_ddp.csv"
POLICE_CSV = "ca_city_police_agencies_post.csv"
SHERIFFS_CSV = "ca_county_sheriffs_post.csv"
PROBATION_CSV = "ca_probation_chief_appointment.csv"

SOURCE_FILES: tuple[str, ...] = (
    COUNTIES_CSV,
    CITIES_CSV,
    BOUNDARIES_GEOJSON,
    ICE_AOR_CSV,
    AGREEMENTS_CSV,
    POLICE_CSV,
    SHERIFFS_CSV,
)
"""The data files in :data:`SOURCE_DIR` (each a byte-for-byte copy of ``../shared/data``)."""

COUNTIES_TTL = f"{OUTPUT_DIR}/counties.ttl"
CITIES_TTL = f"{OUTPUT_DIR}/cities.ttl"
BOUNDARIES_TTL = f"{OUTPUT_DIR}/county-boundaries.ttl"
LOCAL_BODIES_TTL = f"{OUTPUT_DIR}/local-bodies.ttl"
AGREEMENTS_TTL = f"{OUTPUT_DIR}/agreements-287g.ttl"

OUTPUT_FILES: tuple[str, ...] = (
    COUNTIES_TTL,
    CITIES_TTL,
    BOUNDARIES_TTL,
    LOCAL_BODIES_TTL,
    AGREEMENTS_TTL,
)
"""The generated files, relative to the project root, in the order :func:`generate` returns them."""

ICE_AOR_AS_OF = "2022-02-28"
"""The date of the UWCHR area-of-responsibility file (its last change)."""

POST_AS_OF = "2023-08-16"
"""The date of the POST-derived lists of city police agencies and county sheriffs."""

POST_COUNTS = {"own": 324, "contract": 3}
"""City police agencies in the POST-derived list: of their own, and staffed under contract."""

NAPA_FIPS = "06055"
"""Napa County, which runs its jail through a Department of Corrections under the board."""

PROBATION_AS_OF = "2026-12-01"
"""The day the appointment rule for chief probation officers and its exceptions were read."""

REVIEWED = "2026-12-01"
"""The day of the fact review (issue 7) that re-read the sources cited with this date."""

COPIED = "2026-11-28"
"""The day the shared data files were copied into ``sources/`` (SOURCES.md): facts taken from a
dataset without a later check carry it as their ``pa:lastChecked``."""

CHARTER_COUNTIES = 15
"""Charter counties: CSAC's 14 (San Francisco included; domain brief, item 35) and Shasta County,
whose charter (Measure D, March 2024) took effect in 2025 (see ``_CHARTER_NOTES``)."""

GENERAL_LAW_COUNTIES = 43
"""General-law counties: CSAC's 44 less Shasta County (domain brief, item 35)."""

WKT_DECIMALS = 5
"""Decimals kept in boundary coordinates (about 1 m; the boundaries are simplified at 1:10m)."""

_ID = PREFIXES["paid"]
_CHARTER = {
    "charter": "vocab:charter-status-charter",
    "charter (city and county)": "vocab:charter-status-charter",
    "general law": "vocab:charter-status-general-law",
}
_MUNICIPAL_TYPES = {
    "City": "vocab:municipal-type-city",
    "Town": "vocab:municipal-type-town",
    "City and county": "vocab:municipal-type-city-and-county",
}
_ICE_FIELD_OFFICES = {
    "SFR": "body:ice-field-office-sfr",
    "LOS": "body:ice-field-office-los",
    "SND": "body:ice-field-office-snd",
}

# Counties whose charter status in ca_counties.csv is overridden, with the note that says why.
_CHARTER_OVERRIDES: dict[str, tuple[str, str]] = {}

# Counties with a sourced note on their charter status: (English, Spanish, dcterms:source).
_CHARTER_NOTES: dict[str, tuple[str, str, str]] = {
    "06089": (
        "Shasta County became a charter county: its voters approved Measure D (a county charter) "
        "on 5 March 2024, and the charter took effect in 2025, once it was filed with the "
        "California Secretary of State (late August 2025, eight months after the planned "
        "1 January 2025). It is not in CSAC's count of 14 charter counties.",
        "El Condado de Shasta pasó a ser un condado charter (con carta constitutiva): sus "
        "votantes aprobaron la Medida D (una carta constitutiva del condado) el 5 de marzo de "
        "2024, y la carta entró en vigor en 2025, una vez presentada ante la Secretaría de Estado "
        "de California (a fines de agosto de 2025, ocho meses después de la fecha prevista, el "
        "1 de enero de 2025). No está entre los 14 condados charter que cuenta CSAC.",
        "Shasta County charter: Measure D, approved 5 March 2024, Yes 29,618 (55.70%), No 23,556 "
        "(44.30%), results officially certified — Ballotpedia, 'Shasta County, California, "
        "Measure D, Charter County Measure (March 2024)' "
        "(https://ballotpedia.org/Shasta_County,_California,_Measure_D,_Charter_County_Measure_"
        "(March_2024), read 2026-12-01; sure: high); the charter takes effect once accepted and "
        "filed by the Secretary of State — Shasta County, 'Charter County Proposal to Go to Public "
        "Vote' (https://www.shastacounty.gov/community/page/charter-county-proposal-go-public-vote"
        ", read 2026-12-01); it was set to take effect 1 Jan 2025 but its certification was "
        "delayed until late August 2025 — Jefferson Public Radio, 11 Sep 2025 "
        "(https://www.ijpr.org/politics-government/2025-09-11/shasta-county-charter-delayed-"
        "eight-months-due-to-missed-filing, read 2026-12-01; sure: medium, one news report, no "
        "exact day)",
    ),
}

# Who appoints a chief probation officer where no sourced row says otherwise.
_PROBATION_DEFAULT = (
    "By default the juvenile justice commission nominates and the superior court's judges appoint "
    "the chief probation officer (Welf. & Inst. Code §§ 270\u2013271; Gov. Code § 27770), unless a "
    "county charter or ordinance provides otherwise. No source on this county's own rule was "
    "found: check your county.",
    "Por regla general, la comisión de justicia juvenil propone y los jueces de la Corte Superior "
    "nombran al jefe o jefa del Departamento de Libertad Condicional (*probation*) (Código de "
    "Bienestar e Instituciones, §§ 270\u2013271; Código de Gobierno, § 27770), salvo que una carta "
    "constitutiva (charter) u ordenanza del condado disponga otra cosa. No se encontró una fuente "
    "sobre la regla propia de este condado: verifique la regla de su condado.",
)

_CONSOLIDATED_BOARD = (
    "{name} is a consolidated city and county: its board of supervisors is also the city's "
    "legislative body, in place of a city council."
)

_CONSOLIDATED_BOARD_ES = (
    "{name} es una ciudad y condado consolidados: su Junta de Supervisores es también el órgano "
    "legislativo de la ciudad, en lugar de un Concejo Municipal."
)

_GENERATED_BY = (
    "Generated by `pipeline-atlas generate` (src/pipeline_atlas/sources/california.py) from\n"
    "graph_data/california/sources/{sources}.\n"
    "Do not edit by hand: change the generator or the sources, then run\n"
    "`pipeline-atlas generate`. See graph_data/california/README.md for the model and\n"
    "graph_data/california/sources/SOURCES.md for where the data comes from."
)

# dcterms:source texts (the origin of each kind of fact).
SRC_COUNTIES = (
    "ca_counties.csv: U.S. Census 2020 county codes (FIPS, as shipped by the PyPI package addfips "
    "0.4.2); county seats per Cal. Gov. Code §§ 23601 ff. and the county association's (CSAC) list"
)
SRC_CHARTER = (
    "Charter status: ca_counties.csv, checked against CSAC's count of 14 charter counties "
    "(San Francisco included) and 44 general-law counties (counties.org) — Pipeline Atlas domain "
    "brief, item 35 — with Shasta County a charter county since 2025 (15 and 43)"
)
SRC_ICE_AOR = (
    "ICE area of responsibility: ca_county_ice_aor_uwchr.csv, from GitHub UWCHR/ice-facilities "
    "analyze/hand/county_aor.csv (last changed 2022-02-28), cross-checked with ca_counties.csv"
)
SRC_CITIES = (
    "ca_cities.csv: cities and towns after Wikipedia, 'List of cities and towns in California' "
    "(CC BY-SA 4.0); populations from the 2020 U.S. Census"
)
SRC_CONSOLIDATED = (
    "San Francisco is California's only consolidated city and county — Pipeline Atlas domain "
    "brief, item 34"
)
SRC_BOUNDARY = (
    "ca-counties.geojson: U.S. Census Bureau cartographic boundaries (1:10m, simplified), from "
    "the npm package us-atlas 3.0.1 counties-10m.json converted with topojson-client; "
    f"coordinates rounded to {WKT_DECIMALS} decimals"
)
SRC_BOARD = (
    "Boards of supervisors have 5 members (Gov. Code § 25000; San Francisco has 11) — Pipeline "
    "Atlas domain brief, item 35; the board sets the probation department's salary and budget "
    "(Gov. Code § 27770; Penal Code § 1203.6) — item 36"
)
SRC_ELECTED = (
    "The sheriff, district attorney and assessor are always elected, even in charter counties: "
    "Cal. Const. art. XI, § 1(b) ('The Legislature shall provide for … an elected county sheriff, "
    "an elected district attorney, an elected assessor, and an elected governing body in each "
    "county', https://www.lawglobalhub.com/article-xi-section-1-california-constitution/) and "
    "§ 4(c) for charter counties (https://leginfo.legislature.ca.gov/faces/codes_displaySection."
    "xhtml?lawCode=CONS&sectionNum=SEC.%204.&article=XI), both read 2026-12-01 — Pipeline Atlas "
    "domain brief, item 35"
)
SRC_PROBATION = (
    "By default the juvenile justice commission nominates and the superior court judges appoint "
    "the chief probation officer, unless a county charter or ordinance provides otherwise "
    "(Welf. & Inst. Code §§ 270\u2013271; Gov. Code § 27770); the board of supervisors sets the "
    "department's budget (Gov. Code § 27770; Penal Code § 1203.6) — Pipeline Atlas domain brief, "
    "item 36"
)
SRC_COUNTY_LIST = "County: ca_counties.csv (U.S. Census 2020 county codes)"
SRC_UNINCORPORATED = (
    "Unincorporated areas: the sheriff 'is responsible for prevention, detection, and "
    "investigation of crimes in unincorporated areas of the county' — Legislative Analyst's "
    "Office, review of A.G. File No. 13-0044, 20 Dec 2013 "
    "(https://lao.ca.gov/ballot/2013/130695.aspx); 'A county or city may make and enforce within "
    "its limits all local, police, sanitary, and other ordinances and regulations not in conflict "
    "with general laws' (Cal. Const. art. XI, § 7, quoted in Patterson v. Tehama County, 1986, "
    "http://casetext.com/case/patterson-v-tehama-county), and a city's police regulations "
    "supersede the county's within the city (Ex parte Roach, 104 Cal. 272, as annotated at "
    "https://books.google.ca/books?id=YEMsAAAAIAAJ&pg=PA153; Cal. Attorney General opinion "
    "91-719, 1991, http://ecases.us/case/calag/c3490627/untitled-california-attorney-general-"
    "opinion); all read 2026-12-01"
)
SRC_CITY_COUNCIL = (
    "ca_cities.csv (cities and towns after Wikipedia, CC BY-SA 4.0); each city's instance of the "
    "city council and city departments that the source document names (graph_data/seed/bodies.ttl)"
)
SRC_POST = (
    "California POST agency list, as compiled by Stanford KNOW Systemic Racism (2023), as of "
    f"{POST_AS_OF}: GitHub know-systemic-racism/ca-leas-data/california-leas-2023-08-16.csv "
    "(Stanford Libraries, DOI 10.25740/dj529nn1168)"
)
SRC_POWERS = (
    "What a local body can and cannot do under SB 54: Gov. Code § 7284.6 "
    "(ca_statutes_verified.csv; Pipeline Atlas domain brief, item 10); Gov. Code § 7282.5(a), "
    "cooperation 'only if doing so "
    "would not violate any federal, state, or local law, or local policy', and 8 U.S.C. § 1373, as "
    "quoted in the Assembly analysis of AB 937, p. 4 "
    "(https://publicdocs.santa-ana.org/WebLink/1/doc/138761/Page23.aspx, read 2026-12-01); booking "
    "fingerprints: Pipeline Atlas domain brief, item 6"
)
SRC_NAPA_CORRECTIONS = (
    "Napa County, Department of Corrections, 'About Us' "
    "(https://www.countyofnapa.org/251/About-Us, read 2026-12-01): the department has jurisdiction "
    "over the Napa County Jail, does not operate under the authority of the Napa County Sheriff's "
    "Office, was separated from it by the Board of Supervisors in 1975, and its jail "
    "administrator is appointed by "
    "the Board of Supervisors"
)
SRC_287G = (
    "ca_287g_agreements_historical_ddp.csv: Deportation Data Project, GitHub "
    "deportationdata/ice-287g data/pre2018-agreements-best-guess.csv (commit 92556ed)"
)


# 287(g) agreements whose end is known from sources other than the Deportation Data Project's
# data, by the data's agency name: (end date, English note, Spanish note, dcterms:source).
_287G_ENDS: dict[str, tuple[str, str, str, str]] = {
    "Los Angeles County Sheriff's Office": (
        "2015-05-12",
        "The Los Angeles County Board of Supervisors voted 3 to 2 on 12 May 2015 to end the "
        "agreement; the vote ended the county's contract with ICE at once.",
        "La Junta de Supervisores del Condado de Los Ángeles votó 3 a 2 el 12 de mayo de 2015 "
        "a favor de poner fin al acuerdo; con esa votación terminó de inmediato el contrato del "
        "condado con ICE.",
        "End date: Supervisor Hilda L. Solis, 'Los Angeles County Supervisors vote to end "
        "10-year-old 287(g) program and to remove immigration agents from jails' "
        "(https://hildalsolis.org/los-angeles-county-supervisors-vote-to-end-10-year-old-287g-"
        "program-and-to-remove-immigration-agents-from-jails/): the board 'on Tuesday May 12 "
        "voted to end the 287 (g) program'; ABC7, 13 May 2015 "
        "(https://abc7.com/la-county-board-of-supervisors-los-angeles-ice-immigration-and-customs"
        "-enforcement/718337/): 3 to 2 vote on Tuesday to terminate the agreement; "
        "Los Angeles Times, 13 May 2015, via inkl (https://www.inkl.com/news/l-a-county-ends-contract-with-ice-then-"
        "oks-future-collaboration): the vote 'immediately ends the county's contract with ICE' "
        "(all read 2026-12-01; sure: high)",
    ),
    "Orange County Sheriff's Office": (
        "2017-12-27",
        "The Orange County Sheriff's Department ended its 287(g) program on 27 Dec 2017, to "
        "comply with SB 54 (in effect 1 Jan 2018). The date ICE formally ended the memorandum "
        "of agreement was not found.",
        "El Departamento del Sheriff del Condado de Orange puso fin a su programa 287(g) el 27 "
        "de diciembre de 2017, para cumplir la SB 54 (vigente desde el 1 de enero de 2018). No "
        "se encontró la fecha en que ICE dio por terminado formalmente el memorando de acuerdo.",
        "End date: Orange County Register, 27 Dec 2017 "
        "(https://www.ocregister.com/2017/12/27/sheriffs-department-no-longer-checking-"
        "immigration-status-of-inmates-cancels-agreement-with-ice/): the department 'on "
        "Wednesday halted' the program; Orange County Sheriff's Department release of 27 Dec "
        "2017, as published by New Santa Ana (https://newsantaana.com/the-oc-sheriff-is-now-"
        "complying-with-californias-new-sanctuary-state-law): the changes to its 287(g) program "
        "'will be implemented starting today, Dec. 27' (both read 2026-12-01; sure: high for the "
        "program's end, the formal end of the memorandum of agreement not found)",
    ),
}

_287G_LAST_SEEN = (
    "The pa:asOf date is the last date the Deportation Data Project's data shows the agreement "
    "active (a last sighting), not the date it ended.",
    "La fecha pa:asOf es la última en que los datos del Deportation Data Project muestran el "
    "acuerdo vigente (el último registro), no la fecha en que terminó.",
)


# The notes of the POST-derived police list, in English and Spanish (any other note fails).
_POLICE_NOTES: dict[str, tuple[str, str]] = {
    "source lists the agency's county as 'Contra Costa County'; the city is in Alameda County": (
        "The POST list gives the agency's county as Contra Costa County; Albany is in Alameda "
        "County.",
        "La lista de POST indica que el condado de la agencia es Contra Costa; Albany está en el "
        "Condado de Alameda.",
    ),
    "source lists the agency's county as 'San Francisco'; the city is in San Mateo County": (
        "The POST list gives the agency's county as San Francisco; Brisbane is in San Mateo "
        "County.",
        "La lista de POST indica que el condado de la agencia es San Francisco; Brisbane está en "
        "el Condado de San Mateo.",
    ),
    "joint police authority; the source lists its headquarters city (Larkspur) only": (
        "A joint police authority of several places; the POST list names only its headquarters "
        "city, Larkspur. Its governing board is not in the graph.",
        "Una autoridad policial conjunta de varias localidades; la lista de POST solo nombra la "
        "ciudad donde tiene su sede, Larkspur. Su junta directiva no está en el grafo.",
    ),
}

_COUNCIL_POWERS = (
    "Can adopt a local policy or ordinance that limits how the {agency} cooperates with "
    "immigration enforcement beyond SB 54: under Gov. Code § 7282.5(a) the police may cooperate "
    "only where no local law or local policy forbids it. Cannot stop the sharing of citizenship or "
    "immigration status (8 U.S.C. § 1373), or the booking fingerprints that reach ICE through the "
    "FBI.",
    "Puede adoptar una política u ordenanza local que limite la cooperación de su policía "
    "({agency}) con las autoridades de control migratorio más allá de la SB 54: según el Código "
    "de Gobierno, "
    "§ 7282.5(a), la policía solo puede cooperar cuando ninguna ley ni política local lo prohíbe. "
    "No puede impedir que se comparta la ciudadanía o la situación migratoria (8 U.S.C. § 1373), "
    "ni que las huellas del registro de ingreso lleguen a ICE a través del FBI.",
)
_JAIL_RULES = (
    "holds on ICE detainers are barred, and release dates, notifications and transfers are allowed "
    "only in the cases SB 54 lists (a case listed in Gov. Code § 7282.5: certain convictions, "
    "current registration on the Sex and Arson Registry, or an outstanding federal felony arrest "
    "warrant identified by ICE, while a "
    "magistrate's probable-cause finding on a serious, violent or state-prison felony charge "
    "allows release dates or a notification but not a transfer (§ 7282.5(b)); public "
    "information; or, for "
    "a transfer, a judicial warrant); it can refuse those too, since cooperation is "
    "discretionary and allowed only where no local law or local policy forbids it (Gov. Code "
    "§ 7282.5(a)). Cannot stop booking fingerprints from reaching ICE through the FBI, or the "
    "sharing of citizenship or immigration status (8 U.S.C. § 1373).",
    "está prohibido retener a alguien por una solicitud de detención de ICE (detainer), y dar "
    "fechas de liberación, responder a notificaciones y entregar personas a ICE solo se permite "
    "en los casos que enumera la SB 54 (un caso de la lista del Código de Gobierno, § 7282.5: "
    "ciertas condenas, la inscripción actual en el Registro de Delincuentes Sexuales e "
    "Incendiarios, o una orden de "
    "arresto federal pendiente por delito grave señalada por ICE, mientras que la determinación "
    "de causa probable de un magistrado sobre un cargo de delito grave serio, violento o "
    "castigado con prisión estatal permite dar fechas de liberación o responder a una "
    "notificación, pero no una entrega (§ 7282.5(b)); información pública; o, para una entrega, "
    "una orden judicial); "
    "también puede negarse en esos casos, porque la "
    "cooperación es discrecional y solo se permite cuando ninguna ley ni política local la prohíbe "
    "(Código de Gobierno, § 7282.5(a)). No puede impedir que las huellas del registro de ingreso "
    "lleguen a ICE a través del FBI, ni que se comparta la ciudadanía o la situación migratoria "
    "(8 U.S.C. § 1373).",
)
_SHERIFF_POWERS = (
    "Runs the county jail ({agency}) and sets its policy on ICE requests within SB 54: "
    + _JAIL_RULES[0],
    "Administra la cárcel del condado ({agency}) y fija su política ante las solicitudes de ICE "
    "dentro de la SB 54: " + _JAIL_RULES[1],
)
_NAPA_BOARD_POWERS = (
    "Runs the county jail through the Napa County Department of Corrections, which it separated "
    "from the sheriff's office in 1975 and whose jail administrator it appoints, so it can set the "
    "jail's policy on ICE requests within SB 54: " + _JAIL_RULES[0],
    "Administra la cárcel del condado a través del Departamento de Correcciones del Condado de "
    "Napa, que la Junta separó de la oficina del sheriff en 1975 y cuyo administrador de la cárcel "
    "nombra la propia Junta, así que puede fijar la política de la cárcel ante las solicitudes de "
    "ICE dentro de la SB 54: " + _JAIL_RULES[1],
)


class GenerationError(AtlasError):
    """The reference data cannot be turned into the graph: a file is missing or malformed, or two
    sources disagree. The message names the file (and row) to look at."""


def slugify(name: str) -> str:
    """A lowercase ASCII slug with hyphens: accents dropped, apostrophes removed, every other run
    of non-alphanumeric characters a hyphen.

    >>> slugify("San Luis Obispo County")
    'san-luis-obispo-county'
    >>> slugify("  ")
    Traceback (most recent call last):
    ...
    ValueError: no slug for '  '
    """
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_text = re.sub(r"['\u2019]", "", ascii_text.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if not slug:
        raise ValueError(f"no slug for {name!r}")
    return slug


#################################################################
# Terms and Turtle
#################################################################

Object: TypeAlias = URIRef | Literal
"""What a generated triple's object may be: an IRI or a literal (no blank nodes)."""

Triple: TypeAlias = tuple[URIRef, URIRef, Object]
"""A generated triple: subject IRI, predicate IRI, object."""

_RDF_TYPE = URIRef(PREFIXES["rdf"] + "type")


def iri(name: str) -> URIRef:
    """An IRI from a prefixed name of :data:`~pipeline_atlas.namespaces.PREFIXES` or a full IRI.

    >>> str(iri("jurisdiction:alameda-county"))
    'https://w3id.org/pipeline-atlas/id/jurisdiction/alameda-county'
    >>> iri("nope:x")
    Traceback (most recent call last):
    ...
    ValueError: 'nope:x' is neither a prefixed name of the prefix table nor a full IRI
    """
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES:
        return URIRef(PREFIXES[prefix] + local)
    if sep and local.startswith("//"):
        return URIRef(name)
    raise ValueError(f"{name!r} is neither a prefixed name of the prefix table nor a full IRI")


def text(value: str, language: str | None = None) -> Literal:
    """A string literal, with a language tag when given."""
    return Literal(value, lang=language)


def typed(value: str, datatype: str) -> Literal:
    """A literal with a datatype (a prefixed name or a full IRI), its lexical form kept as given.

    >>> typed("2025-12", "xsd:gYearMonth").n3()
    '"2025-12"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'
    """
    return Literal(value, datatype=iri(datatype), normalize=False)


def integer(value: int) -> Literal:
    """An ``xsd:integer`` literal."""
    return typed(str(int(value)), "xsd:integer")


def boolean(value: bool) -> Literal:
    """An ``xsd:boolean`` literal."""
    return typed("true" if value else "false", "xsd:boolean")


def date(value: str) -> Literal:
    """An ``xsd:date`` literal from ``YYYY-MM-DD``; anything else raises ``ValueError``.

    >>> date("1 Feb 2005")
    Traceback (most recent call last):
    ...
    ValueError: not a date (YYYY-MM-DD): '1 Feb 2005'
    """
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError(f"not a date (YYYY-MM-DD): {value!r}")
    return typed(value, "xsd:date")


def _prefixes_used(triples: Iterable[Triple]) -> dict[str, str]:
    """The prefixes of the table that ``longturtle`` writes ``triples`` with, in table order.

    Only these are bound, because the serializer declares the namespace of every datatype it sees,
    even where it writes the literal bare (``5``, ``true``), and ``rdf:type`` as a predicate is
    ``a``. Terms are named as the serializer names them (the longest bound namespace; literals
    through rdflib's own writer), so an IRI outside these prefixes is simply written in full.

    >>> sorted(_prefixes_used([(iri("body:x"), iri("rdf:type"), integer(5))]))
    ['body']
    >>> sorted(_prefixes_used([(iri("body:x"), iri("pa:asOf"), date("2022-02-28"))]))
    ['body', 'pa', 'xsd']
    """
    names = Graph(bind_namespaces="none").namespace_manager
    for prefix, namespace in PREFIXES.items():
        names.bind(prefix, namespace)
    used: set[str] = set()

    def name(node: URIRef) -> None:
        with contextlib.suppress(KeyError, ValueError):  # else no prefix fits: written in full
            used.add(names.compute_qname(node, generate=False)[0])

    for subject, predicate, obj in triples:
        name(subject)
        if predicate != _RDF_TYPE:
            name(predicate)
        if isinstance(obj, Literal):
            obj._literal_n3(use_plain=True, qname_callback=name)
        else:
            name(obj)
    return {prefix: namespace for prefix, namespace in PREFIXES.items() if prefix in used}


def turtle(triples: Iterable[Triple], *, header: str = "") -> str:
    """The Turtle text of ``triples``, written by rdflib's ``longturtle`` serializer: the same
    set of triples gives the same text, whatever their order (they are added sorted, and the
    serializer sorts subjects, predicates and objects). ``header`` becomes ``#`` comment lines at
    the top; the ``PREFIX`` lines are those of the prefix table that the text uses.

    >>> triples = [
    ...     (iri("body:x"), iri("rdfs:label"), text("Concejo", "es")),
    ...     (iri("body:x"), iri("pa:memberCount"), integer(5)),
    ...     (iri("body:x"), iri("rdf:type"), iri("pa:LegislativeBody")),
    ... ]
    >>> print(turtle(triples, header="Example."), end="")
    # Example.
    <BLANKLINE>
    PREFIX body: <https://w3id.org/pipeline-atlas/id/body/>
    PREFIX pa: <https://w3id.org/pipeline-atlas/ont/>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    <BLANKLINE>
    body:x
        a pa:LegislativeBody ;
        rdfs:label "Concejo"@es ;
        pa:memberCount 5 ;
    .
    >>> turtle(reversed(triples), header="Example.") == turtle(triples, header="Example.")
    True
    """
    unique = sorted(set(triples), key=lambda t: tuple(term.n3() for term in t))
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in _prefixes_used(unique).items():
        graph.bind(prefix, namespace)
    for triple in unique:
        graph.add(triple)
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    written = graph.serialize(format="longturtle")
    return f"{comment}\n{written}" if comment else written


#################################################################
# Reading the sources
#################################################################


# Place names written with their accents in Spanish text (../shared/glossary-es.md).
_SPANISH_NAMES: dict[str, str] = {"Los Angeles": "Los Ángeles", "San Jose": "San José"}


def spanish_name(name: str) -> str:
    """A place's name as Spanish text writes it.

    >>> spanish_name("Los Angeles"), spanish_name("Oakland")
    ('Los Ángeles', 'Oakland')
    """
    return _SPANISH_NAMES.get(name, name)


@dataclass(frozen=True)
class County:
    """One row of ``ca_counties.csv``, with what the generator derives from it."""

    fips: str
    name: str
    short_name: str
    seat: str
    charter: str
    city_count: int
    ice_aor: str
    consolidated: bool

    @property
    def slug(self) -> str:
        """The node's slug: ``alameda-county``; ``san-francisco`` for the city and county."""
        return slugify(self.short_name) if self.consolidated else slugify(self.name)

    @property
    def node(self) -> str:
        return f"jurisdiction:{self.slug}"

    @property
    def label_en(self) -> str:
        return self.short_name if self.consolidated else self.name

    @property
    def label_es(self) -> str:
        short = spanish_name(self.short_name)
        return short if self.consolidated else f"Condado de {short}"

    @property
    def of_es(self) -> str:
        """``del Condado de Alameda`` / ``de San Francisco``."""
        short = spanish_name(self.short_name)
        return f"de {short}" if self.consolidated else f"del Condado de {short}"

    @property
    def unincorporated(self) -> str:
        """The node of the county's unincorporated areas (none for San Francisco)."""
        return f"jurisdiction:{self.slug}-unincorporated"


@dataclass(frozen=True)
class City:
    """One row of ``ca_cities.csv``."""

    name: str
    municipal_type: str
    county_fips: str
    population: int

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def node(self) -> str:
        return f"jurisdiction:{self.slug}"

    @property
    def is_town(self) -> bool:
        return self.municipal_type == "Town"

    @property
    def name_es(self) -> str:
        return spanish_name(self.name)


@dataclass(frozen=True)
class Agreement:
    """One row of ``ca_287g_agreements_historical_ddp.csv``, with its county."""

    row: Mapping[str, str]
    county: County

    @property
    def agency(self) -> str:
        return self.row["agency"]

    @property
    def slug(self) -> str:
        return "287g-" + slugify(self.agency)


@dataclass(frozen=True)
class PoliceAgency:
    """One row of ``ca_city_police_agencies_post.csv``, with its city."""

    city: City
    name: str
    contract: bool
    provider_agency: str
    ksr_id: str
    wikidata: str
    website: str
    note: str

    @property
    def node(self) -> str:
        return f"body:{slugify(self.name)}"


@dataclass(frozen=True)
class Sheriff:
    """One row of ``ca_county_sheriffs_post.csv``: a county sheriff's office by its own name."""

    county: County
    name: str
    ksr_id: str
    wikidata: str
    website: str


@dataclass(frozen=True)
class ProbationRule:
    """One row of ``ca_probation_chief_appointment.csv``: who appoints a county's chief
    probation officer, with the source read."""

    fips: str
    county: str
    appointed_by: str
    rule: str
    source: str
    read: str
    confidence: str
    note_en: str
    note_es: str


@dataclass(frozen=True)
class Sources:
    """Everything the generator reads, cross-checked."""

    counties: tuple[County, ...]
    cities: tuple[City, ...]
    boundaries: Mapping[str, Mapping[str, Any]]
    agreements: tuple[Agreement, ...]
    police: tuple[PoliceAgency, ...] = ()
    sheriffs: Mapping[str, Sheriff] | None = None
    probation: tuple[ProbationRule, ...] = ()


def _read_csv(folder: Path, name: str, columns: Iterable[str]) -> list[dict[str, str]]:
    path = folder / name
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = sorted(set(columns) - set(reader.fieldnames or ()))
            if missing:
                raise GenerationError(f"{path}: missing column(s) {', '.join(missing)}")
            return [dict(row) for row in reader]
    except FileNotFoundError:
        raise GenerationError(
            f"{path} is missing: copy it from ../shared/data (see {SOURCE_DIR}/SOURCES.md)"
        ) from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise GenerationError(f"{path}: cannot read it as UTF-8 CSV: {exc}") from None


def _fail(path: Path, line: int, message: str) -> GenerationError:
    return GenerationError(f"{path}:{line}: {message}")


def _read_counties(folder: Path, consolidated_name: str) -> tuple[County, ...]:
    path = folder / COUNTIES_CSV
    rows = _read_csv(
        folder,
        COUNTIES_CSV,
        (
            "county_fips",
            "county_name",
            "short_name",
            "county_seat",
            "charter_or_general_law",
            "n_incorporated_cities",
            "ice_ero_aor",
        ),
    )
    counties: list[County] = []
    for line, row in enumerate(rows, start=2):
        fips = row["county_fips"]
        if not re.fullmatch(r"06[0-9]{3}", fips):
            raise _fail(path, line, f"county_fips {fips!r} is not a 5-digit California FIPS code")
        charter = row["charter_or_general_law"]
        if charter not in _CHARTER:
            raise _fail(path, line, f"unknown charter_or_general_law {charter!r}")
        if row["ice_ero_aor"] not in _ICE_FIELD_OFFICES:
            raise _fail(path, line, f"unknown ice_ero_aor {row['ice_ero_aor']!r}")
        if not row["n_incorporated_cities"].isdigit():
            raise _fail(path, line, "n_incorporated_cities is not a whole number")
        counties.append(
            County(
                fips=fips,
                name=row["county_name"],
                short_name=row["short_name"],
                seat=row["county_seat"],
                charter=_CHARTER_OVERRIDES.get(fips, (charter, ""))[0],
                city_count=int(row["n_incorporated_cities"]),
                ice_aor=row["ice_ero_aor"],
                consolidated=row["short_name"] == consolidated_name,
            )
        )
    fips_counts = Counter(c.fips for c in counties)
    doubles = sorted(f for f, n in fips_counts.items() if n > 1)
    if doubles:
        raise GenerationError(f"{path}: county_fips given more than once: {', '.join(doubles)}")
    if len(counties) != 58:
        raise GenerationError(f"{path}: {len(counties)} counties, but California has 58")
    charters = Counter(_CHARTER[c.charter] for c in counties)
    expected = {
        "vocab:charter-status-charter": CHARTER_COUNTIES,
        "vocab:charter-status-general-law": GENERAL_LAW_COUNTIES,
    }
    if dict(charters) != expected:
        raise GenerationError(
            f"{path}: {charters['vocab:charter-status-charter']} charter and "
            f"{charters['vocab:charter-status-general-law']} general-law counties after the "
            f"overrides, but there are {CHARTER_COUNTIES} and {GENERAL_LAW_COUNTIES} (CSAC's "
            "14 and 44, with Shasta County charter since 2025)"
        )
    return tuple(sorted(counties, key=lambda c: c.fips))


def _check_ice_aor(folder: Path, counties: Iterable[County]) -> None:
    """Fail unless the UWCHR file gives every county the same ICE area as ca_counties.csv."""
    path = folder / ICE_AOR_CSV
    rows = _read_csv(folder, ICE_AOR_CSV, ("geoid", "name", "aor"))
    by_fips = {c.fips: c for c in counties}
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        county = by_fips.get(row["geoid"])
        if county is None:
            raise _fail(path, line, f"geoid {row['geoid']!r} is not a county of {COUNTIES_CSV}")
        if row["geoid"] in seen:
            raise _fail(path, line, f"geoid {row['geoid']} is given twice")
        seen.add(row["geoid"])
        if row["name"] != f"{county.short_name.lower()} county, california":
            raise _fail(path, line, f"{row['name']!r} is not {county.name} ({county.fips})")
        if row["aor"] != county.ice_aor:
            raise _fail(
                path,
                line,
                f"{county.name} is in ICE area {row['aor']!r} here but {county.ice_aor!r} in "
                f"{COUNTIES_CSV}",
            )
    missing = sorted(set(by_fips) - seen)
    if missing:
        raise GenerationError(f"{path}: no ICE area for county FIPS {', '.join(missing)}")


def _read_cities(folder: Path, counties: Iterable[County]) -> tuple[City, ...]:
    path = folder / CITIES_CSV
    rows = _read_csv(
        folder,
        CITIES_CSV,
        ("city", "municipal_type", "county", "county_fips", "population_2020_census"),
    )
    by_fips = {c.fips: c for c in counties}
    cities: list[City] = []
    for line, row in enumerate(rows, start=2):
        county = by_fips.get(row["county_fips"])
        if county is None or county.short_name != row["county"]:
            raise _fail(
                path,
                line,
                f"{row['city']}: county {row['county']!r} ({row['county_fips']}) is not a county "
                f"of {COUNTIES_CSV}",
            )
        if row["municipal_type"] not in _MUNICIPAL_TYPES:
            raise _fail(path, line, f"{row['city']}: unknown municipal_type")
        if not row["population_2020_census"].isdigit():
            raise _fail(path, line, f"{row['city']}: population_2020_census is not a number")
        cities.append(
            City(
                name=row["city"],
                municipal_type=row["municipal_type"],
                county_fips=row["county_fips"],
                population=int(row["population_2020_census"]),
            )
        )
    per_county = Counter(c.county_fips for c in cities)
    for county in by_fips.values():
        if per_county[county.fips] != county.city_count:
            raise GenerationError(
                f"{path}: {per_county[county.fips]} cities in {county.name}, but {COUNTIES_CSV} "
                f"says {county.city_count}"
            )
    return tuple(sorted(cities, key=lambda c: c.slug))


def _consolidated_name(folder: Path) -> str:
    """The one city and county (San Francisco), from ca_cities.csv."""
    rows = _read_csv(folder, CITIES_CSV, ("city", "municipal_type", "county"))
    found = [r for r in rows if r["municipal_type"] == "City and county"]
    if len(found) != 1 or found[0]["city"] != found[0]["county"]:
        names = ", ".join(r["city"] for r in found) or "none"
        raise GenerationError(
            f"{folder / CITIES_CSV}: expected one 'City and county' named like its county, "
            f"found {names}"
        )
    return found[0]["city"]


def _read_boundaries(folder: Path, counties: Iterable[County]) -> dict[str, dict[str, Any]]:
    path = folder / BOUNDARIES_GEOJSON
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GenerationError(
            f"{path} is missing: copy it from ../shared/data (see {SOURCE_DIR}/SOURCES.md)"
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GenerationError(f"{path}: not valid GeoJSON: {exc}") from None
    by_fips = {c.fips: c for c in counties}
    geometries: dict[str, dict[str, Any]] = {}
    for index, feature in enumerate(data.get("features", [])):
        fips = str(feature.get("id"))
        county = by_fips.get(fips)
        where = f"{path}: feature {index} (id {fips!r})"
        if county is None:
            raise GenerationError(f"{where} is not a county of {COUNTIES_CSV}")
        if feature.get("properties", {}).get("name") != county.short_name:
            raise GenerationError(f"{where}: name is not {county.short_name!r}")
        if fips in geometries:
            raise GenerationError(f"{where}: a second feature for {county.name}")
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in {"Polygon", "MultiPolygon"}:
            raise GenerationError(f"{where}: geometry is not a Polygon or MultiPolygon")
        geometries[fips] = geometry
    missing = sorted(set(by_fips) - set(geometries))
    if missing:
        raise GenerationError(f"{path}: no boundary for county FIPS {', '.join(missing)}")
    return geometries


def _read_agreements(folder: Path, counties: Iterable[County]) -> tuple[Agreement, ...]:
    path = folder / AGREEMENTS_CSV
    columns = (
        "agency",
        "county_fips",
        "first_signed_best",
        "first_signed_source",
        "latest_signed",
        "signing_dates",
        "models",
        "active_from",
        "active_to",
        "secondary_sources",
        "confidence",
        "moa_archived_url",
    )
    rows = _read_csv(folder, AGREEMENTS_CSV, columns)
    county_list = list(counties)
    agreements: list[Agreement] = []
    for line, row in enumerate(rows, start=2):
        # The party is the county whose sheriff's office the agency names; the "Addendum" row
        # has no county_fips, so the name is what maps it (to San Bernardino County).
        named = [c for c in county_list if row["agency"].startswith(f"{c.name} Sheriff's Office")]
        if len(named) != 1:
            raise _fail(path, line, f"agency {row['agency']!r} is not one county sheriff's office")
        county = named[0]
        if row["county_fips"] and row["county_fips"].zfill(5) != county.fips:
            raise _fail(
                path, line, f"county_fips {row['county_fips']} is not {county.name} ({county.fips})"
            )
        for column in ("first_signed_best", "active_from", "active_to"):
            try:
                date(row[column])
            except ValueError as exc:
                raise _fail(path, line, f"{column}: {exc}") from None
        agreements.append(Agreement(row=row, county=county))
    slugs = Counter(a.slug for a in agreements)
    doubles = sorted(s for s, n in slugs.items() if n > 1)
    if doubles:
        raise GenerationError(f"{path}: two agreements would share the IRI slug {doubles[0]}")
    return tuple(sorted(agreements, key=lambda a: a.slug))


def _read_sheriffs(folder: Path, counties: Iterable[County]) -> dict[str, Sheriff]:
    path = folder / SHERIFFS_CSV
    columns = ("county", "county_fips", "agency_name", "agency_site_url", "agency_wikidata_qid")
    rows = _read_csv(folder, SHERIFFS_CSV, (*columns, "ksr_id", "as_of"))
    by_fips = {c.fips: c for c in counties}
    sheriffs: dict[str, Sheriff] = {}
    for line, row in enumerate(rows, start=2):
        county = by_fips.get(row["county_fips"])
        if county is None or row["county"] not in (county.name, f"{county.short_name} County"):
            raise _fail(path, line, f"{row['county']!r} ({row['county_fips']}) is not a county")
        if row["county_fips"] in sheriffs:
            raise _fail(path, line, f"a second sheriff for {county.name}")
        if row["as_of"] != POST_AS_OF or not row["agency_site_url"].startswith("http"):
            raise _fail(path, line, "as_of is not 2023-08-16 or agency_site_url is not a URL")
        sheriffs[county.fips] = Sheriff(
            county=county,
            name=row["agency_name"],
            ksr_id=row["ksr_id"],
            wikidata=row["agency_wikidata_qid"],
            website=row["agency_site_url"],
        )
    missing = sorted(set(by_fips) - set(sheriffs))
    if missing:
        raise GenerationError(f"{path}: no sheriff for county FIPS {', '.join(missing)}")
    return sheriffs


def _read_police(
    folder: Path,
    counties: Iterable[County],
    cities: Iterable[City],
    sheriffs: Mapping[str, Sheriff],
) -> tuple[PoliceAgency, ...]:
    path = folder / POLICE_CSV
    columns = ("city", "county", "agency_name", "provider", "provider_agency", "ksr_id")
    more = ("agency_wikidata_qid", "agency_site_url", "as_of", "note")
    rows = _read_csv(folder, POLICE_CSV, (*columns, *more))
    county_names = {c.fips: c.short_name for c in counties}
    by_name = {(c.name, county_names[c.county_fips]): c for c in cities}
    agencies: list[PoliceAgency] = []
    for line, row in enumerate(rows, start=2):
        city = by_name.get((row["city"], row["county"]))
        if city is None:
            raise _fail(
                path, line, f"{row['city']} ({row['county']}) is not a city of {CITIES_CSV}"
            )
        if row["provider"] not in POST_COUNTS:
            raise _fail(path, line, f"{row['city']}: unknown provider {row['provider']!r}")
        contract = row["provider"] == "contract"
        if not contract and row["provider_agency"] != row["agency_name"]:
            raise _fail(path, line, f"{row['city']}: its own agency names another provider")
        if row["as_of"] != POST_AS_OF or not row["agency_site_url"].startswith("http"):
            raise _fail(path, line, "as_of is not 2023-08-16 or agency_site_url is not a URL")
        if row["note"] and row["note"] not in _POLICE_NOTES:
            raise _fail(
                path, line, f"a note with no Spanish text in the generator: {row['note']!r}"
            )
        agencies.append(
            PoliceAgency(
                city=city,
                name=row["agency_name"],
                contract=contract,
                provider_agency=row["provider_agency"],
                ksr_id=row["ksr_id"],
                wikidata=row["agency_wikidata_qid"],
                website=row["agency_site_url"],
                note=row["note"],
            )
        )
    counts = Counter("contract" if a.contract else "own" for a in agencies)
    if dict(counts) != POST_COUNTS:
        raise GenerationError(f"{path}: {dict(counts)} agencies, expected {POST_COUNTS}")
    for kind, values in (
        ("city", Counter(a.city.slug for a in agencies)),
        ("IRI", Counter(a.node for a in agencies)),
    ):
        doubles = sorted(v for v, n in values.items() if n > 1)
        if doubles:
            raise GenerationError(f"{path}: two rows share the {kind} {doubles[0]}")
    names = {a.name for a in agencies} | set(_sheriff_names(sheriffs.values()))
    for agency in agencies:
        if agency.contract and agency.provider_agency not in names:
            raise GenerationError(
                f"{path}: {agency.city.name}'s provider {agency.provider_agency!r} is not "
                "in the list"
            )
    return tuple(sorted(agencies, key=lambda a: a.city.slug))


def _sheriff_names(sheriffs: Iterable[Sheriff]) -> dict[str, str]:
    """Each sheriff's node by its own name and by the names a contract may give it ("Sonoma
    County Sheriff's Department" for the Sonoma County Sheriff's Office)."""
    names: dict[str, str] = {}
    for sheriff in sheriffs:
        node = f"body:{sheriff.county.slug}-sheriffs-department"
        for name in (
            sheriff.name,
            f"{sheriff.county.name} Sheriff's Department",
            f"{sheriff.county.name} Sheriff's Office",
        ):
            names[name] = node
    return names


_APPOINTERS = (
    "superior-court",
    "board-of-supervisors",
    "mayor",
    "juvenile-probation-commission",
    "other",
)


def _read_probation(folder: Path, counties: Iterable[County]) -> tuple[ProbationRule, ...]:
    columns: tuple[str, ...] = ("fips", "county", "appointed_by", "rule", "source", "read")
    columns += ("confidence", "note_en", "note_es")
    path = folder / PROBATION_CSV
    fips = {c.fips for c in counties}
    rules: list[ProbationRule] = []
    for line, row in enumerate(_read_csv(folder, PROBATION_CSV, columns), start=2):
        if row["fips"] not in fips:
            raise _fail(path, line, f"fips {row['fips']!r} is not a California county")
        if row["appointed_by"] not in _APPOINTERS:
            raise _fail(path, line, f"appointed_by must be one of {', '.join(_APPOINTERS)}")
        if row["confidence"] not in ("verified", "reported"):
            raise _fail(path, line, "confidence must be verified or reported")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["read"]):
            raise _fail(path, line, f"read {row['read']!r} is not a date (YYYY-MM-DD)")
        if not (row["source"].strip() and row["note_en"].strip() and row["note_es"].strip()):
            raise _fail(path, line, "source, note_en and note_es must not be empty")
        rules.append(ProbationRule(**{k: row[k].strip() for k in columns}))
    return tuple(rules)


def read_sources(paths: ProjectPaths | None = None) -> Sources:
    """Read and cross-check the copies in ``graph_data/california/sources/``.

    Raises :class:`GenerationError` when a file is missing or malformed or two sources disagree.

    >>> sources = read_sources()
    >>> len(sources.counties), len(sources.cities), len(sources.agreements)
    (58, 482, 5)
    """
    paths = paths if paths is not None else project_paths()
    folder = paths.root / SOURCE_DIR
    counties = _read_counties(folder, _consolidated_name(folder))
    _check_ice_aor(folder, counties)
    cities = _read_cities(folder, counties)
    boundaries = _read_boundaries(folder, counties)
    agreements = _read_agreements(folder, counties)
    sheriffs = _read_sheriffs(folder, counties)
    police = _read_police(folder, counties, cities, sheriffs)
    probation = _read_probation(folder, counties) if (folder / PROBATION_CSV).is_file() else ()
    _check_slugs(counties, cities)
    return Sources(counties, cities, boundaries, agreements, police, sheriffs, probation)


def _check_slugs(counties: Iterable[County], cities: Iterable[City]) -> None:
    """Fail if two places would get the same IRI (the city and county is one place)."""
    owners: dict[str, str] = {}
    places = [(c.slug, f"{c.name} ({c.fips})") for c in counties]
    places += [
        (c.slug, f"{c.name} ({c.county_fips})")
        for c in cities
        if c.municipal_type != "City and county"
    ]
    for slug, owner in places:
        if slug in owners:
            raise GenerationError(
                f"{SOURCE_DIR}: {owner} and {owners[slug]} would both be jurisdiction:{slug}"
            )
        owners[slug] = owner


#################################################################
# Building the triples
#################################################################


class _Graph:
    """Collects triples; subjects and predicates as prefixed names or full IRIs."""

    def __init__(self) -> None:
        self.triples: list[Triple] = []

    def add(self, subject: str, predicate: str, *objects: Object | str) -> None:
        s, p = iri(subject), iri(predicate)
        for o in objects:
            self.triples.append((s, p, o if isinstance(o, URIRef | Literal) else iri(o)))

    def labels(self, subject: str, en: str, es: str) -> None:
        self.add(subject, "rdfs:label", text(en, "en"), text(es, "es"))

    def body(
        self,
        node: str,
        types: tuple[str, ...],
        labels: tuple[str, str],
        definition: tuple[str, str],
        *,
        level: str,
        place: str,
        generic: str,
        sources: tuple[str, ...],
    ) -> None:
        """A local body or office: types, labels, definition, level, jurisdiction, the generic
        body it instantiates and its sources."""
        self.add(node, "rdf:type", *types)
        self.labels(node, *labels)
        self.add(node, "skos:definition", text(definition[0], "en"), text(definition[1], "es"))
        self.add(node, "pa:hasGovernmentLevel", level)
        self.add(node, "pa:hasJurisdiction", place)
        self.add(node, "pa:isLocalInstanceOf", generic)
        self.add(node, "dcterms:source", *(text(s) for s in sources))


def _en(value: str) -> Object:
    return text(value, "en")


def _counties_ttl(sources: Sources) -> list[Triple]:
    g = _Graph()
    cities = {(c.county_fips, c.name): c for c in sources.cities}
    for county in sources.counties:
        n = county.node
        g.add(n, "rdf:type", "pa:County")
        g.labels(n, county.label_en, county.label_es)
        g.add(n, "pa:fipsCode", text(county.fips))
        g.add(n, "pa:countySeatName", text(county.seat))
        seat = cities.get((county.fips, county.seat))
        if seat is not None:
            g.add(n, "pa:hasCountySeat", seat.node)
        g.add(n, "pa:hasCharterStatus", _CHARTER[county.charter])
        g.add(n, "pa:inIceAreaOfResponsibility", _ICE_FIELD_OFFICES[county.ice_aor])
        g.add(n, "pa:hasGovernmentLevel", "vocab:level-county")
        g.add(n, "pa:asOf", date(ICE_AOR_AS_OF))
        g.add(n, "dcterms:source", text(SRC_COUNTIES), text(SRC_CHARTER), text(SRC_ICE_AOR))
        if county.fips in _CHARTER_NOTES:
            note_en, note_es, source = _CHARTER_NOTES[county.fips]
            g.add(n, "skos:note", _en(note_en), text(note_es, "es"))
            g.add(n, "dcterms:source", text(source))
        if county.consolidated:
            g.add(
                n,
                "skos:altLabel",
                _en(f"City and County of {county.short_name}"),
                text(f"Ciudad y Condado de {county.short_name}", "es"),
            )
            g.add(n, "dcterms:source", text(SRC_CONSOLIDATED))
        else:
            _unincorporated_ttl(g, county)
    return g.triples


def _cities_ttl(sources: Sources) -> list[Triple]:
    g = _Graph()
    counties = {c.fips: c for c in sources.counties}
    for city in sources.cities:
        n = city.node
        county = counties[city.county_fips]
        g.add(n, "rdf:type", "pa:City")
        if not county.consolidated:  # the city and county's labels are in counties.ttl
            g.labels(n, city.name, city.name_es)
        g.add(n, "pa:hasMunicipalType", _MUNICIPAL_TYPES[city.municipal_type])
        g.add(n, "pa:inCounty", county.node)
        g.add(n, "pa:censusPopulation2020", integer(city.population))
        if not county.consolidated:  # the city and county is at county level (counties.ttl)
            g.add(n, "pa:hasGovernmentLevel", "vocab:level-city")
        g.add(n, "dcterms:source", text(SRC_CITIES))
    return g.triples


def _coordinate(value: float) -> str:
    """A coordinate rounded to :data:`WKT_DECIMALS` decimals, without ``-0``.

    >>> _coordinate(-121.64326093910938), _coordinate(-0.000001)
    ('-121.64326', '0.00000')
    """
    written = f"{value:.{WKT_DECIMALS}f}"
    return written[1:] if re.fullmatch(r"-0\.0*", written) else written


def _ring(points: list[list[float]]) -> str | None:
    """``(lon lat, ...)``: rounded, without repeated points, closed; ``None`` when fewer than three
    distinct points are left (a ring with no area)."""
    ring: list[str] = []
    for point in points:
        written = f"{_coordinate(float(point[0]))} {_coordinate(float(point[1]))}"
        if not ring or ring[-1] != written:
            ring.append(written)
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    if len(set(ring)) < 3:
        return None
    return "(" + ", ".join(ring) + ")"


def wkt(geometry: Mapping[str, Any], *, where: str = "geometry") -> str:
    """WKT (longitude latitude, as GeoJSON and GeoSPARQL's default CRS84) for a GeoJSON Polygon
    or MultiPolygon: coordinates rounded to :data:`WKT_DECIMALS` decimals, repeated points
    dropped, rings closed. A ring with no area (fewer than three distinct points) is left out,
    and so is a polygon whose outer ring has none; a Polygon left with no area raises
    :class:`GenerationError`.

    >>> wkt({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]})
    'POLYGON((0.00000 0.00000, 1.00000 0.00000, 1.00000 1.00000, 0.00000 0.00000))'
    >>> wkt({"type": "MultiPolygon", "coordinates": [
    ...     [[[0, 0], [1, 0], [1, 1]]], [[[5, 5], [5.000001, 5], [5, 5]]]]})
    'MULTIPOLYGON(((0.00000 0.00000, 1.00000 0.00000, 1.00000 1.00000, 0.00000 0.00000)))'
    """

    def polygon(rings: list[list[list[float]]]) -> str | None:
        written = [_ring(r) for r in rings]
        if not written or written[0] is None:
            return None
        return "(" + ", ".join(r for r in written if r is not None) + ")"

    kind = geometry.get("type")
    if kind == "Polygon":
        parts = [polygon(geometry["coordinates"])]
    elif kind == "MultiPolygon":
        parts = [polygon(p) for p in geometry["coordinates"]]
    else:
        raise GenerationError(f"{where}: {kind} is not a Polygon or MultiPolygon")
    kept = [p for p in parts if p is not None]
    if not kept:
        raise GenerationError(f"{where}: the {kind} has no area once rounded")
    if kind == "Polygon":
        return "POLYGON" + kept[0]
    return "MULTIPOLYGON(" + ", ".join(kept) + ")"


def _boundaries_ttl(sources: Sources) -> list[Triple]:
    g = _Graph()
    for county in sources.counties:
        shape = f"{_ID}geometry/{county.slug}"
        g.add(county.node, "geo:hasGeometry", shape)
        g.add(shape, "rdf:type", "geo:Geometry")
        g.labels(shape, f"Boundary of {county.label_en}", f"Límite {county.of_es}")
        where = f"{SOURCE_DIR}/{BOUNDARIES_GEOJSON}: {county.name}"
        g.add(
            shape,
            "geo:asWKT",
            typed(wkt(sources.boundaries[county.fips], where=where), "geo:wktLiteral"),
        )
        g.add(shape, "dcterms:source", text(SRC_BOUNDARY))
    return g.triples


def _county_bodies(
    g: _Graph, county: County, probation_rules: Sequence[ProbationRule] = ()
) -> None:
    slug, en, es = county.slug, county.label_en, county.of_es
    board = f"body:{slug}-board-of-supervisors"
    sheriffs = f"body:{slug}-sheriffs-department"
    sheriff = f"office:{slug}-sheriff"
    da_office = f"body:{slug}-district-attorneys-office"
    da = f"office:{slug}-district-attorney"
    probation = f"body:{slug}-probation-department"
    chief = f"office:{slug}-chief-probation-officer"
    court = f"body:{slug}-superior-court"
    where = {"level": "vocab:level-county", "place": county.node}
    elected = (SRC_ELECTED, SRC_COUNTY_LIST)
    appointed = (SRC_PROBATION, SRC_COUNTY_LIST)
    in_es = f"en {county.label_es}" if county.consolidated else f"en el {county.label_es}"

    g.body(
        board,
        ("pa:LegislativeBody",),
        (f"{en} Board of Supervisors", f"Junta de Supervisores {es}"),
        (
            f"The elected governing body of {en}, which can enact county ordinances.",
            f"El órgano de gobierno electo {es}, que puede aprobar ordenanzas del condado.",
        ),
        generic="body:county-board-of-supervisors",
        sources=(SRC_BOARD, SRC_COUNTY_LIST),
        **where,
    )
    g.add(board, "pa:memberCount", integer(11 if county.consolidated else 5))
    g.add(board, "pa:setsBudgetOf", probation)
    g.add(board, "pa:hasAuthorityOver", probation)
    if county.consolidated:
        g.add(board, "pa:isLocalInstanceOf", "body:city-council")
        g.add(board, "pa:hasAuthorityOver", f"body:{slug}-city-departments")
        _both(
            board,
            "skos:scopeNote",
            g,
            (
                _CONSOLIDATED_BOARD.format(name=county.short_name),
                _CONSOLIDATED_BOARD_ES.format(name=spanish_name(county.short_name)),
            ),
        )
        g.add(board, "dcterms:source", text(SRC_CONSOLIDATED))
    else:
        g.add(board, "pa:hasJurisdiction", county.unincorporated)
        g.add(board, "dcterms:source", text(SRC_UNINCORPORATED))

    g.body(
        sheriffs,
        ("pa:LawEnforcementAgency", "pa:CustodialAgency"),
        (f"{en} sheriff's department", f"Departamento del Sheriff {es}"),
        (
            f"The law-enforcement agency of {en}, led by the elected sheriff, which runs the jail.",
            f"La agencia del orden público {es}, dirigida por el sheriff electo, que administra "
            "la cárcel del condado.",
        )
        if county.fips != NAPA_FIPS
        else (
            f"The law-enforcement agency of {en}, led by the elected sheriff.",
            f"La agencia del orden público {es}, dirigida por el sheriff electo.",
        ),
        generic="body:county-sheriffs-department",
        sources=elected,
        **where,
    )
    g.body(
        sheriff,
        ("pa:Office",),
        (f"Sheriff of {en}", f"Sheriff {es}"),
        (
            f"The elected office that leads the {en} sheriff's department.",
            f"El cargo electo que dirige el Departamento del Sheriff {es}.",
        ),
        generic="office:county-sheriff",
        sources=elected,
        **where,
    )
    g.add(sheriff, "org:postIn", sheriffs)
    g.add(sheriff, "pa:isElected", boolean(True))

    g.body(
        da_office,
        ("pa:GovernmentAgency",),
        (f"{en} district attorney's office", f"Oficina del Fiscal de Distrito {es}"),
        (
            f"The office that prosecutes crimes in {en}, led by the elected district attorney.",
            f"La oficina que ejerce la acción penal {in_es}, dirigida por el o la Fiscal de "
            "Distrito, cargo de elección popular.",
        ),
        generic="body:county-district-attorneys-office",
        sources=elected,
        **where,
    )
    g.body(
        da,
        ("pa:Office",),
        (f"District Attorney of {en}", f"Fiscal de Distrito {es}"),
        (
            f"The elected office that leads the prosecutions of {en}.",
            f"El cargo electo que dirige la acusación penal {in_es}.",
        ),
        generic="office:county-district-attorney",
        sources=elected,
        **where,
    )
    g.add(da, "org:postIn", da_office)
    g.add(da, "pa:isElected", boolean(True))

    g.body(
        probation,
        ("pa:CustodialAgency",),
        (f"{en} probation department", f"Departamento de Libertad Condicional {es}"),
        (
            f"The department of {en} that supervises people on probation and their appointments.",
            f"El departamento {es} que supervisa a las personas en libertad condicional "
            "(*probation*) y sus citas.",
        ),
        generic="body:county-probation-department",
        sources=appointed,
        **where,
    )
    g.body(
        chief,
        ("pa:Office",),
        (
            f"Chief Probation Officer of {en}",
            f"Jefe o jefa del Departamento de Libertad Condicional {es}",
        ),
        (
            f"The appointed office that leads the {en} probation department.",
            f"El cargo designado que dirige el Departamento de Libertad Condicional {es}.",
        ),
        generic="office:chief-probation-officer",
        sources=appointed,
        **where,
    )
    g.add(chief, "org:postIn", probation)
    g.add(chief, "pa:isElected", boolean(False))
    g.add(chief, "pa:asOf", date(PROBATION_AS_OF))
    _chief_appointment(g, county, chief, court, board, probation_rules)

    short_es = spanish_name(county.short_name)
    g.body(
        court,
        ("pa:Court",),
        (
            f"Superior Court of California, County of {county.short_name}",
            f"Corte Superior de California, Condado de {short_es}",
        ),
        (
            f"The state trial court that sits in {en}. By default its judges appoint the county's "
            "chief probation officer (Welf. & Inst. Code § 270), unless a county charter or "
            "ordinance provides otherwise.",
            f"El tribunal estatal de primera instancia con sede {in_es}. Por regla general, sus "
            "jueces nombran al jefe o jefa del Departamento de Libertad Condicional (*probation*) "
            "del condado (Código de Bienestar e Instituciones, § 270), salvo que una carta "
            "constitutiva (charter) u ordenanza del condado disponga otra cosa.",
        ),
        generic="body:county-superior-court",
        sources=appointed,
        **where,
    )


def _chief_appointment(
    g: _Graph,
    county: County,
    chief: str,
    court: str,
    board: str,
    rules: Sequence[ProbationRule],
) -> None:
    """Who appoints the chief probation officer: a sourced row of the probation CSV, or the
    state default with "check your county"."""
    if not rules:
        _both(chief, "skos:note", g, _PROBATION_DEFAULT)
        g.add(chief, "pa:confidence", "vocab:confidence-reported")
        g.add(chief, "pa:lastChecked", date(PROBATION_AS_OF))
        return
    appointers = {"superior-court": court, "board-of-supervisors": board}
    weakest = "verified"
    for rule in rules:
        if rule.appointed_by in appointers and len(rules) == 1:
            g.add(chief, "pa:appointedBy", appointers[rule.appointed_by])
        g.add(chief, "skos:note", text(rule.note_en, "en"), text(rule.note_es, "es"))
        g.add(chief, "dcterms:source", text(f"{rule.source} (read {rule.read})"))
        if rule.confidence != "verified":
            weakest = "reported"
    g.add(chief, "pa:confidence", f"vocab:confidence-{weakest}")
    g.add(chief, "pa:lastChecked", date(min(r.read for r in rules)))


def _unincorporated_ttl(g: _Graph, county: County) -> None:
    """The county's unincorporated areas: a place of its own, governed by the board of
    supervisors and policed by the sheriff."""
    n = county.unincorporated
    g.add(n, "rdf:type", "pa:UnincorporatedArea")
    g.labels(
        n,
        f"{county.name}, unincorporated areas",
        f"{county.label_es}, áreas no incorporadas",
    )
    _both(
        n,
        "skos:definition",
        g,
        (
            f"The parts of {county.name} that lie in no incorporated city or town. The "
            f"{county.name} Board of Supervisors makes their local law (county ordinances apply "
            "there; a city's own ordinances apply only within the city), and the sheriff's "
            "department is their police.",
            f"Las partes {county.of_es} que no pertenecen a ninguna ciudad o pueblo incorporado. "
            f"La Junta de Supervisores {county.of_es} dicta sus normas locales (allí rigen las "
            "ordenanzas del condado; las ordenanzas de una ciudad rigen solo dentro de ella), y "
            "el Departamento del Sheriff es su policía.",
        ),
    )
    g.add(n, "pa:inCounty", county.node)
    g.add(n, "pa:hasGovernmentLevel", "vocab:level-county")
    g.add(n, "pa:hasPoliceProvider", f"body:{county.slug}-sheriffs-department")
    g.add(n, "pa:localLegislativeBody", f"body:{county.slug}-board-of-supervisors")
    g.add(n, "dcterms:source", text(SRC_UNINCORPORATED))
    g.add(n, "pa:confidence", "vocab:confidence-reported")
    g.add(n, "pa:lastChecked", date(REVIEWED))


def _city_bodies(g: _Graph, city: City, *, council: bool) -> None:
    name, slug = city.name, city.slug
    departments = f"body:{slug}-city-departments"
    kind = "town" if city.is_town else "city"
    of_kind_es = "del pueblo" if city.is_town else "de la ciudad"
    where = {"level": "vocab:level-city", "place": city.node}
    sources = (SRC_CITY_COUNCIL,)
    if council:
        body = f"body:{slug}-city-council"
        g.body(
            body,
            ("pa:LegislativeBody",),
            (f"{name} {kind.title()} Council", f"Concejo Municipal de {city.name_es}"),
            (
                f"The elected legislative body of the {kind} of {name}.",
                f"El órgano legislativo electo {of_kind_es} de {city.name_es}.",
            ),
            generic="body:city-council",
            sources=sources,
            **where,
        )
        g.add(body, "pa:hasAuthorityOver", departments)
    g.body(
        departments,
        ("pa:GovernmentAgency",),
        (
            f"{name} {kind} departments (other than police)",
            f"Departamentos municipales de {city.name_es} (excepto la policía)",
        ),
        (
            f"The departments of the {kind} of {name}, other than its police, that may cooperate "
            "or share information with immigration enforcement.",
            f"Los departamentos {of_kind_es} de {city.name_es}, excepto su policía, que pueden "
            "cooperar o compartir información con las autoridades de control migratorio.",
        ),
        generic="body:city-departments",
        sources=sources,
        **where,
    )


def _both(subject: str, predicate: str, g: _Graph, texts: tuple[str, str]) -> None:
    g.add(subject, predicate, text(texts[0], "en"), text(texts[1], "es"))


def _post_source(ksr_id: str, wikidata: str, file: str) -> Literal:
    return text(f"{SRC_POST}, in {file}: row {ksr_id} (Wikidata {wikidata})")


def _sheriffs_and_jails(g: _Graph, county: County, sheriff: Sheriff) -> None:
    """The sheriff's office by its own name and website; who runs the county jail."""
    department = f"body:{county.slug}-sheriffs-department"
    office = f"office:{county.slug}-sheriff"
    g.add(department, "skos:altLabel", text(sheriff.name, "en"), text(sheriff.name, "es"))
    g.add(department, "pa:officialWebsite", typed(sheriff.website, "xsd:anyURI"))
    g.add(department, "pa:asOf", date(POST_AS_OF))
    g.add(
        department, "dcterms:source", _post_source(sheriff.ksr_id, sheriff.wikidata, SHERIFFS_CSV)
    )
    g.add(office, "pa:hasAuthorityOver", department)
    if county.fips != NAPA_FIPS:
        g.add(county.node, "pa:hasJailOperator", department)
        en, es = _SHERIFF_POWERS
        _both(
            office,
            "pa:powersNote",
            g,
            (en.format(agency=sheriff.name), es.format(agency=sheriff.name)),
        )
        g.add(office, "dcterms:source", text(SRC_POWERS))
        return
    corrections = f"body:{county.slug}-department-of-corrections"
    board = f"body:{county.slug}-board-of-supervisors"
    g.add(corrections, "rdf:type", "pa:CustodialAgency")
    g.labels(
        corrections,
        f"{county.name} Department of Corrections",
        f"Departamento de Correcciones {county.of_es}",
    )
    _both(
        corrections,
        "skos:definition",
        g,
        (
            f"The county department that runs the {county.name} jail, under the board of "
            "supervisors and not under the sheriff.",
            f"El departamento del condado que administra la cárcel {county.of_es}, bajo la Junta "
            "de Supervisores y no bajo el sheriff.",
        ),
    )
    g.add(corrections, "pa:hasGovernmentLevel", "vocab:level-county")
    g.add(corrections, "pa:hasJurisdiction", county.node)
    g.add(corrections, "dcterms:source", text(SRC_NAPA_CORRECTIONS))
    g.add(county.node, "pa:hasJailOperator", corrections)
    g.add(board, "pa:hasAuthorityOver", corrections)
    _both(board, "pa:powersNote", g, _NAPA_BOARD_POWERS)
    g.add(board, "dcterms:source", text(SRC_NAPA_CORRECTIONS), text(SRC_POWERS))
    _both(
        department,
        "skos:note",
        g,
        (
            f"The {county.name} sheriff's office does not run the county jail: the county's "
            "Department of Corrections does, under the board of supervisors.",
            f"La oficina del sheriff {county.of_es} no administra la cárcel del condado: la "
            "administra el Departamento de Correcciones del condado, bajo la Junta de "
            "Supervisores.",
        ),
    )
    g.add(department, "dcterms:source", text(SRC_NAPA_CORRECTIONS))


def _police_agency(
    g: _Graph, agency: PoliceAgency, county: County, providers: Mapping[str, str]
) -> None:
    """A city's police agency in the POST list, under its council or its contracting agency."""
    city = agency.city
    n = agency.node
    kind = "town" if city.is_town else "city"
    kind_es = "del pueblo" if city.is_town else "de la ciudad"
    g.add(n, "rdf:type", "pa:LawEnforcementAgency")
    g.labels(n, agency.name, agency.name)
    if agency.contract:
        definition = (
            f"The police agency of the {kind} of {city.name}, staffed under contract by the "
            f"{agency.provider_agency}, in the POST list as of {POST_AS_OF}.",
            f"La agencia de policía {kind_es} de {city.name_es}, cuyo personal aporta por "
            f"contrato {agency.provider_agency}, en la lista de POST del {POST_AS_OF}.",
        )
    else:
        definition = (
            f"The police agency of the {kind} of {city.name}, in the POST list as of {POST_AS_OF}.",
            f"La agencia de policía {kind_es} de {city.name_es}, en la lista de POST del "
            f"{POST_AS_OF}.",
        )
    _both(n, "skos:definition", g, definition)
    g.add(n, "pa:hasGovernmentLevel", "vocab:level-city")
    g.add(n, "pa:hasJurisdiction", city.node)
    g.add(n, "pa:isLocalInstanceOf", "body:local-police-department")
    g.add(n, "pa:officialWebsite", typed(agency.website, "xsd:anyURI"))
    g.add(n, "pa:asOf", date(POST_AS_OF))
    g.add(n, "dcterms:source", _post_source(agency.ksr_id, agency.wikidata, POLICE_CSV))
    if agency.note:
        _both(n, "skos:note", g, _POLICE_NOTES[agency.note])
    g.add(city.node, "pa:hasPoliceProvider", n)
    if agency.contract:
        g.add(n, "org:subOrganizationOf", providers[agency.provider_agency])
        return
    if agency.note.startswith("joint police authority"):
        return  # governed by a joint board, not by one council
    council = (
        f"body:{county.slug}-board-of-supervisors"
        if county.consolidated
        else f"body:{city.slug}-city-council"
    )
    g.add(council, "pa:hasAuthorityOver", n)
    en, es = _COUNCIL_POWERS
    _both(
        council, "pa:powersNote", g, (en.format(agency=agency.name), es.format(agency=agency.name))
    )
    g.add(council, "dcterms:source", text(SRC_POWERS))


def _local_bodies_ttl(sources: Sources) -> list[Triple]:
    g = _Graph()
    for county in sources.counties:
        rules = [r for r in sources.probation if r.fips == county.fips]
        _county_bodies(g, county, rules)
    for city in sources.cities:
        _city_bodies(g, city, council=city.municipal_type != "City and county")
    sheriffs = sources.sheriffs or {}
    for county in sources.counties:
        if county.fips in sheriffs:
            _sheriffs_and_jails(g, county, sheriffs[county.fips])
    providers = {a.name: a.node for a in sources.police}
    providers.update(_sheriff_names(sheriffs.values()))
    counties = {c.fips: c for c in sources.counties}
    for agency in sources.police:
        _police_agency(g, agency, counties[agency.city.county_fips], providers)
    return g.triples


def _agreements_ttl(sources: Sources) -> list[Triple]:
    g = _Graph()
    for agreement in sources.agreements:
        row = agreement.row
        node = f"{_ID}agreement/{agreement.slug}"
        agency = agreement.agency
        addendum = agency.endswith(" Addendum")
        party = agency.removesuffix(" Addendum")
        g.add(node, "rdf:type", "pa:EnforcementAgreement")
        if addendum:
            g.labels(
                node, f"287(g) agreement addendum: {party}", f"Adenda al acuerdo 287(g): {party}"
            )
        else:
            g.labels(node, f"287(g) agreement: {party}", f"Acuerdo 287(g): {party}")
        g.add(node, "pa:hasAgreementParty", f"body:{agreement.county.slug}-sheriffs-department")
        # The start is the data's best guess for the first signing. Where that falls after the
        # last date the data shows it active (the "Addendum" row, first seen on a later ICE
        # roster) the data contradicts itself: no start date is asserted, and the note gives
        # every date. The data's last active date is a last sighting (pa:asOf), not an end date;
        # the end date comes only from _287G_ENDS.
        signed_after_end = row["first_signed_best"] > row["active_to"]
        if not signed_after_end:
            g.add(node, "pa:startDate", date(row["first_signed_best"]))
        g.add(node, "pa:asOf", date(row["active_to"]))
        end = _287G_ENDS.get(agency)
        if end is not None:
            g.add(node, "pa:endDate", date(end[0]))
        for model in row["models"].split(";"):
            if model.strip():
                g.add(node, "pa:agreementModel", text(model.strip()))
        note = (
            f"Agency as the data names it: {agency}. First signed {row['first_signed_best']} "
            f"(best guess; source: {row['first_signed_source']}); signing dates: "
            f"{row['signing_dates']}; latest signed {row['latest_signed']}; seen active from "
            f"{row['active_from']} to {row['active_to']}. Confidence (Deportation Data "
            f"Project): {row['confidence']}."
        )
        note_es = (
            f"Agencia según el nombre que le dan los datos: {agency}. Primera firma: "
            f"{row['first_signed_best']} (estimación; fuente: {row['first_signed_source']}); "
            f"fechas de firma: {row['signing_dates']}; última firma: {row['latest_signed']}; "
            f"los datos lo muestran vigente del {row['active_from']} al {row['active_to']}. "
            f"Confianza según el Deportation Data Project: {row['confidence']}."
        )
        if not row["county_fips"]:
            note += (
                " The data gives no county for this row; the agency's name places it in "
                f"{agreement.county.name}."
            )
            note_es += (
                " Los datos no indican el condado de esta fila; el nombre de la agencia lo sitúa "
                f"en el Condado de {spanish_name(agreement.county.short_name)}."
            )
        if signed_after_end:
            note += (
                f" The first signing date ({row['first_signed_best']}) is the earliest date the "
                "source observed it and falls after the last date the data shows it active, so "
                "no start date is given here."
            )
            note_es += (
                f" La fecha de primera firma ({row['first_signed_best']}) es la primera fecha en "
                "que la fuente registró el acuerdo y es posterior a la última fecha en que los "
                "datos lo muestran vigente, por lo que aquí no se indica fecha de inicio."
            )
        note += " " + _287G_LAST_SEEN[0]
        note_es += " " + _287G_LAST_SEEN[1]
        if end is not None:
            note += " " + end[1]
            note_es += " " + end[2]
        g.add(node, "skos:note", _en(note), text(note_es, "es"))
        sources_text = [SRC_287G, f"First signing date: {row['first_signed_source']}"]
        if row["secondary_sources"]:
            sources_text.append(f"Also listed by: {row['secondary_sources']}")
        sources_text += [
            f"Memorandum of agreement (archived): {url.strip()}"
            for url in row["moa_archived_url"].split(";")
            if url.strip()
        ]
        if end is not None:
            sources_text.append(end[3])
        g.add(node, "dcterms:source", *(text(s) for s in sources_text))
    return g.triples


# How sure each kind of generated fact is, and when it was last checked, by the start of its
# dcterms:source text: (start, confidence, last checked). A node takes the weakest confidence and
# the oldest date of its sources. A source text that matches none fails generation.
_SOURCE_CHECKS: tuple[tuple[str, str, str], ...] = (
    (SRC_COUNTIES, "reported", COPIED),
    (SRC_CHARTER, "reported", REVIEWED),
    (SRC_ICE_AOR, "reported", COPIED),
    (SRC_CITIES, "reported", COPIED),
    (SRC_CONSOLIDATED, "reported", COPIED),
    (SRC_BOUNDARY[:60], "reported", COPIED),
    (SRC_BOARD, "reported", COPIED),
    (SRC_ELECTED, "verified", REVIEWED),
    (SRC_PROBATION, "reported", PROBATION_AS_OF),
    (SRC_COUNTY_LIST, "reported", COPIED),
    (SRC_CITY_COUNCIL, "reported", COPIED),
    (SRC_POST, "reported", REVIEWED),
    (SRC_POWERS, "reported", REVIEWED),
    (SRC_NAPA_CORRECTIONS, "verified", REVIEWED),
    (SRC_UNINCORPORATED, "reported", REVIEWED),
    (SRC_287G, "reported", COPIED),
    ("First signing date: ", "reported", COPIED),
    ("Also listed by: ", "reported", COPIED),
    ("Memorandum of agreement (archived): ", "reported", COPIED),
    ("End date: ", "reported", REVIEWED),
    ("Shasta County charter: ", "reported", REVIEWED),
    ("ca-counties.geojson", "reported", COPIED),
)
_CONFIDENCE_RANK = {"verified": 0, "reported": 1, "general-knowledge": 2}


def with_confidence(triples: list[Triple]) -> list[Triple]:
    """``triples`` plus ``pa:confidence`` and ``pa:lastChecked`` on every node with a
    ``dcterms:source`` that does not state them already, from :data:`_SOURCE_CHECKS`."""
    source, confidence, checked = iri("dcterms:source"), iri("pa:confidence"), iri("pa:lastChecked")
    stated = {s for s, p, _ in triples if p == confidence}
    found: dict[URIRef, list[tuple[str, str]]] = {}
    for s, p, o in triples:
        if p != source or s in stated:
            continue
        value = str(o)
        match = next((c for c in _SOURCE_CHECKS if value.startswith(c[0])), None)
        if match is None and " (read " in value:  # a row of the probation CSV
            match = ("", "reported", value.rsplit(" (read ", 1)[1].rstrip(")"))
        if match is None:
            raise GenerationError(f"no confidence is known for the source text {value[:80]!r}")
        found.setdefault(s, []).append((match[1], match[2]))
    added: list[Triple] = []
    for s, checks in found.items():
        weakest = max((c for c, _ in checks), key=_CONFIDENCE_RANK.__getitem__)
        added.append((s, confidence, iri(f"vocab:confidence-{weakest}")))
        added.append((s, checked, date(min(d for _, d in checks))))
    return triples + added


_PARTS: tuple[tuple[str, Callable[[Sources], list[Triple]], tuple[str, ...]], ...] = (
    (COUNTIES_TTL, _counties_ttl, (COUNTIES_CSV, ICE_AOR_CSV, CITIES_CSV)),
    (CITIES_TTL, _cities_ttl, (CITIES_CSV, COUNTIES_CSV)),
    (BOUNDARIES_TTL, _boundaries_ttl, (BOUNDARIES_GEOJSON, COUNTIES_CSV)),
    (
        LOCAL_BODIES_TTL,
        _local_bodies_ttl,
        (COUNTIES_CSV, CITIES_CSV, POLICE_CSV, SHERIFFS_CSV, PROBATION_CSV),
    ),
    (AGREEMENTS_TTL, _agreements_ttl, (AGREEMENTS_CSV, COUNTIES_CSV)),
)


def _header(files: Iterable[str]) -> str:
    return _GENERATED_BY.format(sources=", ".join(files))


#################################################################
# The public functions
#################################################################


def generate(paths: ProjectPaths | None = None) -> dict[str, str]:
    """The generated Turtle files: ``{path relative to the project root: text}``.

    Deterministic: the same sources give the same bytes. Raises :class:`GenerationError`.

    >>> files = generate()
    >>> sorted(files) == sorted(OUTPUT_FILES)
    True
    >>> files == generate()
    True
    """
    sources = read_sources(paths)
    return {
        relative: turtle(with_confidence(build(sources)), header=_header(inputs))
        for relative, build, inputs in _PARTS
    }


def _changed(paths: ProjectPaths, files: Mapping[str, str]) -> Iterator[str]:
    for relative, content in files.items():
        target = paths.root / relative
        try:
            current = target.read_bytes()
        except FileNotFoundError:
            yield relative
            continue
        if current != content.encode("utf-8"):
            yield relative


def stale(paths: ProjectPaths | None = None) -> list[str]:
    """The generated files (relative paths) that are missing or differ from :func:`generate`.

    >>> stale()
    []
    """
    paths = paths if paths is not None else project_paths()
    return list(_changed(paths, generate(paths)))


def write(paths: ProjectPaths | None = None) -> list[str]:
    """Write the generated files that changed; return their relative paths (empty when all were
    current). Nothing is written unless every file could be generated."""
    paths = paths if paths is not None else project_paths()
    files = generate(paths)
    changed = list(_changed(paths, files))
    for relative in changed:
        target = paths.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[relative].encode("utf-8"))
    return changed
