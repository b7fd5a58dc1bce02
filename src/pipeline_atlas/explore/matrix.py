"""Who can block information sharing? The stage-by-body matrix of the headline competency question.

:func:`matrix` answers ``cq-003`` (for the state: the kinds of body the source document names) or
``cq-014`` (for one place: that place's own bodies, its county's, the state's and the nation's)
as a :class:`Matrix`: the stages in order, the bodies, and for each (stage, body) a :class:`Cell`
saying whether the body can block information sharing at that stage, through which actions, over
which agencies and which kinds of data, and the gap that remains in those flows (``cq-017``).
Each stage also carries its remaining gaps: the flows that no body, or no local body, can block
(``cq-012``, ``cq-016``) and, for a place, the flows whose local body the sources do not name.

>>> from pipeline_atlas import Atlas
>>> grid = matrix(Atlas.open_default())
>>> [(c.stage, c.body_label) for c in grid.cells if c.can_block]  # doctest: +NORMALIZE_WHITESPACE
[(1, 'City council'), (2, 'The appropriate elected authority or authorities'),
 (3, 'California State Legislature'), (3, 'County board of supervisors')]
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..atlas import Atlas
from ..errors import ParameterError
from ..i18n import LANGUAGES, t
from ..plan import Place, UnknownPlaceError, places
from ..results import Value

__all__ = ["Cell", "Matrix", "MatrixBody", "MatrixStage", "matrix"]

STATE = "cq-003-who-can-block-information-sharing"
IN_PLACE = "cq-014-who-can-block-in-a-city"
FLOWS = "cq-006-information-flows-by-stage"
NOBODY = "cq-012-flows-no-body-can-block"
NO_LOCAL_BODY = "cq-016-flows-no-local-body-can-block"
LAWS_AND_GAPS = "cq-017-flow-laws-and-gaps"
PLACES = "places"

YES = "✓"
NO = "—"


def _str(row: Mapping[str, Value], name: str) -> str | None:
    value = row.get(name)
    return None if value is None or value == "" else str(value)


def _once(values: Sequence[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


@dataclass(frozen=True)
class MatrixStage:
    """A row of the matrix: a stage, and the flows at it that remain out of reach (in words)."""

    iri: str
    order: int
    label: str
    gaps: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatrixBody:
    """A column of the matrix: a body or office; ``status`` (for a place) is ``local``,
    ``state`` or ``federal``."""

    iri: str
    label: str
    status: str | None = None


@dataclass(frozen=True)
class Cell:
    """Whether ``body`` can block information sharing at stage ``stage`` (its order), and how."""

    stage: int
    body: str
    body_label: str
    can_block: bool
    actions: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    data_kinds: tuple[str, ...] = ()
    flows: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()
    can_do: tuple[str, ...] = ()


@dataclass(frozen=True)
class Matrix:
    """Stages by bodies: who can block information sharing, for the state or for one place."""

    lang: str
    stages: tuple[MatrixStage, ...]
    bodies: tuple[MatrixBody, ...]
    cells: tuple[Cell, ...]
    place: str | None = None
    place_label: str | None = None

    def cell(self, stage: int | str, body: str) -> Cell:
        """The cell for a stage (its order or IRI) and a body (its IRI or label); an empty cell
        (``can_block`` false) where the body cannot block anything at that stage."""
        order = stage if isinstance(stage, int) else self._order(stage)
        for cell in self.cells:
            if cell.stage == order and body in (cell.body, cell.body_label):
                return cell
        column = next((b for b in self.bodies if body in (b.iri, b.label)), None)
        if column is None:
            raise ParameterError(f"no body {body!r} in the matrix", param="body")
        return Cell(order, column.iri, column.label, False)

    def _order(self, iri: str) -> int:
        for row in self.stages:
            if row.iri == iri:
                return row.order
        raise ParameterError(f"no stage {iri!r} in the matrix", param="stage")

    @property
    def title(self) -> str:
        """What the matrix is about, in its language."""
        if self.place_label:
            return t("ui.pipeline.matrix.title_place", self.lang, place=self.place_label)
        return t("ui.pipeline.matrix.title_state", self.lang)

    def to_rows(self) -> list[dict[str, str]]:
        """The matrix as a table: one row per stage, one column per body (✓ and the actions, or
        —), and a last column with the stage's remaining gaps; headings in the matrix's language.
        """
        stage_column = t("ui.pipeline.matrix.stage_column", self.lang)
        gaps_column = t("ui.pipeline.matrix.gaps_column", self.lang)
        rows = []
        for stage in self.stages:
            row = {stage_column: f"{stage.order}. {stage.label}"}
            for body in self.bodies:
                cell = self.cell(stage.order, body.iri)
                row[body.label] = f"{YES} " + "; ".join(cell.actions) if cell.can_block else NO
            row[gaps_column] = " ".join(stage.gaps) if stage.gaps else NO
            rows.append(row)
        return rows

    @property
    def text(self) -> str:
        """The matrix in words, stage by stage (its text equivalent)."""
        lines = [self.title]
        for stage in self.stages:
            lines.append(f"{stage.order}. {stage.label}")
            who = [c.body_label for c in self.cells if c.stage == stage.order and c.can_block]
            if who:
                lines.append("   " + t("ui.pipeline.matrix.who", self.lang, bodies="; ".join(who)))
            else:
                lines.append("   " + t("ui.pipeline.matrix.nobody", self.lang))
            lines.extend(f"   {gap}" for gap in stage.gaps)
        return "\n".join(lines)


def _find_place(atlas: Atlas, place: str, *, lang: str) -> Place:
    rows = atlas.query(PLACES, params={"city": place, "lang": lang}).rows
    if rows:
        row = rows[0]
        return Place(
            str(row["city"]),
            str(row["cityLabel"]),
            str(row["county"]),
            str(row["countyLabel"]),
            row.get("unincorporated") is True,
        )
    everywhere = places(atlas, lang=lang)
    names = {p.slug: p.slug for p in everywhere}
    names.update({p.label.lower(): p.slug for p in everywhere})
    wanted = place.strip().lower().rsplit("/", 1)[-1]
    close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.75)
    raise UnknownPlaceError(place, candidates=list(dict.fromkeys(names[c] for c in close)))


def matrix(atlas: Atlas, *, lang: str = "en", place: str | None = None) -> Matrix:
    """Who can block information sharing, stage by stage: for the state (``place`` left out,
    from ``cq-003``) or for one place (a slug such as ``oakland``, from ``cq-014``).

    Raises :class:`~pipeline_atlas.plan.UnknownPlaceError` (with close matches) for a place the
    atlas does not know.

    >>> from pipeline_atlas import Atlas
    >>> grid = matrix(Atlas.open_default(), place="oakland")
    >>> grid.cell(1, "Oakland City Council").actions  # doctest: +NORMALIZE_WHITESPACE
    ('Pass an ordinance barring city departments from cooperating or sharing information with
      immigration enforcement',)
    """
    if lang not in LANGUAGES:
        raise ParameterError(
            f"language {lang!r} is not one of {', '.join(LANGUAGES)}", param="lang"
        )
    params = {"lang": lang}
    where = _find_place(atlas, place, lang=lang) if place is not None else None

    flow_rows = atlas.query(FLOWS, params=params).rows
    agencies_of: dict[str, list[str | None]] = {}
    flows_by_agency: dict[tuple[str, str | None, str | None], list[str]] = {}
    for row in flow_rows:
        flow = str(row["flow"])
        agencies_of.setdefault(flow, []).append(_str(row, "agencyLabel"))
        key = (str(row["stage"]), _str(row, "agency"), _str(row, "dataKindLabel"))
        flows_by_agency.setdefault(key, []).append(flow)
    gap_of = {
        str(r["flow"]): _str(r, "remainingGap")
        for r in atlas.query(LAWS_AND_GAPS, params=params).rows
    }
    label_of = {str(r["flow"]): str(r["flowLabel"]) for r in flow_rows}

    stage_rows: dict[str, tuple[int, str]] = {}
    cells: dict[tuple[int, str], dict[str, list[str | None]]] = {}
    bodies: dict[str, MatrixBody] = {}
    unknown: dict[str, list[str]] = {}

    def add(order: int, body: str, label: str, **values: Sequence[str | None]) -> None:
        entry = cells.setdefault((order, body), {"label": [label]})
        for name, items in values.items():
            entry.setdefault(name, []).extend(items)

    if where is None:
        for row in atlas.query(STATE, params=params).rows:
            stage_iri, order = str(row["stage"]), int(str(row["stageOrder"]))
            stage_rows.setdefault(stage_iri, (order, str(row["stageLabel"])))
            body = _str(row, "body")
            if body is None:
                continue
            label = str(row["bodyLabel"])
            bodies.setdefault(body, MatrixBody(body, label))
            flows = flows_by_agency.get(
                (stage_iri, _str(row, "agency"), _str(row, "dataKindLabel")), []
            )
            add(
                order,
                body,
                label,
                actions=[_str(row, "actionLabel")],
                agencies=[_str(row, "agencyLabel")],
                data_kinds=[_str(row, "dataKindLabel")],
                flows=[label_of.get(f) for f in flows],
                gaps=[gap_of.get(f) for f in flows],
            )
    else:
        for row in atlas.query(IN_PLACE, params={"city": where.city, **params}).rows:
            stage_iri, order = str(row["stage"]), int(str(row["stageOrder"]))
            stage_rows.setdefault(stage_iri, (order, str(row["stageLabel"])))
            flow = str(row["flow"])
            status = _str(row, "status")
            body = _str(row, "body")
            if status == "unknown":
                unknown.setdefault(stage_iri, []).append(str(row["flowLabel"]))
            if body is None or status not in ("local", "state", "federal"):
                continue
            label = str(row["bodyLabel"])
            bodies.setdefault(body, MatrixBody(body, label, status))
            add(
                order,
                body,
                label,
                actions=[_str(row, "actionLabel")],
                agencies=agencies_of.get(flow, []),
                data_kinds=[_str(row, "dataKindLabel")],
                flows=[str(row["flowLabel"])],
                gaps=[gap_of.get(flow)],
                can_do=[_str(row, "canDo")],
            )

    stage_gaps: dict[str, list[str]] = {}
    for row in atlas.query(NOBODY, params=params).rows:
        stage_gaps.setdefault(str(row["stage"]), []).append(
            t("ui.pipeline.flow_nobody", lang, flow=str(row["flowLabel"]))
        )
    for row in atlas.query(NO_LOCAL_BODY, params=params).rows:
        who = _str(row, "whoElseCan")
        if who:
            stage_gaps.setdefault(str(row["stage"]), []).append(
                t("ui.pipeline.flow_no_local", lang, flow=str(row["flowLabel"]), bodies=who)
            )
    for stage_iri, flows in unknown.items():
        for flow_label in _once(flows):
            stage_gaps.setdefault(stage_iri, []).append(
                t("ui.pipeline.matrix.unknown", lang, flow=flow_label)
            )

    first_stage = {body: min(o for o, b in cells if b == body) for body in bodies}
    return Matrix(
        lang=lang,
        stages=tuple(
            MatrixStage(iri, order, label, tuple(stage_gaps.get(iri, ())))
            for iri, (order, label) in sorted(stage_rows.items(), key=lambda s: s[1][0])
        ),
        bodies=tuple(
            sorted(bodies.values(), key=lambda b: (first_stage[b.iri], b.label.casefold()))
        ),
        cells=tuple(
            Cell(
                stage=order,
                body=body,
                body_label=str(values["label"][0]),
                can_block=True,
                actions=_once(values.get("actions", [])),
                agencies=_once(values.get("agencies", [])),
                data_kinds=_once(values.get("data_kinds", [])),
                flows=_once(values.get("flows", [])),
                gaps=_once(values.get("gaps", [])),
                can_do=_once(values.get("can_do", [])),
            )
            for (order, body), values in sorted(
                cells.items(), key=lambda c: (c[0][0], str(c[1]["label"][0]).casefold())
            )
        ),
        place=where.slug if where else None,
        place_label=where.display(lang=lang) if where else None,
    )
