"""The pipeline, stage by stage: what organizers can do, whom to press, what flows, what stops it.

:func:`stages` gathers, for every stage of the Arrest-to-Deportation Pipeline in order, the actions
as cards in plain words, the bodies that can act, the information flows at that stage (each with
its agencies, the kind of data, its legal basis, the laws that limit it, the bodies that can block
it and a plain statement when no body, or no local body, can), and the exact source passages (the
verbatim English quote and, in Spanish, the project's unofficial translation). :func:`stage` gives
one of them; :func:`pipeline_figure` draws the four stages as a left-to-right flow
(:class:`~pipeline_atlas.explore.figure.Figure`: an SVG and its text equivalent).

Everything comes from catalogue queries: ``pipeline-stages``, ``pipeline-actions``,
``pipeline-action-effects``, ``pipeline-flow-blockers``, ``pipeline-passages`` and
``local-laws`` (``queries/lookup/``) and the competency questions ``cq-006`` (flows by stage),
``cq-012`` (flows no body can block), ``cq-016`` (flows no local body can block) and ``cq-017``
(laws and gaps). Labels come from the graph in the language asked for; the words around them from
the message catalogue (``ui.pipeline.*``).

>>> from pipeline_atlas import Atlas
>>> atlas = Atlas.open_default()
>>> [s.label for s in stages(atlas)]  # doctest: +NORMALIZE_WHITESPACE
['Police Stop', 'Police Arrest & Local Police Department Lockup', 'State Crime Conviction',
 'Federal Crime Conviction']
>>> stage(atlas, 2, lang="es").label
'Arresto policial y celda de detención de la policía local'
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

from ..atlas import Atlas
from ..errors import ParameterError
from ..i18n import LANGUAGES, t
from ..results import Value
from .figure import Figure

__all__ = [
    "ActionCard",
    "FlowBlocker",
    "FlowView",
    "Law",
    "Passage",
    "Reach",
    "StageView",
    "Target",
    "pipeline_figure",
    "stage",
    "stages",
]

STAGES = "pipeline-stages"
ACTIONS = "pipeline-actions"
EFFECTS = "pipeline-action-effects"
FLOW_BLOCKERS = "pipeline-flow-blockers"
PASSAGES = "pipeline-passages"
LOCAL_LAWS = "local-laws"
FLOWS = "cq-006-information-flows-by-stage"
NOBODY = "cq-012-flows-no-body-can-block"
NO_LOCAL_BODY = "cq-016-flows-no-local-body-can-block"
LAWS_AND_GAPS = "cq-017-flow-laws-and-gaps"

STATE_LEVEL = "https://w3id.org/pipeline-atlas/id/vocab/level-state"
FEDERAL_LEVEL = "https://w3id.org/pipeline-atlas/id/vocab/level-federal"

Reach: TypeAlias = Literal["local", "state-or-federal", "nobody"]
"""Who can block a flow: a local body (city, county, or a body whose level depends on the place),
only state or federal bodies, or no body in the atlas."""


def _str(row: Mapping[str, Value], name: str) -> str | None:
    value = row.get(name)
    return None if value is None or value == "" else str(value)


def _split(joined: str | None) -> tuple[str, ...]:
    """The values of a ``GROUP_CONCAT(...; separator="; ")`` column, sorted (stores differ in
    the order of a group)."""
    return tuple(sorted(part.strip() for part in (joined or "").split("; ") if part.strip()))


def _once(values: Sequence[str | None]) -> tuple[str, ...]:
    """The values that are set, once each, in the order first seen.

    >>> _once(["a", None, "b", "a"])
    ('a', 'b')
    """
    return tuple(dict.fromkeys(v for v in values if v))


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ParameterError(
            f"language {lang!r} is not one of {', '.join(LANGUAGES)}", param="lang"
        )


@dataclass(frozen=True)
class Target:
    """A body or office an action is aimed at; ``level`` is ``None`` where it depends on the
    place (the appropriate elected authority)."""

    iri: str
    label: str
    level: str | None = None


@dataclass(frozen=True)
class ActionCard:
    """One action organizers can take, in plain words.

    ``definition`` says what it does; ``targets`` whom to press; ``instrument`` how (ordinance,
    pardon …); ``levels`` the levels of government of the targets; ``effects`` what kind of
    change it makes; ``blocks`` the information flows (labels) it blocks or limits.
    """

    iri: str
    label: str
    definition: str
    targets: tuple[Target, ...]
    instrument: str
    scope: str
    levels: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()

    @property
    def target_labels(self) -> tuple[str, ...]:
        """Whom to press, by name."""
        return tuple(target.label for target in self.targets)


@dataclass(frozen=True)
class FlowBlocker:
    """A body or office that can block a flow, through which action, at which level."""

    body: str
    label: str
    action_label: str
    level: str | None = None
    wide: bool = False


@dataclass(frozen=True)
class Law:
    """A law that limits a flow; ``places`` are the only places it binds (a city or county
    ordinance), empty for a state or federal law."""

    label: str
    places: tuple[str, ...] = ()


@dataclass(frozen=True)
class FlowView:
    """One information flow at a stage: from whom, what, on what basis, and who can stop it.

    ``reach`` is ``nobody`` when no body in the atlas can block it (``cq-012``) and
    ``state-or-federal`` when no local body can (``cq-016``); ``statement`` then says so in
    words, in the stage's language (``None`` when a local body can).
    """

    iri: str
    label: str
    data_kind: str | None
    agencies: tuple[str, ...]
    recipient: str | None
    legal_basis: tuple[str, ...]
    laws: tuple[Law, ...]
    remaining_gap: str | None
    blockers: tuple[FlowBlocker, ...]
    reach: Reach
    statement: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Passage:
    """A passage of the source document: the verbatim English ``quotation`` and, when the stage
    is in Spanish, the project's unofficial ``translation``."""

    iri: str
    quotation: str
    start: int
    translation: str | None = None


