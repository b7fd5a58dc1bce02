"""A city plan as Markdown, to print or share: the data of :mod:`.model` and the words of the
message catalogue (:mod:`pipeline_atlas.i18n`, keys ``plan.*``) in the plan's language.

Plain headings and lists, never tables, so that it reads on a phone and prints well. Text from
the graph is escaped (:func:`md`) so that Markdown shows it as written.

>>> from pipeline_atlas import Atlas
>>> from pipeline_atlas.plan import city_plan
>>> plan = city_plan(Atlas.build(reason=False), "fresno", lang="es")
>>> print(to_markdown(plan).splitlines()[0])
# Fresno, Condado de Fresno: un plan para organizadores
>>> [s.title for s in sections(plan) if s.level == 2][-1]
'Lo que las fuentes no dicen'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..i18n import t
from .model import STATUSES, Action, Blocker, CityPlan, Flow, Marker, Program, Stage

__all__ = [
    "MARKER_ICONS",
    "Section",
    "flow_statuses",
    "footer",
    "intro",
    "level_word",
    "link",
    "md",
    "sections",
    "status_word",
    "title",
    "to_markdown",
    "unknown_note",
]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$])")
_STATUS_ORDER: dict[str, int] = {status: rank for rank, status in enumerate(STATUSES)}
# The catalogue key of the level shown beside a state or federal body.
_LEVEL_KEYS = {"state": "plan.level_state", "federal": "plan.level_federal"}


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


def link(text: str, url: str) -> str:
    """A Markdown link to ``url`` (an address from the graph) with escaped ``text``.

    >>> link("Actions for organizers", "https://example.org/a_(b)")
    '[Actions for organizers](<https://example.org/a_(b)>)'
    """
    return f"[{md(text)}](<{url.replace('<', '%3C').replace('>', '%3E')}>)"


def status_word(marker: Marker, lang: str) -> str:
    """A flow's status marker in words: ``blockable here``, ``blockable by no one``…

    >>> status_word("nobody", "es")
    'nadie lo puede bloquear'
    """
    return t(f"plan.status.{marker}", lang)


MARKER_ICONS: dict[str, str] = {
    "here": "\U0001f7e2",  # green circle
    "state": "\U0001f7e1",  # yellow circle
    "federal": "\U0001f7e0",  # orange circle
    "nobody": "\u26d4",  # no entry
    "unknown": "\u2754",  # white question mark
}
"""An icon beside each status marker on screen; the status is always in words too."""


def flow_statuses(plan: CityPlan, stage: Stage) -> str:
    """The stage's flows with their status markers, one line each, icon and words (Markdown),
    for the explorer's page.

    >>> from pipeline_atlas import Atlas
    >>> from pipeline_atlas.plan import city_plan
    >>> plan = city_plan(Atlas.build(reason=False), "fresno")
    >>> print(flow_statuses(plan, plan.stages[1]).splitlines()[0])
    - ⛔ Booking fingerprints go to the FBI and DHS: **blockable by no one**
    """
    return "\n".join(
        f"- {MARKER_ICONS[flow.marker]} {md(flow.label)}: **{status_word(flow.marker, plan.lang)}**"
        for flow in stage.flows
    )


def level_word(level: str | None, lang: str) -> str:
    """``city``, ``county``, ``state``, ``federal``, or ``depends on the place`` for ``None``."""
    return t(f"plan.level.{level or 'varies'}", lang)


@dataclass(frozen=True)
class Section:
    """One part of the plan: a heading (Markdown, level 2 or 3), an anchor and a Markdown body."""

    level: int
    title: str
    body: str
    anchor: str | None = None


def title(plan: CityPlan) -> str:
    """The plan's title (Markdown)."""
    return _Writer(plan).t("plan.title", place=md(plan.place_label))


def intro(plan: CityPlan) -> str:
    """One paragraph on what the plan holds (Markdown)."""
    writer = _Writer(plan)
    return writer.t("plan.intro", city=md(plan.city_label), where=writer.where("plan.and"))


def unknown_note(plan: CityPlan) -> str:
    """Why some answers say unknown (Markdown)."""
    return _Writer(plan).t("plan.unknown_note")


