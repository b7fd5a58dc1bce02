"""The history page's data: California's past 287(g) agreements and the facts that can change.

:func:`past_287g` answers ``cq-020-counties-with-past-287g`` (county, model, dates) with the
agency, sources and confidence of each agreement (``history-287g``); :func:`time_sensitive`
lists every fact with a ``pa:asOf`` date (``history-time-sensitive``, sources from
``cq-019-time-sensitive-facts``), with what kind of fact it is and what may have changed since.
Table rows for the page, with headers in the reader's language, come from :func:`rows_287g`
and :func:`rows_time_sensitive`.

>>> kind_of(["https://w3id.org/pipeline-atlas/ont/LawEnforcementAgency",
...          "https://w3id.org/pipeline-atlas/ont/CustodialAgency"])
'jail'
>>> kind_of([])
'other'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..atlas import Atlas
from ..i18n import t
from .links import node_param

__all__ = [
    "KINDS",
    "Agreement287g",
    "TimeSensitiveFact",
    "kind_of",
    "kinds_present",
    "past_287g",
    "rows_287g",
    "rows_time_sensitive",
    "time_sensitive",
]

PAST_287G = "cq-020-counties-with-past-287g"
DETAILS_287G = "history-287g"
TIME_SENSITIVE = "history-time-sensitive"
TIME_SENSITIVE_SOURCES = "cq-019-time-sensitive-facts"

_PA = "https://w3id.org/pipeline-atlas/ont/"
# The kind of a fact, from its most telling class (first match wins).
KINDS: tuple[tuple[str, str], ...] = (
    ("EnforcementAgreement", "agreement"),
    ("LegalRepresentationProgram", "program"),
    ("LegalInstrument", "law"),
    ("InformationFlow", "flow"),
    ("ImmigrationEnforcementAgency", "immigration"),
    ("CustodialAgency", "jail"),
    ("LawEnforcementAgency", "police"),
    ("Office", "office"),
    ("County", "county"),
    ("City", "city"),
)


def kind_of(classes: Iterable[str]) -> str:
    """The kind of a fact (``agreement``, ``law``, ``jail``, ``police``, … or ``other``) from its
    classes' IRIs."""
    names = {c[len(_PA) :] for c in classes if c.startswith(_PA)}
    for name, kind in KINDS:
        if name in names:
            return kind
    return "other"


@dataclass(frozen=True)
class Agreement287g:
    """A past 287(g) agreement: the county, the agency that signed it (label and page-link
    parameter), the model, the first signing date, the end date where a source gives it, the last
    date the data shows it active, its sources, how sure and when last checked."""

    agreement: str
    label: str
    county: str
    county_label: str
    agency: str
    agency_label: str
    agency_node: str
    model: str | None
    start_date: str | None
    end_date: str | None
    last_seen: str | None
    sources: tuple[str, ...]
    confidence: str | None
    last_checked: str | None


@dataclass(frozen=True)
class TimeSensitiveFact:
    """A fact that can change: the node (IRI, label, page-link parameter), its kind (see
    :data:`KINDS`) and the kind's label, the date it holds as of, its other dates (already
    worded), what may have changed since, its sources, how sure and when last checked."""

    iri: str
    label: str
    node: str
    kind: str
    kind_label: str
    as_of: str
    dates: tuple[str, ...]
    change: str
    sources: tuple[str, ...]
    confidence: str | None
    last_checked: str | None


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def past_287g(atlas: Atlas, *, lang: str = "en") -> list[Agreement287g]:
    """The past 287(g) agreements of California's sheriffs, by first signing date."""
    details: dict[str, dict[str, object]] = {}
    for row in atlas.query(DETAILS_287G, params={"lang": lang}, max_rows=None).rows:
        found = details.setdefault(
            str(row["agreement"]),
            {
                "agency": str(row["party"]),
                "agency_label": str(row["partyLabel"]),
                "confidence": _str(row["confidenceLabel"]),
                "last_checked": _str(row["lastChecked"]),
                "sources": [],
            },
        )
        sources = found["sources"]
        assert isinstance(sources, list)
        if str(row["source"]) not in sources:
            sources.append(str(row["source"]))

    agreements: list[Agreement287g] = []
    for row in atlas.query(PAST_287G, params={"lang": lang}, max_rows=None).rows:
        iri = str(row["agreement"])
        more = details.get(iri, {})
        agency = str(more.get("agency", ""))
        sources = more.get("sources", [])
        assert isinstance(sources, list)
        agreements.append(
            Agreement287g(
                agreement=iri,
                label=str(row["agreementLabel"]),
                county=str(row["county"]),
                county_label=str(row["countyLabel"]),
                agency=agency,
                agency_label=str(more.get("agency_label", "")),
                agency_node=node_param(agency),
                model=_str(row["model"]),
                start_date=_str(row["startDate"]),
                end_date=_str(row["endDate"]),
                last_seen=_str(row["lastSeen"]),
                sources=tuple(sorted(sources)),
                confidence=_str(more.get("confidence")),
                last_checked=_str(more.get("last_checked")),
            )
        )
    agreements.sort(key=lambda a: (a.start_date or "9999", a.county_label))
    return agreements