@dataclass(frozen=True)
class StageView:
    """A stage of the pipeline with everything its page shows, in ``lang``."""

    iri: str
    order: int
    label: str
    definition: str
    lang: str
    actions: tuple[ActionCard, ...] = ()
    flows: tuple[FlowView, ...] = ()
    passages: tuple[Passage, ...] = ()

    @property
    def bodies(self) -> tuple[str, ...]:
        """The bodies and offices that can act at this stage (whom its actions are aimed at)."""
        return _once([label for card in self.actions for label in card.target_labels])

    @property
    def laws(self) -> tuple[Law, ...]:
        """The laws in force that limit the flows at this stage, once each (a local law with every
        place it binds), state and federal laws first."""
        places: dict[str, list[str]] = {}
        for flow in self.flows:
            for law in flow.laws:
                places.setdefault(law.label, []).extend(law.places)
        merged = [Law(label, _once(where)) for label, where in places.items()]
        return tuple(sorted(merged, key=lambda law: (bool(law.places), law.label)))

    @property
    def heading(self) -> str:
        """``Stage 2: Police Arrest & …`` in the stage's language."""
        return t("ui.pipeline.stage", self.lang, order=self.order, label=self.label)


def _statement(flow_label: str, reach: Reach, others: Sequence[str], lang: str) -> str | None:
    if reach == "nobody":
        return t("ui.pipeline.flow_nobody", lang, flow=flow_label)
    if reach == "state-or-federal":
        return t("ui.pipeline.flow_no_local", lang, flow=flow_label, bodies="; ".join(others))
    return None


