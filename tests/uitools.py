"""Opening the explorer in-process (Streamlit's AppTest) for the page tests: one way for all.

Kept outside ``tests/ui`` and never importing the app's ``ui`` package (under pytest, ``ui`` would
name the ``tests/ui`` folder)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "ui" / "streamlit_app.py"
TIMEOUT = 300  # building the graph on first use can take a while on a 2-core machine


def open_app(page: str | None = None, *, no_error: bool = False, **params: str) -> AppTest:
    """The app on ``page`` (``app_pages/<name>.py``; the default page when None) with the page
    link's ``params``, run once; fails on an exception (and, with ``no_error``, on an st.error)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in params.items():
        at.query_params[name] = value
    if page is not None:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if no_error:
        assert not at.error, [e.value for e in at.error]
    return at