def footer(plan: CityPlan) -> str:
    """Where the plan comes from (Markdown)."""
    return _Writer(plan).t("plan.footer")


def sections(plan: CityPlan) -> list[Section]:
    """The plan's parts in order: per stage its three parts, then who governs the city, the
    representation programs, and what the sources do not say."""
    return _Writer(plan).sections()


def to_markdown(plan: CityPlan) -> str:
    """The whole plan as a Markdown document, to print or share."""
    parts = [f"# {title(plan)}", intro(plan)]
    for section in sections(plan):
        parts.append(f"{'#' * section.level} {section.title}")
        if section.body:
            parts.append(section.body)
    parts += ["---", footer(plan)]
    return "\n\n".join(parts) + "\n"


class _Writer:
    """Writes the parts of one plan in its language."""

    def __init__(self, plan: CityPlan) -> None:
        self.plan = plan
        self.city = md(plan.city_label)

    def t(self, key: str, **values: object) -> str:
        return t(key, self.plan.lang, **values)

    def sure(self, label: str | None) -> str:
        """`` (verified, last checked 2026-12-01)`` for a fact the graph rates, else ``""``."""
        found = self.plan.confidence.get(label) if label else None
        if found is None:
            return ""
        level = md(found.level)
        return f" ({self.t('plan.sure', level=level, date=md(found.last_checked))})"

    def laws_with_confidence(self, laws: Iterable[str]) -> str:
        return "; ".join(md(law) + self.sure(law) for law in laws)

    def where(self, joiner: str) -> str:
        """The city, or the city and its county joined by ``plan.and``/``plan.or``."""
        if self.plan.place.is_county or self.plan.unincorporated:
            return self.city
        return self.t(joiner, a=self.city, b=md(self.plan.county_label))

    def sections(self) -> list[Section]:
        out: list[Section] = []
        for stage in self.plan.stages:
            out.append(
                Section(
                    2,
                    self.t("plan.stage", order=stage.order, label=md(stage.label)),
                    "",
                    anchor=f"stage-{stage.order}",
                )
            )
            if stage.actions:
                out.append(Section(3, self.t("plan.actions"), self.actions(stage)))
            out.append(Section(3, self.t("plan.contacts"), self.contacts(stage)))
            out.append(Section(3, self.t("plan.law"), self.laws(stage)))
            out.append(Section(3, self.t("plan.gaps"), self.gaps(stage)))
        out.append(
            Section(2, self.t("plan.bodies", city=self.city), self.bodies(), anchor="who-governs")
        )
        out.append(
            Section(
                2,
                self.t("plan.programs", where=self.where("plan.and")),
                self.programs(),
                anchor="representation",
            )
        )
        unknowns = self.unknowns()
        if unknowns:
            out.append(Section(2, self.t("plan.unknowns"), unknowns, anchor="unknown"))
        return out

    # The parts of a stage -------------------------------------------------------------------

    def press(self, action: Action) -> str:
        names = []
        for blocker in action.press:
            if blocker.status == "unknown":
                generic = md(blocker.generic_label or self.t("plan.unknown"))
                names.append(self.t("plan.unknown_body", city=self.city, generic=generic))
                continue
            level = (
                _lower_first(blocker.level_label or "")
                if blocker.status == "local"
                else self.t(_LEVEL_KEYS.get(blocker.status, "plan.unknown"))
            )
            name = f"**{md(blocker.body_label or blocker.generic_label or '')}**"
            names.append(f"{name} ({md(level)})" if level else name)
        return "; ".join(names)

    def action(self, action: Action, stage: Stage) -> list[str]:
        lines = [f"- **{md(action.label)}**"]
        lines.append(f"    - {self.t('plan.press', bodies=self.press(action))}")
        instrument = self.t(
            "plan.instrument",
            instrument=md(action.instrument),
            scope=md(_lower_first(action.scope)),
        )
        lines.append(f"    - {instrument}")
        if action.effects:
            effects = "; ".join(md(_lower_first(e)) for e in action.effects)
            lines.append(f"    - {self.t('plan.effects', effects=effects)}")
        for flow_iri in action.blocks:
            flow = stage.flow(flow_iri) or self.plan.flow(flow_iri)
            if flow is None:
                continue
            status = status_word(flow.marker, self.plan.lang)
            lines.append(f"    - {self.t('plan.blocks', flow=md(flow.label), status=status)}")
            if flow.laws:
                laws = self.laws_with_confidence(flow.laws)
                lines.append(f"        - {self.t('plan.laws_in_force', laws=laws)}")
            else:
                lines.append(f"        - {self.t('plan.no_laws_in_force')}")
        if action.legal_basis:
            laws = self.laws_with_confidence(action.legal_basis)
            lines.append(f"    - {self.t('plan.action_basis', laws=laws)}")
        if action.represents_in:
            value = (
                self.t("plan.unknown")
                if action.excludes_records is None
                else self.t("plan.yes" if action.excludes_records else "plan.no")
            )
            proceedings = "; ".join(md(_lower_first(p)) for p in action.represents_in)
            lines.append(f"    - {self.t('plan.lawyers_in', proceedings=proceedings, value=value)}")
        for passage in action.passages:
            text = f"“{md(passage.text(self.plan.lang))}”"
            source = self.t("plan.passage_link")
            target = link(source, passage.url) if passage.url else md(source)
            lines.append(f"    - {self.t('plan.passage', text=text, link=target)}")
        if action.sources:
            sources = "; ".join(md(s) for s in action.sources)
            lines.append(f"    - {self.t('plan.action_sources', sources=sources)}")
        return lines

    def actions(self, stage: Stage) -> str:
        return "\n".join(line for action in stage.actions for line in self.action(action, stage))

    def contacts(self, stage: Stage) -> str:
        groups: dict[tuple[str, str | None, str | None], list[tuple[Blocker, Flow]]] = {}
        pairs = [(b, f) for f in stage.flows for b in f.blockers]
        for blocker, flow in sorted(pairs, key=lambda p: _STATUS_ORDER[p[0].status]):
            key = (blocker.status, blocker.body or blocker.generic_label, blocker.action)
            groups.setdefault(key, []).append((blocker, flow))
        lines: list[str] = []
        for (status, _, _), members in groups.items():
            blocker = members[0][0]
            flows = "; ".join(dict.fromkeys(md(f.label) for _, f in members))
            if status == "none":
                lines.append(f"- {self.t('plan.nobody')}")
                lines.extend(f"    - {md(f.label)}" for f in dict.fromkeys(f for _, f in members))
                continue
            if status == "unknown":
                generic = md(blocker.generic_label or self.t("plan.unknown"))
                lines.append(f"- {self.t('plan.unknown_body', city=self.city, generic=generic)}")
            else:
                level = (
                    _lower_first(blocker.level_label or "")
                    if status == "local"
                    else self.t(_LEVEL_KEYS[status])
                )
                name = f"**{md(blocker.body_label or blocker.generic_label or '')}**"
                lines.append(f"- {name} ({md(level)})" if level else f"- {name}")
                sure = self.sure(blocker.body_label) if status == "local" else ""
                if sure:
                    lines.append(f"    - {self.t('plan.how_sure', text=sure.strip()[1:-1])}")
            if blocker.action_label:
                lines.append(f"    - {self.t('plan.what_to_do', action=md(blocker.action_label))}")
            if blocker.can_do:
                lines.append(f"    - {self.t('plan.can_do', text=md(blocker.can_do))}")
            lines.append(f"    - {self.t('plan.would_stop', flows=flows)}")
        return "\n".join(lines)

    def laws(self, stage: Stage) -> str:
        lines: list[str] = []
        for flow in stage.flows:
            lines.append(f"- **{md(flow.label)}**")
            status = status_word(flow.marker, self.plan.lang)
            lines.append(f"    - {self.t('plan.status_line', status=status)}")
            if flow.limited_by:
                laws = self.laws_with_confidence(flow.limited_by)
                lines.append(f"    - {self.t('plan.limited_by', laws=laws)}")
            else:
                lines.append(f"    - {self.t('plan.no_limit', city=self.city)}")
            if flow.legal_basis:
                laws = self.laws_with_confidence(flow.legal_basis)
                lines.append(f"    - {self.t('plan.basis', laws=laws)}")
            for law, place in flow.limited_elsewhere:
                lines.append(f"    - {self.t('plan.elsewhere', law=md(law), place=md(place))}")
        return "\n".join(lines)

    def gaps(self, stage: Stage) -> str:
        lines: list[str] = []
        for flow in stage.flows:
            gap = md(flow.remaining_gap) if flow.remaining_gap else self.t("plan.no_gap")
            if flow.remaining_gap and flow.remaining_gap_language not in (None, self.plan.lang):
                gap += self.t("plan.in_english")
            lines.append(f"- **{md(flow.label)}**: {gap}")
        return "\n".join(lines)

    # The place ------------------------------------------------------------------------------

    def bodies(self) -> str:
        plan = self.plan
        lines: list[str] = []
        if plan.charter_status:
            lines.append(f"- {self.t('plan.charter_known', value=md(plan.charter_status))}")
        if plan.unincorporated:
            lines.append(f"- {self.t('plan.unincorporated_note')}")
        if plan.police_provider:
            value = md(plan.police_provider) + self.sure(plan.police_provider)
            lines.append(f"- {self.t('plan.police_known', value=value)}")
        if plan.form_of_government:
            lines.append(f"- {self.t('plan.form_known', value=md(plan.form_of_government))}")
        for body in plan.bodies:
            facts = [md(_lower_first(v)) for v in (body.kind, body.level) if v]
            if body.elected is not None:
                facts.append(self.t("plan.elected" if body.elected else "plan.appointed"))
            if body.member_count:
                facts.append(self.t("plan.members", n=body.member_count))
            detail = f": {', '.join(facts)}" if facts else ""
            lines.append(f"- **{md(body.label)}**{detail}")
        return "\n".join(lines)

    def programs(self) -> str:
        lines: list[str] = []
        if self.plan.representation_actions:
            lines.append(f"**{self.t('plan.fund_lawyers')}**")
            lines.append("")
            for action in self.plan.representation_actions:
                item = self.t(
                    "plan.fund_lawyers_item", bodies=self.press(action), action=md(action.label)
                )
                lines.append(f"- {item}")
            lines.append("")
            lines.append(f"**{self.t('plan.existing_programs')}**")
            lines.append("")
        if not self.plan.programs:
            lines.append(self.t("plan.no_programs", where=self.where("plan.or")))
            return "\n".join(lines)
        for program in self.plan.programs:
            where = f" ({', '.join(md(w) for w in program.where)})" if program.where else ""
            lines.append(f"- **{md(program.label)}**{where}{self.sure(program.label)}")
            lines.append(f"    - {self.t('plan.excludes', value=self.excludes(program))}")
            if program.eligibility:
                text = md(program.eligibility)
                if program.eligibility_language not in (None, self.plan.lang):
                    text += self.t("plan.in_english")
                lines.append(f"    - {self.t('plan.source_says', text=text)}")
            dates = []
            if program.as_of:
                dates.append(self.t("plan.as_of", date=md(program.as_of)))
            if program.ended:
                dates.append(self.t("plan.ended", date=md(program.ended)))
            if dates:
                lines.append(f"    - {'; '.join(dates)}")
            if program.source:
                lines.append(f"    - {self.t('plan.source', source=md(program.source))}")
        return "\n".join(lines)

    def excludes(self, program: Program) -> str:
        """Whether it excludes people with records: yes, no, or unknown (no source says)."""
        if program.excludes_records is None:
            return self.t("plan.unknown")
        return self.t("plan.yes" if program.excludes_records else "plan.no")

    def unknowns(self) -> str:
        plan = self.plan
        lines = []
        if plan.charter_status is None:
            lines.append(f"- {self.t('plan.charter_unknown', city=self.city)}")
        if plan.police_provider is None:
            lines.append(f"- {self.t('plan.police_unknown', city=self.city)}")
        if plan.form_of_government is None:
            lines.append(f"- {self.t('plan.form_unknown', city=self.city)}")
        return "\n".join(lines)
