"""A printable plan for one city: who can block each information flow there, stage by stage.

:func:`city_plan` asks only catalogue queries — ``cq-014`` (who can block each flow in the city),
``cq-015`` (the bodies that govern it), ``cq-017`` (the laws that limit each flow and the gap that
remains), ``cq-018`` (representation programs and whether they exclude people with records) and
the lookups in ``queries/lookup/`` (``places``, ``programs-in-place``, ``local-laws``) — and
arranges the answers as a :class:`CityPlan`. Data labels come from the graph in the language
asked for; the few words around them come from :data:`TEXT`. What no source says (who polices a
city, its charter status) stays unknown and is said to be unknown.

>>> from pipeline_atlas import Atlas
>>> atlas = Atlas.build(reason=False)
>>> plan = city_plan(atlas, "oakland")
>>> plan.place_label
'Oakland, Alameda County'
>>> [stage.label for stage in plan.stages]  # doctest: +NORMALIZE_WHITESPACE
['Police Stop', 'Police Arrest & Local Police Department Lockup', 'State Crime Conviction',
 'Federal Crime Conviction']
>>> sorted({b.body_label for s in plan.stages for f in s.flows for b in f.blockers
...         if b.status == "local"})
['Alameda County Board of Supervisors', 'Oakland City Council']
>>> print(plan.to_markdown().splitlines()[0])
# Oakland, Alameda County: a plan for organizers
>>> city_plan(atlas, "oaklnd")
Traceback (most recent call last):
...
pipeline_atlas.plan.UnknownPlaceError: no city or town 'oaklnd' in the atlas; did you mean oakland?
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

import pyoxigraph as ox

from ..atlas import Atlas
from ..errors import ParameterError
from ..results import QueryResult, Value

__all__ = [
    "LANGUAGES",
    "TEXT",
    "Blocker",
    "CityPlan",
    "Flow",
    "GoverningBody",
    "Place",
    "Program",
    "Section",
    "Stage",
    "Status",
    "UnknownPlaceError",
    "city_plan",
    "places",
]

Status: TypeAlias = Literal["local", "state", "federal", "unknown", "none"]
"""Who can block a flow in the city: one of its (or its county's) bodies, the state, the federal
government, a body the sources do not name for the city, or no body at all."""

LANGUAGES: tuple[str, ...] = ("en", "es")

JURISDICTION = "https://w3id.org/pipeline-atlas/id/jurisdiction/"

WHO_CAN_BLOCK = "cq-014-who-can-block-in-a-city"
BODIES = "cq-015-bodies-governing-a-place"
LAWS_AND_GAPS = "cq-017-flow-laws-and-gaps"
PROGRAMS = "cq-018-justice-funds-and-criminal-records"
PLACES = "places"
PROGRAMS_IN_PLACE = "programs-in-place"
LOCAL_LAWS = "local-laws"

_STATUSES: dict[str, Status] = {
    "local": "local",
    "state": "state",
    "federal": "federal",
    "unknown": "unknown",
    "none": "none",
}
_STATUS_ORDER: dict[str, int] = {status: rank for rank, status in enumerate(_STATUSES)}
# cq-015 gives these words where no source states a place's charter status or police provider.
_UNKNOWN_WORDS = frozenset({"unknown", "desconocido"})

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "{place}: a plan for organizers",
        "city_and_county": "{city} (city and county)",
        "intro": (
            "Stage by stage through the Arrest-to-Deportation Pipeline: who can stop the sharing "
            "of people's information with immigration enforcement in {city}, what the law "
            "already does, and what still gets through. Then who governs {city}, and the "
            "legal-representation programs for {where}."
        ),
        "and": "{a} and {b}",
        "or": "{a} or {b}",
        "stage": "Stage {order}: {label}",
        "contacts": "Who to contact",
        "law": "What the law already does",
        "gaps": "What still gets through",
        "level_state": "state",
        "level_federal": "federal",
        "what_to_do": "What to do: {action}",
        "would_stop": "This would stop: {flows}",
        "unknown_body": (
            "**Not known for {city} yet:** {generic}. Who that is depends on who polices {city}, "
            "which the sources do not say."
        ),
        "nobody": "**No body can block this, as far as the sources say**",
        "limited_by": "Limited by: {laws}",
        "basis": "Legal basis for the sharing: {laws}",
        "no_limit": "No law limits this in {city}.",
        "elsewhere": "Elsewhere, in {place} only: {law}.",
        "no_gap": "The sources say nothing more about what gets through.",
        "in_english": " (in English)",
        "bodies": "Who governs {city}",
        "elected": "elected",
        "appointed": "appointed",
        "members": "{n} members",
        "charter_known": "Charter or general law: {value}",
        "police_known": "Police: {value}",
        "form_known": "Form of government: {value}",
        "programs": "Legal representation for {where}",
        "excludes": "Excludes people with criminal records: {value}",
        "yes": "yes",
        "no": "no",
        "unknown": "unknown",
        "source_says": "What the source says: {text}",
        "as_of": "As of {date}",
        "ended": "ended {date}",
        "source": "Source: {source}",
        "no_programs": (
            "No justice fund or legal-representation program for {where} is on record. A city "
            "or county can fund one (a justice fund)."
        ),
        "unknowns": "What the sources do not say",
        "charter_unknown": "Whether {city} is a charter city or a general-law city: unknown.",
        "police_unknown": "Who polices {city}: unknown.",
        "form_unknown": "{city}'s form of government (council-manager or mayor-council): unknown.",
        "unknown_note": (
            "What the sources do not say is shown as unknown, never guessed. Who can limit what "
            "the lockup shares depends on who polices the city."
        ),
        "footer": (
            "Made with Pipeline Atlas. Stages and actions: California Immigrant Policy Center, "
            "“Actions for organizers”. Graph data: CC BY-SA 4.0; each fact's source is in the "
            "graph."
        ),
    },
    "es": {
        "title": "{place}: un plan para organizadores",
        "city_and_county": "{city} (ciudad y condado)",
        "intro": (
            "Etapa por etapa en la cadena del arresto a la deportación: quién puede impedir que "
            "la información de las personas se comparta con las autoridades de control "
            "migratorio en {city}, lo que la ley ya hace y lo que todavía pasa. Después, quién "
            "gobierna {city} y los programas de representación legal para {where}."
        ),
        "and": "{a} y el {b}",  # every county but San Francisco is "Condado de …"
        "or": "{a} ni para el {b}",
        "stage": "Etapa {order}: {label}",
        "contacts": "A quién contactar",
        "law": "Lo que la ley ya hace",
        "gaps": "Lo que todavía pasa",
        "level_state": "estatal",
        "level_federal": "federal",
        "what_to_do": "Qué hacer: {action}",
        "would_stop": "Esto impediría: {flows}",
        "unknown_body": (
            "**Aún no se sabe en {city}:** {generic}. Quién es depende de quién se encarga de la "
            "policía en {city}, y las fuentes no lo dicen."
        ),
        "nobody": "**Ningún órgano puede bloquear esto, según las fuentes**",
        "limited_by": "Lo limitan: {laws}",
        "basis": "Base legal del intercambio: {laws}",
        "no_limit": "Ninguna ley lo limita en {city}.",
        "elsewhere": "En otro lugar, solo en {place}: {law}.",
        "no_gap": "Las fuentes no dicen nada más sobre lo que todavía pasa.",
        "in_english": " (en inglés)",
        "bodies": "Quién gobierna {city}",
        "elected": "electo",
        "appointed": "designado",
        "members": "{n} miembros",
        "charter_known": "Ciudad charter o de ley general: {value}",
        "police_known": "Policía: {value}",
        "form_known": "Forma de gobierno: {value}",
        "programs": "Representación legal para {where}",
        "excludes": "Excluye a personas con antecedentes penales: {value}",
        "yes": "sí",
        "no": "no",
        "unknown": "se desconoce",
        "source_says": "Lo que dice la fuente: {text}",
        "as_of": "Datos de {date}",
        "ended": "terminó el {date}",
        "source": "Fuente: {source}",
        "no_programs": (
            "No hay registrado ningún fondo de justicia ni programa de representación legal "
            "para {where}. Una ciudad o un condado puede financiar uno (un fondo de justicia)."
        ),
        "unknowns": "Lo que las fuentes no dicen",
        "charter_unknown": (
            "Si {city} es una ciudad charter (con carta constitutiva) o una ciudad de ley "
            "general: se desconoce."
        ),
        "police_unknown": "Quién se encarga de la policía en {city}: se desconoce.",
        "form_unknown": (
            "La forma de gobierno de {city} (concejo y administrador, o alcalde y concejo): "
            "se desconoce."
        ),
        "unknown_note": (
            "Lo que las fuentes no dicen se muestra como desconocido, nunca se adivina. Quién "
            "puede limitar lo que comparte la celda de detención depende de quién se encarga de "
            "la policía en la ciudad."
        ),
        "footer": (
            "Hecho con Pipeline Atlas. Etapas y acciones: California Immigrant Policy Center, "
            "“Actions for organizers”. Datos del grafo: CC BY-SA 4.0; la fuente de cada dato "
            "está en el grafo."
        ),
    },
}

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$])")


def md(text: object) -> str:
    """Text from the graph on one line, escaped so that Markdown shows it as written.

    >>> md("Penal Code § 5025 *and* $10M")
    'Penal Code § 5025 \\\\*and\\\\* \\\\$10M'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _lower_first(text: str) -> str:
    """``Legislative body`` → ``legislative body``; ``CDCR`` stays as it is."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


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
    """The values of a ``GROUP_CONCAT(...; separator="; ")`` column."""
    return tuple(part.strip() for part in (joined or "").split("; ") if part.strip())


def _slug(iri: str) -> str:
    return iri.removeprefix(JURISDICTION)


class UnknownPlaceError(ParameterError):
    """The atlas has no city or town by this name; ``candidates`` are close matches (slugs).

    >>> str(UnknownPlaceError("springfeld", candidates=["springville"]))
    "no city or town 'springfeld' in the atlas; did you mean springville?"
    """

    def __init__(self, city: str, *, candidates: Sequence[str] = ()) -> None:
        self.city = city
        self.candidates = list(candidates)
        hint = (
            f"; did you mean {', '.join(self.candidates)}?"
            if self.candidates
            else "; `pipeline-atlas query places` lists the 482 cities and towns"
        )
        super().__init__(f"no city or town {city!r} in the atlas{hint}", param="city")


@dataclass(frozen=True)
class Place:
    """A city or town and its county, as the ``places`` lookup gives them."""

    city: str
    label: str
    county: str
    county_label: str

    @property
    def slug(self) -> str:
        """The short name the queries take, e.g. ``oakland``."""
        return _slug(self.city)

    @property
    def is_county(self) -> bool:
        """Whether the city is its own county (San Francisco)."""
        return self.city == self.county

    def display(self, *, lang: str = "en") -> str:
        """``Oakland, Alameda County``; ``San Francisco (city and county)``."""
        if self.is_county:
            return TEXT[lang]["city_and_county"].format(city=self.label)
        return f"{self.label}, {self.county_label}"


@dataclass(frozen=True)
class Blocker:
    """Who answers, in the city, for blocking one flow, and through which action.

    ``body``/``body_label`` are set for ``local``, ``state`` and ``federal``; ``generic_label`` is
    the kind of body the action is aimed at (for ``unknown``, the document's "appropriate elected
    authority"); ``level_label`` is a local body's level (city, county) from the graph.
    """

    status: Status
    body: str | None = None
    body_label: str | None = None
    level_label: str | None = None
    generic_label: str | None = None
    action: str | None = None
    action_label: str | None = None


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


@dataclass(frozen=True)
class Stage:
    """A stage of the pipeline with its flows (in the order of ``cq-014``)."""

    stage: str
    order: int
    label: str
    flows: tuple[Flow, ...]


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
class Section:
    """One part of the plan: a heading (Markdown, level 2 or 3), an anchor and a Markdown body."""

    level: int
    title: str
    body: str
    anchor: str | None = None


@dataclass(frozen=True)
class CityPlan:
    """What organizers in one city can do, stage by stage; build it with :func:`city_plan`.

    ``charter_status``, ``police_provider`` and ``form_of_government`` are ``None`` where no
    source gives them.
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

    @property
    def slug(self) -> str:
        """The city's short name, e.g. ``oakland``."""
        return _slug(self.city)

    @property
    def place(self) -> Place:
        """The city and its county."""
        return Place(self.city, self.city_label, self.county, self.county_label)

    @property
    def place_label(self) -> str:
        """``Oakland, Alameda County`` (``San Francisco (city and county)``)."""
        return self.place.display(lang=self.lang)

    def _t(self, key: str, **values: object) -> str:
        return TEXT[self.lang][key].format(**values)

    def _where(self, joiner: str) -> str:
        if self.place.is_county:
            return md(self.city_label)
        return self._t(joiner, a=md(self.city_label), b=md(self.county_label))

    @property
    def title(self) -> str:
        """The plan's title (Markdown)."""
        return self._t("title", place=md(self.place_label))

    @property
    def intro(self) -> str:
        """One paragraph on what the plan holds (Markdown)."""
        return self._t("intro", city=md(self.city_label), where=self._where("and"))

    @property
    def unknown_note(self) -> str:
        """Why some answers say unknown (Markdown)."""
        return self._t("unknown_note")

    @property
    def footer(self) -> str:
        """Where the plan comes from (Markdown)."""
        return self._t("footer")

    def sections(self) -> list[Section]:
        """The plan's parts in order: per stage its three parts, then who governs the city, the
        representation programs, and what the sources do not say."""
        out: list[Section] = []
        for stage in self.stages:
            out.append(
                Section(
                    2,
                    self._t("stage", order=stage.order, label=md(stage.label)),
                    "",
                    anchor=f"stage-{stage.order}",
                )
            )
            out.append(Section(3, self._t("contacts"), self._contacts(stage)))
            out.append(Section(3, self._t("law"), self._laws(stage)))
            out.append(Section(3, self._t("gaps"), self._gaps(stage)))
        city = md(self.city_label)
        out.append(Section(2, self._t("bodies", city=city), self._bodies(), anchor="who-governs"))
        out.append(
            Section(
                2,
                self._t("programs", where=self._where("and")),
                self._programs(),
                anchor="representation",
            )
        )
        unknowns = self._unknowns()
        if unknowns:
            out.append(Section(2, self._t("unknowns"), unknowns, anchor="unknown"))
        return out

    def to_markdown(self) -> str:
        """The whole plan as a Markdown document, to print or share."""
        parts = [f"# {self.title}", self.intro]
        for section in self.sections():
            parts.append(f"{'#' * section.level} {section.title}")
            if section.body:
                parts.append(section.body)
        parts += ["---", self.footer]
        return "\n\n".join(parts) + "\n"

    # The parts of a stage -------------------------------------------------------------------

    def _contacts(self, stage: Stage) -> str:
        groups: dict[tuple[str, str | None, str | None], list[tuple[Blocker, Flow]]] = {}
        pairs = [(b, f) for f in stage.flows for b in f.blockers]
        for blocker, flow in sorted(pairs, key=lambda p: _STATUS_ORDER[p[0].status]):
            key = (blocker.status, blocker.body or blocker.generic_label, blocker.action)
            groups.setdefault(key, []).append((blocker, flow))
        lines: list[str] = []
        city = md(self.city_label)
        for (status, _, _), members in groups.items():
            blocker = members[0][0]
            flows = "; ".join(dict.fromkeys(md(f.label) for _, f in members))
            if status == "none":
                lines.append(f"- {self._t('nobody')}")
                lines.extend(f"    - {md(f.label)}" for f in dict.fromkeys(f for _, f in members))
                continue
            if status == "unknown":
                generic = md(blocker.generic_label or self._t("unknown"))
                lines.append(f"- {self._t('unknown_body', city=city, generic=generic)}")
            else:
                level = (
                    _lower_first(blocker.level_label or "")
                    if status == "local"
                    else self._t(f"level_{status}")
                )
                name = f"**{md(blocker.body_label or blocker.generic_label or '')}**"
                lines.append(f"- {name} ({md(level)})" if level else f"- {name}")
            if blocker.action_label:
                lines.append(f"    - {self._t('what_to_do', action=md(blocker.action_label))}")
            lines.append(f"    - {self._t('would_stop', flows=flows)}")
        return "\n".join(lines)

    def _laws(self, stage: Stage) -> str:
        lines: list[str] = []
        for flow in stage.flows:
            lines.append(f"- **{md(flow.label)}**")
            if flow.limited_by:
                laws = "; ".join(md(law) for law in flow.limited_by)
                lines.append(f"    - {self._t('limited_by', laws=laws)}")
            else:
                lines.append(f"    - {self._t('no_limit', city=md(self.city_label))}")
            if flow.legal_basis:
                laws = "; ".join(md(law) for law in flow.legal_basis)
                lines.append(f"    - {self._t('basis', laws=laws)}")
            for law, place in flow.limited_elsewhere:
                lines.append(f"    - {self._t('elsewhere', law=md(law), place=md(place))}")
        return "\n".join(lines)

    def _gaps(self, stage: Stage) -> str:
        lines: list[str] = []
        for flow in stage.flows:
            gap = md(flow.remaining_gap) if flow.remaining_gap else self._t("no_gap")
            if flow.remaining_gap and flow.remaining_gap_language not in (None, self.lang):
                gap += self._t("in_english")
            lines.append(f"- **{md(flow.label)}**: {gap}")
        return "\n".join(lines)

    # The place ------------------------------------------------------------------------------

    def _bodies(self) -> str:
        lines: list[str] = []
        if self.charter_status:
            lines.append(f"- {self._t('charter_known', value=md(self.charter_status))}")
        if self.police_provider:
            lines.append(f"- {self._t('police_known', value=md(self.police_provider))}")
        if self.form_of_government:
            lines.append(f"- {self._t('form_known', value=md(self.form_of_government))}")
        for body in self.bodies:
            facts = [md(_lower_first(v)) for v in (body.kind, body.level) if v]
            if body.elected is not None:
                facts.append(self._t("elected" if body.elected else "appointed"))
            if body.member_count:
                facts.append(self._t("members", n=body.member_count))
            detail = f": {', '.join(facts)}" if facts else ""
            lines.append(f"- **{md(body.label)}**{detail}")
        return "\n".join(lines)

    def _programs(self) -> str:
        if not self.programs:
            return self._t("no_programs", where=self._where("or"))
        lines: list[str] = []
        for program in self.programs:
            where = f" ({', '.join(md(w) for w in program.where)})" if program.where else ""
            lines.append(f"- **{md(program.label)}**{where}")
            value = {True: "yes", False: "no", None: "unknown"}[program.excludes_records]
            lines.append(f"    - {self._t('excludes', value=self._t(value))}")
            if program.eligibility:
                text = md(program.eligibility)
                if program.eligibility_language not in (None, self.lang):
                    text += self._t("in_english")
                lines.append(f"    - {self._t('source_says', text=text)}")
            dates = []
            if program.as_of:
                dates.append(self._t("as_of", date=md(program.as_of)))
            if program.ended:
                dates.append(self._t("ended", date=md(program.ended)))
            if dates:
                lines.append(f"    - {'; '.join(dates)}")
            if program.source:
                lines.append(f"    - {self._t('source', source=md(program.source))}")
        return "\n".join(lines)

    def _unknowns(self) -> str:
        city = md(self.city_label)
        lines = []
        if self.charter_status is None:
            lines.append(f"- {self._t('charter_unknown', city=city)}")
        if self.police_provider is None:
            lines.append(f"- {self._t('police_unknown', city=city)}")
        if self.form_of_government is None:
            lines.append(f"- {self._t('form_unknown', city=city)}")
        return "\n".join(lines)


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
    (482, 'Adelanto, San Bernardino County')
    """
    _check_lang(lang)
    return _places(atlas.query(PLACES, params={"lang": lang}).rows)


def _places(rows: Iterable[Mapping[str, Value]]) -> list[Place]:
    return [
        Place(str(r["city"]), str(r["cityLabel"]), str(r["county"]), str(r["countyLabel"]))
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
        excludes = _str(facts, "excludes")
        programs.append(
            Program(
                program=iri,
                label=label,
                where=tuple(dict.fromkeys(where)),
                excludes_records={"true": True, "false": False}.get(excludes or ""),
                eligibility=_str(facts, "eligibility"),
                eligibility_language=(
                    _language(programs_result, index, "eligibility") if index >= 0 else None
                ),
                as_of=_str(facts, "asOf"),
                ended=ended,
                source=_str(facts, "source"),
            )
        )

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
        ),
        programs=tuple(programs),
        charter_status=None if (charter or "").lower() in _UNKNOWN_WORDS else charter,
        police_provider=None if (police or "").lower() in _UNKNOWN_WORDS else police,
        form_of_government=None if (form or "").lower() in _UNKNOWN_WORDS else form,
    )
