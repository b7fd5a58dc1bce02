"""The plan's model: what one city's plan holds, as data (no Markdown, no sentences).

:func:`city_plan` asks only catalogue queries — ``cq-014`` (who can block each flow in the city),
``cq-015`` (the bodies that govern it), ``cq-017`` (the laws that limit each flow and the gap that
remains), ``cq-018`` (representation programs and whether they exclude people with records) and
the lookups in ``queries/lookup/`` (``places``, ``programs-in-place``, ``local-laws``) — and
arranges the answers as a :class:`CityPlan`. Labels come from the graph in the language asked for.
What no source says (who polices a city not in the POST list, its charter status, whether a
program excludes people with records) is ``None``, never a word: :mod:`pipeline_atlas.plan.markdown`
says it is unknown.

>>> from pipeline_atlas import Atlas
>>> plan = city_plan(Atlas.build(reason=False), "oakland")
>>> plan.place_label, plan.police_provider
('Oakland, Alameda County', 'Oakland Police Department')
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal, TypeAlias

import pyoxigraph as ox

from ..atlas import Atlas
from ..errors import ParameterError
from ..i18n import LANGUAGES, t
from ..results import QueryResult, Value

if TYPE_CHECKING:
    from .markdown import Section

__all__ = [
    "FORMATS",
    "MARKERS",
    "STATUSES",
    "Action",
    "Blocker",
    "CityPlan",
    "Flow",
    "GoverningBody",
    "Marker",
    "Passage",
    "Place",
    "Program",
    "Stage",
    "Status",
    "UnknownPlaceError",
    "city_plan",
    "places",
    "plan_file",
]

Status: TypeAlias = Literal["local", "state", "federal", "unknown", "none"]
"""Who can block a flow in the city: one of its (or its county's) bodies, the state, the federal
government, a body the sources do not name for the city, or no body at all."""

Marker: TypeAlias = Literal["here", "state", "federal", "nobody", "unknown"]
"""A flow's status marker in a plan: blockable here (by a body of the place or its county), by the
state, by the federal government, by no one, or not known (the sources name no body here)."""

MARKERS: tuple[Marker, ...] = ("here", "state", "federal", "nobody", "unknown")
_MARKER_OF: dict[str, Marker] = {
    "local": "here",
    "state": "state",
    "federal": "federal",
    "none": "nobody",
    "unknown": "unknown",
}

JURISDICTION = "https://w3id.org/pipeline-atlas/id/jurisdiction/"
LEVEL = "https://w3id.org/pipeline-atlas/id/vocab/level-"

WHO_CAN_BLOCK = "cq-014-who-can-block-in-a-city"
BODIES = "cq-015-bodies-governing-a-place"
LAWS_AND_GAPS = "cq-017-flow-laws-and-gaps"
PROGRAMS = "cq-018-justice-funds-and-criminal-records"
PLACES = "places"
PROGRAMS_IN_PLACE = "programs-in-place"
LOCAL_LAWS = "local-laws"
CONFIDENCE = "fact-confidence"
ACTIONS = "plan-actions"
ACTION_FACTS = "plan-action-facts"
WIDER_BODIES = "plan-wider-bodies"

STATUSES: tuple[Status, ...] = ("local", "state", "federal", "unknown", "none")
"""The statuses in the order a plan lists them: the city's own bodies first."""
_STATUSES: dict[str, Status] = {status: status for status in STATUSES}


def _str(row: Mapping[str, Value], name: str) -> str | None:
    value = row.get(name)
    return None if value is None or value == "" else str(value)


def _bool(row: Mapping[str, Value], name: str) -> bool | None:
    value = row.get(name)
    return value if isinstance(value, bool) else None


def _int(row: Mapping[str, Value], name: str) -> int | None:
    value = row.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _language(result: QueryResult, index: int, name: str) -> str | None:
    term = result.terms[index].get(name)
    return term.language if isinstance(term, ox.Literal) else None


def _split(joined: str | None) -> tuple[str, ...]:
    """The values of a ``GROUP_CONCAT(...; separator="; ")`` column, sorted: SPARQL leaves the
    order of a group to the store, and a plan reads the same on every store."""
    return tuple(sorted(part.strip() for part in (joined or "").split("; ") if part.strip()))


def _slug(iri: str) -> str:
    return iri.removeprefix(JURISDICTION)


class UnknownPlaceError(ParameterError):
    """The atlas has no city or town by this name; ``candidates`` are close matches (slugs).

    The message says what is wrong; advice about commands (``cli.advice.places``) is the CLI's.

    >>> str(UnknownPlaceError("springfeld", candidates=["springville"]))
    "no city or town 'springfeld' in the atlas; did you mean springville?"
    >>> str(UnknownPlaceError("gotham"))
    "no city or town 'gotham' in the atlas"
    """

    def __init__(self, city: str, *, candidates: Sequence[str] = ()) -> None:
        self.city = city
        self.candidates = list(candidates)
        hint = f"; did you mean {', '.join(self.candidates)}?" if self.candidates else ""
        super().__init__(f"no city or town {city!r} in the atlas{hint}", param="city")


@dataclass(frozen=True)
class Place:
    """A city or town, or a county's unincorporated areas, and its county, as the ``places``
    lookup gives them."""

    city: str
    label: str
    county: str
    county_label: str
    unincorporated: bool = False

    @property
    def slug(self) -> str:
        """The short name the queries take, e.g. ``oakland``."""
        return _slug(self.city)

    @property
    def is_county(self) -> bool:
        """Whether the city is its own county (San Francisco)."""
        return self.city == self.county

    def display(self, *, lang: str = "en") -> str:
        """``Oakland, Alameda County``; ``San Francisco (city and county)``; ``Los Angeles
        County, unincorporated areas``."""
        if self.unincorporated:
            return self.label
        if self.is_county:
            return t("plan.city_and_county", lang, city=self.label)
        return t("plan.place_in_county", lang, city=self.label, county=self.county_label)


@dataclass(frozen=True)
class Blocker:
    """Who answers, in the city, for blocking one flow, and through which action.

    ``body``/``body_label`` are set for ``local``, ``state`` and ``federal``; ``generic_label`` is
    the kind of body the action is aimed at (for ``unknown``, the document's "appropriate elected
    authority"); ``level_label`` is a local body's level (city, county) from the graph;
    ``can_do`` is what the body can and cannot do over the agency (for the appropriate elected
    authority, resolved from who polices the city and who runs the county jail).
    """

    status: Status
    body: str | None = None
    body_label: str | None = None
    level_label: str | None = None
    generic_label: str | None = None
    action: str | None = None
    action_label: str | None = None
    can_do: str | None = None


@dataclass(frozen=True)
class Flow:
    """One information flow at a stage: who can block it here, the laws, and the gap."""

    flow: str
    label: str
    data_kind: str | None
    blockers: tuple[Blocker, ...]
    legal_basis: tuple[str, ...] = ()
    limited_by: tuple[str, ...] = ()
    limited_elsewhere: tuple[tuple[str, str], ...] = ()
    remaining_gap: str | None = None
    remaining_gap_language: str | None = None

    @property
    def statuses(self) -> tuple[Status, ...]:
        """The statuses of its blockers, once each, in order."""
        return tuple(dict.fromkeys(b.status for b in self.blockers))

    @property
    def marker(self) -> Marker:
        """The flow's status marker: ``here`` when a body of the place or its county can block
        it, else ``state``, ``federal``, ``unknown`` (an action aims at it but the sources name
        no body here) or ``nobody``.

        >>> Flow("f", "Booking fingerprints", None, (Blocker("none"),)).marker
        'nobody'
        >>> Flow("f", "x", None, (Blocker("state"), Blocker("local"))).marker
        'here'
        """
        for status in STATUSES:
            if status in self.statuses:
                return _MARKER_OF[status]
        return "nobody"

    @property
    def laws(self) -> tuple[str, ...]:
        """The laws in force on the flow: those that limit it here, then its legal basis."""
        return tuple(dict.fromkeys(self.limited_by + self.legal_basis))


@dataclass(frozen=True)
class Passage:
    """A passage of the source document an action comes from: the verbatim English quotation,
    the project's unofficial Spanish translation, and the document's address."""

    quotation: str
    translation: str | None = None
    url: str | None = None

    def text(self, lang: str) -> str:
        """The passage in ``lang`` (the English quotation where no translation exists)."""
        return self.translation if lang == "es" and self.translation else self.quotation


@dataclass(frozen=True)
class Action:
    """One action the source document names, as it applies to a place.

    ``press`` are the bodies to press in this place: the local instance of the body the action is
    aimed at (the city council, the county board of supervisors…), the state or federal body
    itself, or, for the document's "appropriate elected authority", the bodies resolved for each
    flow (``cq-014``). ``level`` is ``city``, ``county``, ``state`` or ``federal`` (``None`` where
    the level differs from place to place); ``blocks`` are the flows it would block or limit, with
    their status markers in :class:`Flow`; ``represents_in`` the proceedings it secures lawyers
    in, and ``excludes_records`` whether the action (not an existing program) leaves out people
    with criminal records.
    """

    action: str
    label: str
    stage_order: int
    target: str
    target_label: str
    instrument: str
    scope: str
    press: tuple[Blocker, ...]
    definition: str | None = None
    level: str | None = None
    level_label: str | None = None
    effects: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()
    represents_in: tuple[str, ...] = ()
    excludes_records: bool | None = None
    legal_basis: tuple[str, ...] = ()
    passages: tuple[Passage, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        """``county-probation-ordinance``."""
        return self.action.rsplit("/", 1)[-1]

    @property
    def secures_representation(self) -> bool:
        """Whether the action funds or secures lawyers."""
        return bool(self.represents_in)

    @property
    def press_labels(self) -> tuple[str, ...]:
        """The names of the bodies to press, once each."""
        return tuple(
            dict.fromkeys(
                b.body_label or b.generic_label or ""
                for b in self.press
                if b.body_label or b.generic_label
            )
        )


@dataclass(frozen=True)
class Stage:
    """A stage of the pipeline with its flows (in the order of ``cq-014``)."""

    stage: str
    order: int
    label: str
    flows: tuple[Flow, ...]
    actions: tuple[Action, ...] = ()

    def flow(self, iri: str) -> Flow | None:
        """The flow ``iri`` at this stage, if any."""
        return next((f for f in self.flows if f.flow == iri), None)


@dataclass(frozen=True)
class Confidence:
    """How sure the graph is of a fact (``verified``, ``reported`` … in the plan's language) and
    the day it was last checked."""

    level: str
    last_checked: str


@dataclass(frozen=True)
class GoverningBody:
    """A body or office of the city or its county (``cq-015``)."""

    body: str
    label: str
    kind: str | None
    level: str | None
    elected: bool | None = None
    member_count: int | None = None


@dataclass(frozen=True)
class Program:
    """A justice fund or representation program for the city or its county.

    ``excludes_records`` is ``None`` where no source says whether it excludes people with
    criminal records; ``eligibility_language`` is the language of ``eligibility`` (the graph has
    some notes in English only).
    """

    program: str
    label: str
    where: tuple[str, ...]
    excludes_records: bool | None
    eligibility: str | None = None
    eligibility_language: str | None = None
    as_of: str | None = None
    ended: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class CityPlan:
    """What organizers in one city can do, stage by stage; build it with :func:`city_plan`.

    ``charter_status``, ``police_provider`` and ``form_of_government`` are ``None`` where no
    source gives them. The words around the data come from :mod:`pipeline_atlas.plan.markdown`
    (``title``, ``intro``, ``sections()``, ``to_markdown()`` … in ``lang``).
    """

    city: str
    city_label: str
    county: str
    county_label: str
    lang: str
    stages: tuple[Stage, ...]
    bodies: tuple[GoverningBody, ...] = ()
    programs: tuple[Program, ...] = ()
    charter_status: str | None = None
    police_provider: str | None = None
    form_of_government: str | None = None
    unincorporated: bool = False
    confidence: Mapping[str, Confidence] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        """The city's short name, e.g. ``oakland``."""
        return _slug(self.city)

    @property
    def actions(self) -> tuple[Action, ...]:
        """Every action of the plan, stage by stage, in the source document's order."""
        return tuple(a for stage in self.stages for a in stage.actions)

    @property
    def representation_actions(self) -> tuple[Action, ...]:
        """The actions that would fund or secure lawyers (who could fund lawyers here)."""
        return tuple(a for a in self.actions if a.secures_representation)

    def flow(self, iri: str) -> Flow | None:
        """The flow ``iri`` (at whatever stage), if any."""
        return next((f for s in self.stages if (f := s.flow(iri)) is not None), None)

    @property
    def place(self) -> Place:
        """The city and its county."""
        return Place(
            self.city, self.city_label, self.county, self.county_label, self.unincorporated
        )

    @property
    def place_label(self) -> str:
        """``Oakland, Alameda County`` (``San Francisco (city and county)``)."""
        return self.place.display(lang=self.lang)

    # Rendering lives in .markdown; these keep `plan.to_markdown()` and friends at hand.

    @property
    def title(self) -> str:
        """The plan's title (Markdown)."""
        from .markdown import title

        return title(self)

    @property
    def intro(self) -> str:
        """One paragraph on what the plan holds (Markdown)."""
        from .markdown import intro

        return intro(self)

    @property
    def unknown_note(self) -> str:
        """Why some answers say unknown (Markdown)."""
        from .markdown import unknown_note

        return unknown_note(self)

    @property
    def footer(self) -> str:
        """Where the plan comes from (Markdown)."""
        from .markdown import footer

        return footer(self)

    def sections(self) -> list[Section]:
        """The plan's parts in order (see :func:`pipeline_atlas.plan.markdown.sections`)."""
        from .markdown import sections

        return sections(self)

    def to_file(self, fmt: str) -> bytes:
        """The plan as a file in ``fmt`` (``html``, ``pdf``, ``md`` or ``csv``; :data:`FORMATS`):
        the bytes to download (text in UTF-8)."""
        if fmt not in FORMATS:
            raise ParameterError(
                f"format {fmt!r} is not one of {', '.join(FORMATS)}", param="format"
            )
        if fmt == "pdf":
            return self.to_pdf()
        text = {"html": self.to_html, "md": self.to_markdown, "csv": self.to_csv}[fmt]()
        return text.encode("utf-8")

    def to_markdown(self) -> str:
        """The whole plan as a Markdown document, to print or share."""
        from .markdown import to_markdown

        return to_markdown(self)

    def to_html(self) -> str:
        """The whole plan as one self-contained, print-ready HTML document."""
        from .html import to_html

        return to_html(self)

    def to_pdf(self) -> bytes:
        """The whole plan as one PDF document, a page break before each stage."""
        from .pdf import to_pdf

        return to_pdf(self)

    def to_csv(self) -> str:
        """The plan as CSV: one row per action and flow, the header in the plan's language."""
        from .csv import to_csv

        return to_csv(self)


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ParameterError(
            f"language {lang!r} is not one of {', '.join(LANGUAGES)}", param="lang"
        )


def places(atlas: Atlas, *, lang: str = "en") -> list[Place]:
    """Every city and town with its county (the ``places`` lookup), sorted by name.

    >>> from pipeline_atlas import Atlas
    >>> everywhere = places(Atlas.build(reason=False))
    >>> len(everywhere), everywhere[0].display()
    (539, 'Adelanto, San Bernardino County')
    >>> [p.display() for p in everywhere if p.slug == "napa-county-unincorporated"]
    ['Napa County, unincorporated areas']
    """
    _check_lang(lang)
    return _places(atlas.query(PLACES, params={"lang": lang}).rows)


def _places(rows: Iterable[Mapping[str, Value]]) -> list[Place]:
    return [
        Place(
            str(r["city"]),
            str(r["cityLabel"]),
            str(r["county"]),
            str(r["countyLabel"]),
            _bool(r, "unincorporated") is True,
        )
        for r in rows
    ]


def _find_place(atlas: Atlas, city: str, *, lang: str) -> Place:
    found = _places(atlas.query(PLACES, params={"city": city, "lang": lang}).rows)
    if found:
        return found[0]
    everywhere = places(atlas, lang=lang)
    names = {p.slug: p.slug for p in everywhere}
    names.update({p.label.lower(): p.slug for p in everywhere})
    wanted = city.strip().lower().rsplit("/", 1)[-1].removeprefix("jurisdiction:")
    close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.75)
    raise UnknownPlaceError(city, candidates=list(dict.fromkeys(names[c] for c in close)))


def _blocker(row: Mapping[str, Value], levels: Mapping[str, str]) -> Blocker:
    status = _STATUSES.get(str(row.get("status") or "none"), "unknown")
    body = _str(row, "body")
    return Blocker(
        status=status,
        body=body,
        body_label=_str(row, "bodyLabel"),
        level_label=levels.get(body) if body and status == "local" else None,
        generic_label=_str(row, "genericBodyLabel"),
        action=_str(row, "action"),
        action_label=_str(row, "actionLabel"),
        can_do=_str(row, "canDo"),
    )


def city_plan(atlas: Atlas, city: str, *, lang: str = "en") -> CityPlan:
    """The plan for ``city`` (a slug such as ``oakland``, ``jurisdiction:oakland`` or the IRI).

    Labels are in ``lang`` (``en`` or ``es``). Raises :class:`UnknownPlaceError` (a
    :class:`ParameterError`) when the atlas has no such city or town, with close matches.
    """
    _check_lang(lang)
    place = _find_place(atlas, city, lang=lang)
    params = {"lang": lang}

    governing = atlas.query(BODIES, params={"place": place.city, **params}).rows
    levels = {str(r["body"]): str(r["levelLabel"]) for r in governing if r.get("levelLabel")}
    charter = _str(governing[0], "charterStatus") if governing else None
    police = _str(governing[0], "policeProvider") if governing else None
    form = _str(governing[0], "formOfGovernment") if governing else None

    laws = atlas.query(LAWS_AND_GAPS, params=params)
    law_rows = {str(row["flow"]): (i, row) for i, row in enumerate(laws.rows)}
    local_laws: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for row in atlas.query(LOCAL_LAWS, params=params).rows:
        key = (str(row["flow"]), str(row["lawLabel"]))
        local_laws.setdefault(key, []).append((str(row["place"]), str(row["placeLabel"])))

    def flow_of(flow_iri: str, label: str, data_kind: str | None, blockers: list[Blocker]) -> Flow:
        index, row = law_rows.get(flow_iri, (-1, {}))
        here: list[str] = []
        elsewhere: list[tuple[str, str]] = []
        for law in _split(_str(row, "limitedBy")):
            where = local_laws.get((flow_iri, law))
            if where and not any(p in (place.city, place.county) for p, _ in where):
                elsewhere.extend((law, where_label) for _, where_label in where)
            else:
                here.append(law)
        return Flow(
            flow=flow_iri,
            label=label,
            data_kind=data_kind,
            blockers=tuple(dict.fromkeys(blockers)),
            legal_basis=_split(_str(row, "legalBasis")),
            limited_by=tuple(here),
            limited_elsewhere=tuple(dict.fromkeys(elsewhere)),
            remaining_gap=_str(row, "remainingGap"),
            remaining_gap_language=(_language(laws, index, "remainingGap") if index >= 0 else None),
        )

    stages: dict[str, tuple[int, str, dict[str, tuple[str, str | None, list[Blocker]]]]] = {}
    for row in atlas.query(WHO_CAN_BLOCK, params={"city": place.city, **params}).rows:
        stage = stages.setdefault(
            str(row["stage"]), (int(row.get("stageOrder") or 0), str(row["stageLabel"]), {})
        )
        flow = stage[2].setdefault(
            str(row["flow"]), (str(row["flowLabel"]), _str(row, "dataKindLabel"), [])
        )
        flow[2].append(_blocker(row, levels))

    programs_result = atlas.query(PROGRAMS, params=params)
    program_facts = {str(row["program"]): (i, row) for i, row in enumerate(programs_result.rows)}
    serving: dict[str, tuple[str, list[str], str | None]] = {}
    for row in atlas.query(PROGRAMS_IN_PLACE, params={"place": place.city, **params}).rows:
        entry = serving.setdefault(str(row["program"]), (str(row["programLabel"]), [], None))
        entry[1].append(str(row["whereLabel"]))
        serving[str(row["program"])] = (entry[0], entry[1], _str(row, "endDate") or entry[2])
    programs: list[Program] = []
    for iri, (label, where, ended) in serving.items():
        index, facts = program_facts.get(iri, (-1, {}))
        programs.append(
            Program(
                program=iri,
                label=label,
                where=tuple(dict.fromkeys(where)),
                excludes_records=_bool(facts, "excludes"),
                eligibility=_str(facts, "eligibility"),
                eligibility_language=(
                    _language(programs_result, index, "eligibility") if index >= 0 else None
                ),
                as_of=_str(facts, "asOf"),
                ended=ended,
                source=_str(facts, "source"),
            )
        )

    blockers_by_action: dict[str, list[Blocker]] = {}
    flows_by_action: dict[str, list[str]] = {}
    for flows in stages.values():
        for flow_iri, (_, _, found) in flows[2].items():
            for blocker in found:
                if blocker.action:
                    blockers_by_action.setdefault(blocker.action, []).append(blocker)
                    flows_by_action.setdefault(blocker.action, []).append(flow_iri)
    actions = _actions(atlas, place, blockers_by_action, flows_by_action, levels, lang=lang)
    wider = [
        GoverningBody(
            body=str(r["body"]),
            label=str(r["bodyLabel"]),
            kind=_str(r, "kindLabel"),
            level=_str(r, "levelLabel"),
        )
        for r in atlas.query(WIDER_BODIES, params=params).rows
    ]

    return CityPlan(
        city=place.city,
        city_label=place.label,
        county=place.county,
        county_label=place.county_label,
        lang=lang,
        stages=tuple(
            Stage(
                stage=iri,
                order=order,
                label=label,
                flows=tuple(flow_of(f, *values) for f, values in flows.items()),
                actions=tuple(a for a in actions if a.stage_order == order),
            )
            for iri, (order, label, flows) in sorted(stages.items(), key=lambda s: s[1][0])
        ),
        bodies=tuple(
            GoverningBody(
                body=str(r["body"]),
                label=str(r["bodyLabel"]),
                kind=_str(r, "kindLabel"),
                level=_str(r, "levelLabel"),
                elected=_bool(r, "elected"),
                member_count=_int(r, "memberCount"),
            )
            for r in governing
        )
        + tuple(wider),
        programs=tuple(programs),
        charter_status=charter,
        police_provider=police,
        form_of_government=form,
        unincorporated=place.unincorporated,
        confidence=_confidence(atlas, place, lang=lang),
    )


FORMATS: dict[str, str] = {
    "html": "text/html",
    "pdf": "application/pdf",
    "md": "text/markdown",
    "csv": "text/csv",
}
"""The file formats of a plan (``plan_file``), by file extension, with their media types."""


def plan_file(atlas: Atlas, city: str, fmt: str, *, lang: str = "en") -> bytes:
    """The plan for ``city`` as a file in ``fmt`` (``html``, ``pdf``, ``md`` or ``csv``, see
    :data:`FORMATS`): the bytes to download (text in UTF-8)."""
    if fmt not in FORMATS:
        raise ParameterError(f"format {fmt!r} is not one of {', '.join(FORMATS)}", param="format")
    return city_plan(atlas, city, lang=lang).to_file(fmt)


def _confidence(atlas: Atlas, place: Place, *, lang: str) -> dict[str, Confidence]:
    """How sure the graph is of the laws, programs and bodies a plan shows, by label."""
    rows = atlas.query(CONFIDENCE, params={"place": place.city, "lang": lang}).rows
    return {
        str(r["label"]): Confidence(str(r["confidenceLabel"]), str(r["lastChecked"])) for r in rows
    }


def _actions(
    atlas: Atlas,
    place: Place,
    blockers_by_action: Mapping[str, Sequence[Blocker]],
    flows_by_action: Mapping[str, Sequence[str]],
    levels: Mapping[str, str],
    *,
    lang: str,
) -> list[Action]:
    """Every action of the source document for ``place`` (``plan-actions``), with its facts
    (``plan-action-facts``), the flows it blocks at its stage and the bodies to press: those
    ``cq-014`` found for the flows it blocks, else the local instance of its body in the place or
    county, or the state or federal body itself."""
    facts: dict[str, dict[str, list[Mapping[str, Value]]]] = {}
    for row in atlas.query(ACTION_FACTS, params={"lang": lang}).rows:
        facts.setdefault(str(row["action"]), {}).setdefault(str(row["kind"]), []).append(row)

    found: dict[str, Action] = {}
    locals_of: dict[str, list[Blocker]] = {}
    rows = atlas.query(ACTIONS, params={"place": place.city, "lang": lang}).rows
    for row in rows:
        iri = str(row["action"])
        level_iri = _str(row, "level")
        level = level_iri.removeprefix(LEVEL) if level_iri else None
        local = _str(row, "local")
        if local:
            locals_of.setdefault(iri, []).append(
                Blocker(
                    status="local",
                    body=local,
                    body_label=_str(row, "localLabel"),
                    level_label=levels.get(local) or _str(row, "levelLabel"),
                    generic_label=_str(row, "targetLabel"),
                    action=iri,
                    action_label=_str(row, "actionLabel"),
                )
            )
        if iri in found:
            continue
        mine = facts.get(iri, {})

        def labels(
            kind: str, mine: Mapping[str, list[Mapping[str, Value]]] = mine
        ) -> tuple[str, ...]:
            return tuple(dict.fromkeys(str(r["label"]) for r in mine.get(kind, [])))

        found[iri] = Action(
            action=iri,
            label=str(row["actionLabel"]),
            stage_order=int(row.get("stageOrder") or 0),
            target=str(row["target"]),
            target_label=str(row["targetLabel"]),
            instrument=str(row["instrumentLabel"]),
            scope=str(row["scopeLabel"]),
            press=(),
            definition=_str(row, "definition"),
            level=level,
            level_label=_str(row, "levelLabel"),
            effects=tuple(sorted(labels("effect"))),
            blocks=tuple(
                dict.fromkeys(
                    flows_by_action.get(iri) or [str(r["fact"]) for r in mine.get("blocks", [])]
                )
            ),
            represents_in=labels("representation"),
            excludes_records=_bool(row, "excludesCriminalHistories"),
            legal_basis=tuple(sorted(labels("basis"))),
            passages=tuple(
                Passage(str(r["label"]), _str(r, "translation"), _str(r, "url"))
                for r in sorted(mine.get("passage", []), key=lambda r: _int(r, "offset") or 0)
            ),
            sources=labels("source"),
        )

    actions: list[Action] = []
    for iri, action in found.items():
        press: list[Blocker] = list(blockers_by_action.get(iri, []))
        if not press:
            press = list(locals_of.get(iri, []))
        if not press and action.level in ("state", "federal"):
            status: Status = "state" if action.level == "state" else "federal"
            press = [
                Blocker(
                    status=status,
                    body=action.target,
                    body_label=action.target_label,
                    generic_label=action.target_label,
                    action=iri,
                    action_label=action.label,
                )
            ]
        if not press:
            press = [
                Blocker(
                    status="unknown",
                    generic_label=action.target_label,
                    action=iri,
                    action_label=action.label,
                )
            ]
        by_body: dict[tuple[str, str | None, str | None], Blocker] = {}
        for blocker in press:
            by_body.setdefault((blocker.status, blocker.body, blocker.generic_label), blocker)
        actions.append(replace(action, press=tuple(by_body.values())))
    return actions
