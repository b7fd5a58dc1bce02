"""Your city: a plan for one city or town, on screen and as a file to print.

The reader picks one of California's 482 cities and towns. The plan comes whole from the library
(``pipeline_atlas.plan``, through the cached ``state.city_plan``); this page only lays it out: one
heading per stage with who to contact, what the law already does and what still gets through, then
who governs the city and the representation programs. Plain text and lists, no tables, so that it
reads on a phone and prints well.
"""

from __future__ import annotations

import streamlit as st

import state
from pipeline_atlas import AtlasError

CITY_KEY = "city"
SHOWN_IN_KEY = "city-page-language"

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Your city",
        "intro": (
            "Pick your city or town to see, stage by stage, who there can stop the sharing of "
            "people's information with immigration enforcement, what the law already does, and "
            "what still gets through. You can download the plan to print or share."
        ),
        "picker": "City or town",
        "placeholder": "Type the name of a city or town",
        "prompt": "Choose one of California's 482 cities and towns above to see its plan.",
        "download": "Download the plan (Markdown)",
        "download_help": "The same plan as a text file, to print or to share.",
        "contents": "On this page",
        "error": "The graph could not answer: {message}",
    },
    "es": {
        "title": "Tu ciudad",
        "intro": (
            "Elige tu ciudad o pueblo para ver, etapa por etapa, quién puede impedir allí que la "
            "información de las personas se comparta con las autoridades de control migratorio, "
            "lo que la ley ya hace y lo que todavía pasa. Puedes descargar el plan para "
            "imprimirlo o compartirlo."
        ),
        "picker": "Ciudad o pueblo",
        "placeholder": "Escribe el nombre de una ciudad o pueblo",
        "prompt": "Elige arriba una de las 482 ciudades y pueblos de California para ver su plan.",
        "download": "Descargar el plan (Markdown)",
        "download_help": "El mismo plan como archivo de texto, para imprimirlo o compartirlo.",
        "contents": "En esta página",
        "error": "El grafo no pudo responder: {message}",
    },
}

lang = state.language()
text = TEXT[lang]

st.title(text["title"])
st.write(text["intro"])

try:
    names = {place.slug: place.display(lang=lang) for place in state.places(lang)}
except AtlasError as error:
    st.error(text["error"].format(message=error))
    st.stop()

# The picker keeps the chosen city when the language changes, but the browser would go on showing
# its label in the old language: setting the value again makes Streamlit send the new label.
if st.session_state.get(SHOWN_IN_KEY) != lang:
    if st.session_state.get(CITY_KEY) in names:
        st.session_state[CITY_KEY] = st.session_state[CITY_KEY]
    st.session_state[SHOWN_IN_KEY] = lang

city = st.selectbox(
    text["picker"],
    options=list(names),
    index=None,
    format_func=lambda slug: names.get(slug, slug),
    key=CITY_KEY,
    placeholder=text["placeholder"],
    filter_mode="contains",
    persist_state="session",
)

if city is None:
    st.info(text["prompt"])
    st.stop()

try:
    plan = state.city_plan(city, lang)
except AtlasError as error:
    st.error(text["error"].format(message=error))
    st.stop()

st.download_button(
    text["download"],
    data=plan.to_markdown(),
    file_name=f"pipeline-plan-{plan.slug}-{lang}.md",
    mime="text/markdown",
    help=text["download_help"],
    on_click="ignore",
    icon=":material/download:",
    key="download-plan",
)
st.info(plan.unknown_note)

sections = plan.sections()
st.markdown(
    f"**{text['contents']}**\n\n"
    + "\n".join(f"- [{s.title}](#{s.anchor})" for s in sections if s.level == 2 and s.anchor)
)

for section in sections:
    if section.level == 2:
        st.header(section.title, anchor=section.anchor or False, divider="gray")
    else:
        st.subheader(section.title, anchor=False)
    if section.body:
        st.markdown(section.body)

st.divider()
st.caption(plan.footer)
