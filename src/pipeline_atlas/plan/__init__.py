"""A printable plan for one place: every action of the source document that applies there, whom
to press, and who can block each information flow, stage by stage.

:mod:`.model` asks the catalogue queries and holds the answers as data (:func:`city_plan`,
:func:`places`, :class:`CityPlan`, :class:`Action` …); :mod:`.markdown` writes a plan as Markdown
with the words of the message catalogue (:mod:`pipeline_atlas.i18n`), and :mod:`.html`,
:mod:`.pdf` and :mod:`.csv` give the same plan as a print-ready HTML page, a PDF and a table
(``plan.to_html()``, ``plan.to_pdf()``, ``plan.to_csv()``). Data labels come
from the graph in the language asked for. What no source says (who polices a city not in the
POST list, its charter status) stays unknown and is said to be unknown.

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
['Alameda County Board of Supervisors', 'Oakland City Council', 'Sheriff of Alameda County']
>>> print(plan.to_markdown().splitlines()[0])
# Oakland, Alameda County: a plan for organizers
>>> try:
...     city_plan(atlas, "oaklnd")
... except UnknownPlaceError as error:
...     print(error)
no city or town 'oaklnd' in the atlas; did you mean oakland?
"""

from __future__ import annotations

from ..i18n import LANGUAGES
from .markdown import Section, flow_statuses, md, status_word, to_markdown
from .model import (
    FORMATS,
    MARKERS,
    Action,
    Blocker,
    CityPlan,
    Flow,
    GoverningBody,
    Marker,
    Passage,
    Place,
    Program,
    Stage,
    Status,
    UnknownPlaceError,
    city_plan,
    places,
    plan_file,
)

__all__ = [
    "FORMATS",
    "LANGUAGES",
    "MARKERS",
    "Action",
    "Blocker",
    "CityPlan",
    "Flow",
    "GoverningBody",
    "Marker",
    "Passage",
    "Place",
    "Program",
    "Section",
    "Stage",
    "Status",
    "UnknownPlaceError",
    "city_plan",
    "flow_statuses",
    "md",
    "places",
    "plan_file",
    "status_word",
    "to_markdown",
]