def stages(atlas: Atlas, *, lang: str = "en") -> list[StageView]:
    """Every stage of the pipeline in order, with its actions, flows, laws and passages."""
    _check_lang(lang)
    params = {"lang": lang}

    effects: dict[str, list[str]] = {}
    blocks: dict[str, list[str]] = {}
    for row in atlas.query(EFFECTS, params=params).rows:
        action = str(row["action"])
        if effect := _str(row, "effectLabel"):
            effects.setdefault(action, []).append(effect)
        if flow_label := _str(row, "flowLabel"):
            blocks.setdefault(action, []).append(flow_label)

    cards: dict[str, dict[str, dict[str, object]]] = {}
    for row in atlas.query(ACTIONS, params=params).rows:
        action = str(row["action"])
        card = cards.setdefault(str(row["stage"]), {}).setdefault(
            action,
            {
                "label": str(row["actionLabel"]),
                "definition": str(row["definition"]),
                "instrument": str(row["instrumentLabel"]),
                "scope": str(row["scopeLabel"]),
                "targets": [],
            },
        )
        target = Target(str(row["target"]), str(row["targetLabel"]), _str(row, "levelLabel"))
        targets = card["targets"]
        assert isinstance(targets, list)
        if target not in targets:
            targets.append(target)

    blockers: dict[str, list[FlowBlocker]] = {}
    for row in atlas.query(FLOW_BLOCKERS, params=params).rows:
        level = _str(row, "level")
        blocker = FlowBlocker(
            body=str(row["body"]),
            label=str(row["bodyLabel"]),
            action_label=str(row["actionLabel"]),
            level=_str(row, "levelLabel"),
            wide=level in (STATE_LEVEL, FEDERAL_LEVEL),
        )
        blockers.setdefault(str(row["flow"]), []).append(blocker)

    nobody = {str(r["flow"]): _str(r, "note") for r in atlas.query(NOBODY, params=params).rows}
    no_local = {
        str(r["flow"]): _split(_str(r, "whoElseCan"))
        for r in atlas.query(NO_LOCAL_BODY, params=params).rows
    }
    laws_and_gaps = {str(r["flow"]): r for r in atlas.query(LAWS_AND_GAPS, params=params).rows}
    law_places: dict[tuple[str, str], list[str]] = {}
    for row in atlas.query(LOCAL_LAWS, params=params).rows:
        key = (str(row["flow"]), str(row["lawLabel"]))
        law_places.setdefault(key, []).append(str(row["placeLabel"]))

    flow_rows: dict[str, dict[str, dict[str, object]]] = {}
    for row in atlas.query(FLOWS, params=params).rows:
        flow = str(row["flow"])
        entry = flow_rows.setdefault(str(row["stage"]), {}).setdefault(
            flow,
            {
                "label": str(row["flowLabel"]),
                "data": _str(row, "dataKindLabel"),
                "recipient": _str(row, "recipientLabel"),
                "agencies": [],
                "basis": [],
            },
        )
        for name, column in (("agencies", "agencyLabel"), ("basis", "legalBasisLabel")):
            values = entry[name]
            assert isinstance(values, list)
            values.append(_str(row, column))

    def flow_view(flow: str, entry: Mapping[str, object]) -> FlowView:
        label = str(entry["label"])
        laws_row = laws_and_gaps.get(flow, {})
        reach: Reach = "local"
        if flow in nobody:
            reach = "nobody"
        elif flow in no_local:
            reach = "state-or-federal"
        agencies = entry["agencies"]
        basis = entry["basis"]
        assert isinstance(agencies, list) and isinstance(basis, list)
        return FlowView(
            iri=flow,
            label=label,
            data_kind=entry["data"] if isinstance(entry["data"], str) else None,
            agencies=_once(agencies),
            recipient=entry["recipient"] if isinstance(entry["recipient"], str) else None,
            legal_basis=tuple(sorted(_once(basis))),
            laws=tuple(
                Law(law, tuple(law_places.get((flow, law), ())))
                for law in _split(_str(laws_row, "limitedBy"))
            ),
            remaining_gap=_str(laws_row, "remainingGap"),
            blockers=tuple(blockers.get(flow, ())),
            reach=reach,
            statement=_statement(label, reach, no_local.get(flow, ()), lang),
            note=nobody.get(flow),
        )

    passages: dict[str, list[Passage]] = {}
    for row in atlas.query(PASSAGES).rows:
        passages.setdefault(str(row["stage"]), []).append(
            Passage(
                iri=str(row["passage"]),
                quotation=str(row["quotation"]),
                start=int(str(row["startOffset"])),
                translation=_str(row, "translation") if lang == "es" else None,
            )
        )

    result = []
    for row in atlas.query(STAGES, params=params).rows:
        iri = str(row["stage"])
        actions = []
        for action, card in cards.get(iri, {}).items():
            targets = card["targets"]
            assert isinstance(targets, list)
            actions.append(
                ActionCard(
                    iri=action,
                    label=str(card["label"]),
                    definition=str(card["definition"]),
                    targets=tuple(targets),
                    instrument=str(card["instrument"]),
                    scope=str(card["scope"]),
                    levels=_once([target.level for target in targets]),
                    effects=tuple(effects.get(action, ())),
                    blocks=tuple(blocks.get(action, ())),
                )
            )
        result.append(
            StageView(
                iri=iri,
                order=int(str(row["order"])),
                label=str(row["stageLabel"]),
                definition=str(row["definition"]),
                lang=lang,
                actions=tuple(actions),
                flows=tuple(flow_view(f, e) for f, e in flow_rows.get(iri, {}).items()),
                passages=tuple(passages.get(iri, ())),
            )
        )
    return result


def stage(atlas: Atlas, order: int, *, lang: str = "en") -> StageView:
    """The stage numbered ``order`` (1 for the police stop …); :class:`ParameterError` names the
    valid range for any other number.

    >>> from pipeline_atlas import Atlas
    >>> stage(Atlas.open_default(), 9)
    Traceback (most recent call last):
    ...
    pipeline_atlas.errors.ParameterError: no stage 9; the stages are numbered 1 to 4
    """
    everything = stages(atlas, lang=lang)
    for view in everything:
        if view.order == order:
            return view
    orders = [view.order for view in everything]
    raise ParameterError(
        f"no stage {order}; the stages are numbered {min(orders)} to {max(orders)}", param="stage"
    )


# The figure --------------------------------------------------------------------------------------

BOX_WIDTH = 250
GAP = 46
MARGIN = 12
LINE = 22
WRAP = 18


