"""The Pipeline Atlas explorer (Streamlit): ``streamlit run ui/streamlit_app.py``.

``streamlit_app`` draws the navigation and the shared sidebar, ``state`` holds the only caching,
and ``app_pages`` has one file a page. Pages make only Streamlit calls and library calls; every
word they show comes from the message catalogue (:mod:`pipeline_atlas.i18n`, keys ``ui.*``).
"""
