"""Who can block information sharing? The stage-by-body matrix, for the state or for a place.

The matrix comes from :func:`pipeline_atlas.explore.matrix.matrix` (the headline competency
question ``cq-003`` for the state, ``cq-014`` for a place); the page shows it as a table with ✓
and —, the agencies, kinds of data and gaps behind each ✓ in expanders, and the stages' remaining
gaps. The place comes from the link (``?place=oakland``) or the picker. Words come from the
message catalogue (``ui.pipeline.matrix.*``).
"""

from __future__ import annotations

import streamlit as st

from pipeline_atlas import AtlasError
from pipeline_atlas.explore.matrix import Matrix, matrix
from pipeline_atlas.i18n import t
from pipeline_atlas.plan import UnknownPlaceError
from pipeline_atlas.plan.markdown import md
from ui import state


def field(key: str, values: tuple[str, ...], lang: str) -> str:
    """A Markdown line ``- **Label:** a; b`` (empty when there is nothing to say)."""
    return f"- **{t(key, lang)}:** {'; '.join(md(v) for v in values)}" if values else ""


lang = state.language()

st.title(t("ui.nav.matrix", lang))
st.write(t("ui.pipeline.matrix.intro", lang))

STATE, PLACE = "state", "place"
asked = state.param("place")
scope = st.radio(
    t("ui.pipeline.matrix.scope", lang),
    options=[STATE, PLACE],
    format_func=lambda s: t(
        "ui.pipeline.matrix.the_state" if s == STATE else "ui.pipeline.matrix.your_place", lang
    ),
    index=1 if asked else 0,
    horizontal=True,
    key=f"matrix-scope-{bool(asked)}",
)

place: str | None = None
if scope == PLACE:
    everywhere = state.places(lang)
    slugs = [p.slug for p in everywhere]
    names = {p.slug: p.display(lang=lang) for p in everywhere}
    place = st.selectbox(
        t("ui.pipeline.matrix.pick_place", lang),
        options=slugs,
        index=slugs.index(asked) if asked in slugs else None,
        format_func=lambda slug: names[slug],
        key=f"matrix-place-{asked}",
    )
    if asked and asked not in slugs:
        st.error(t("ui.pipeline.matrix.unknown_place", lang, place=asked))
    state.set_param("place", place)
else:
    state.set_param("place", None)

if scope == PLACE and place is None:
    st.stop()

try:
    grid: Matrix = state.cached(matrix, lang=lang, place=place)
except UnknownPlaceError:
    st.error(t("ui.pipeline.matrix.unknown_place", lang, place=place))
    st.stop()
except AtlasError as error:
    st.error(t("ui.pipeline.error", lang, message=error))
    st.stop()

st.header(grid.title)
st.dataframe(grid.to_rows(), hide_index=True, width="stretch")
with st.expander(t("ui.pipeline.matrix.in_words", lang)):
    st.markdown(md(grid.text).replace("\n", "  \n"))

st.subheader(t("ui.pipeline.matrix.details", lang))
for cell in grid.cells:
    stage = next(s for s in grid.stages if s.order == cell.stage)
    title = t(
        "ui.pipeline.matrix.cell", lang, body=cell.body_label, order=stage.order, stage=stage.label
    )
    with st.expander(f"✓ {title}"):
        lines = [
            field("ui.pipeline.matrix.actions", cell.actions, lang),
            field("ui.pipeline.matrix.agencies", cell.agencies, lang),
            field("ui.pipeline.matrix.data", cell.data_kinds, lang),
            field("ui.pipeline.matrix.flows", cell.flows, lang),
            field("ui.pipeline.matrix.can_do", cell.can_do, lang),
            field("ui.pipeline.matrix.gaps", cell.gaps, lang),
        ]
        st.markdown("\n".join(line for line in lines if line))

st.subheader(t("ui.pipeline.matrix.stage_gaps", lang))
for stage in grid.stages:
    if stage.gaps:
        st.markdown(
            f"**{stage.order}. {md(stage.label)}**\n\n"
            + "\n".join(f"- {md(gap)}" for gap in stage.gaps)
        )