def _lines(text: str, width: int = WRAP) -> list[str]:
    """``text`` wrapped into lines of at most ``width`` characters.

    >>> _lines("Police Arrest & Local Police Department Lockup")
    ['Police Arrest &', 'Local Police', 'Department Lockup']
    """
    return textwrap.wrap(text, width=width, break_long_words=True) or [""]


def _count(view: StageView, lang: str) -> str:
    """``1 action``, ``3 actions`` in ``lang``."""
    if len(view.actions) == 1:
        return t("ui.pipeline.figure_action_one", lang, count=1)
    return t("ui.pipeline.figure_actions", lang, count=len(view.actions))


def _box_text(view: StageView, lang: str) -> tuple[list[str], list[str], list[str]]:
    title = _lines(view.label)
    count = [_count(view, lang)]
    bodies = [line for body in view.bodies for line in _lines(f"• {body}", WRAP + 4)]
    return title, count, bodies


def pipeline_figure(stages: Sequence[StageView], *, lang: str = "en") -> Figure:
    """The stages as boxes from left to right joined by arrows, each a link to its stage page.

    Each box holds the stage's number and label, the number of actions and the bodies that can
    act. The SVG scales to the width of its container (``viewBox``, ``width="100%"``), so it never
    scrolls sideways; ``text`` is the same content as an ordered list in words.

    >>> view = StageView("s1", 1, "Police Stop", "…", "en")
    >>> figure = pipeline_figure([view])
    >>> 'href="./?stage=1&amp;lang=en"' in figure.svg
    True
    >>> figure.text.splitlines()[1]
    '1. Police Stop — 0 actions.'
    """
    _check_lang(lang)
    texts = [_box_text(view, lang) for view in stages]
    rows = max((len(a) + len(b) + len(c) for a, b, c in texts), default=1)
    box_height = 40 + rows * LINE + 16
    width = MARGIN * 2 + len(stages) * BOX_WIDTH + max(len(stages) - 1, 0) * GAP
    height = MARGIN * 2 + box_height
    title = t("ui.pipeline.figure_title", lang)
    description = t("ui.pipeline.figure_description", lang, count=len(stages))
    esc = html.escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMidYMin meet" role="img" aria-label="{esc(description)}" '
        f'style="max-width:{width}px;height:auto;display:block" class="pipeline-figure">',
        f"<title>{esc(title)}</title>",
        f"<desc>{esc(description)}</desc>",
        '<defs><marker id="pipeline-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>',
    ]
    for index, (view, (label_lines, count, bodies)) in enumerate(zip(stages, texts, strict=True)):
        x = MARGIN + index * (BOX_WIDTH + GAP)
        y = MARGIN
        # the pipeline is the explorer's default page: its address is the app's root, "./"
        link = f"./?stage={view.order}&lang={lang}"
        name = t("ui.pipeline.figure_link", lang, order=view.order, label=view.label)
        parts.append(
            f'<a href="{esc(link)}" target="_self" aria-label="{esc(name)}">'
            f'<rect class="stage-box" data-stage="{view.order}" x="{x}" y="{y}" '
            f'width="{BOX_WIDTH}" height="{box_height}" rx="10" fill="#eef3fb" '
            'stroke="#1f4e8c" stroke-width="2"/>'
        )
        parts.append(
            f'<text x="{x + 14}" y="{y + 30}" font-size="22" font-weight="bold" '
            f'fill="#1f4e8c" font-family="sans-serif">{view.order}</text>'
        )
        line_y = y + 30
        for kind, lines in (("label", label_lines), ("count", count), ("body", bodies)):
            for line in lines:
                weight = ' font-weight="bold"' if kind == "label" else ""
                colour = "#1a1a1a" if kind != "count" else "#444"
                parts.append(
                    f'<text x="{x + 40}" y="{line_y}" font-size="17"{weight} fill="{colour}" '
                    f'font-family="sans-serif">{esc(line)}</text>'
                )
                line_y += LINE
            line_y += 4
        parts.append("</a>")
        if index < len(stages) - 1:
            mid = y + box_height / 2
            parts.append(
                f'<line x1="{x + BOX_WIDTH + 4}" y1="{mid}" x2="{x + BOX_WIDTH + GAP - 6}" '
                f'y2="{mid}" stroke="#333" stroke-width="3" marker-end="url(#pipeline-arrow)"/>'
            )
    parts.append("</svg>")

    lines = [description]
    for view in stages:
        line = t(
            "ui.pipeline.figure_item",
            lang,
            order=view.order,
            label=view.label,
            actions=_count(view, lang),
        )
        if view.bodies:
            line += " " + t("ui.pipeline.figure_bodies", lang, bodies="; ".join(view.bodies))
        lines.append(line)
    return Figure(svg="".join(parts), text="\n".join(lines))