def time_sensitive(atlas: Atlas, *, lang: str = "en") -> list[TimeSensitiveFact]:
    """Every fact with a ``pa:asOf`` date, oldest date first, then by label."""
    sources: dict[str, list[str]] = {}
    for row in atlas.query(TIME_SENSITIVE_SOURCES, params={"lang": lang}, max_rows=None).rows:
        if row["source"] is not None:
            listed = sources.setdefault(str(row["node"]), [])
            if str(row["source"]) not in listed:
                listed.append(str(row["source"]))

    first_row: dict[str, Mapping[str, object]] = {}
    classes: dict[str, list[str]] = {}
    as_of: dict[str, set[str]] = {}
    for row in atlas.query(TIME_SENSITIVE, params={"lang": lang}, max_rows=None).rows:
        iri = str(row["node"])
        first_row.setdefault(iri, row)
        classes.setdefault(iri, []).append(str(row["kind"]))
        as_of.setdefault(iri, set()).add(str(row["asOf"]))

    result: list[TimeSensitiveFact] = []
    for iri, fact in first_row.items():
        kind = kind_of(classes[iri])
        dates = tuple(
            t(f"ui.history.date.{name}", lang, date=str(fact[column]))
            for name, column in (
                ("start", "startDate"),
                ("end", "endDate"),
                ("enacted", "enactedDate"),
                ("effective", "effectiveDate"),
            )
            if fact[column] is not None
        )
        result.append(
            TimeSensitiveFact(
                iri=iri,
                label=str(fact["nodeLabel"]),
                node=node_param(iri),
                kind=kind,
                kind_label=t(f"ui.history.kind.{kind}", lang),
                as_of=max(as_of[iri]),
                dates=dates,
                change=t(f"ui.history.change.{kind}", lang),
                sources=tuple(sources.get(iri, [])),
                confidence=_str(fact["confidenceLabel"]),
                last_checked=_str(fact["lastChecked"]),
            )
        )
    result.sort(key=lambda f: (f.as_of, f.label.casefold(), f.iri))
    return result


def rows_287g(agreements: Sequence[Agreement287g], *, lang: str = "en") -> list[dict[str, str]]:
    """One table row per agreement, with column names in ``lang``; a missing date is "not known"
    only for the first signing (an end date or a last sighting that no source gives is blank)."""
    return [
        {
            t("ui.history.column.county", lang): a.county_label,
            t("ui.history.column.agency", lang): a.agency_label,
            t("ui.history.column.model", lang): a.model or "",
            t("ui.history.column.start", lang): a.start_date or t("ui.history.unknown", lang),
            t("ui.history.column.end", lang): a.end_date or "",
            t("ui.history.column.last_seen", lang): a.last_seen or "",
            t("ui.sources.how_sure", lang): a.confidence or "",
            t("ui.sources.last_checked", lang): a.last_checked or "",
        }
        for a in agreements
    ]


def rows_time_sensitive(
    facts: Sequence[TimeSensitiveFact], *, lang: str = "en", kind: str | None = None
) -> list[dict[str, str]]:
    """One table row per fact (only those of ``kind`` when given), with column names in
    ``lang``; the ``Page`` column holds the node's page-link parameter."""
    return [
        {
            t("ui.history.column.as_of", lang): f.as_of,
            t("ui.history.column.fact", lang): f.label,
            t("ui.history.column.kind", lang): f.kind_label,
            t("ui.history.column.other_dates", lang): "; ".join(f.dates),
            t("ui.history.column.change", lang): f.change,
            t("ui.sources.how_sure", lang): f.confidence or "",
            t("ui.sources.last_checked", lang): f.last_checked or "",
            t("ui.history.column.link", lang): f.node,
        }
        for f in facts
        if kind is None or f.kind == kind
    ]


def kinds_present(facts: Sequence[TimeSensitiveFact]) -> list[tuple[str, str]]:
    """The kinds of the facts (kind, label), in the order of :data:`KINDS`, ``other`` last."""
    present = {f.kind: f.kind_label for f in facts}
    order = [kind for _, kind in KINDS] + ["other"]
    return [(kind, present[kind]) for kind in order if kind in present]
