"""The explorer's own styles, inlined (nothing is loaded from outside the machine).

Print: only the page's content (no sidebar, header, toolbar, search box or buttons), black on white,
each stage on a new page. Phone: nothing wider than the screen (tables and code scroll inside their
own box, the page never sideways).
"""

STYLE = """<style>
/* Nothing scrolls sideways on a narrow screen. */
html, body, [data-testid="stAppViewContainer"] { overflow-x: hidden; max-width: 100vw; }
[data-testid="stMain"] img, [data-testid="stMain"] svg { max-width: 100%; height: auto; }
[data-testid="stMain"] pre, [data-testid="stMain"] table { max-width: 100%; overflow-x: auto; }
[data-testid="stMarkdownContainer"] { overflow-wrap: anywhere; }
.pa-figure svg { width: 100%; height: auto; }

@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stBottom"], .pa-no-print, .stDownloadButton, .stButton, .stTextInput,
  [data-testid="stSegmentedControl"], [data-testid="stElementToolbar"] { display: none !important; }
  [data-testid="stMain"], [data-testid="stMainBlockContainer"] {
    margin: 0 !important; padding: 0 !important; max-width: 100% !important;
  }
  body, [data-testid="stAppViewContainer"] { background: #fff !important; color: #000 !important; }
  h2 { break-before: page; page-break-before: always; }
  h2:first-of-type { break-before: auto; page-break-before: auto; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  a { color: #000 !important; text-decoration: underline; }
}
</style>"""
