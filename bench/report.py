"""Writing a benchmark's section of ``docs/performance.md``: the text between its own two markers
is replaced, or, the first time, appended under a heading. Each benchmark owns its markers."""

from __future__ import annotations

from pathlib import Path


def write_section(output: Path, text: str, *, begin: str, end: str, heading: str) -> None:
    """Put ``text`` (which starts with ``begin`` and ends with ``end``) in ``output``."""
    old = output.read_text(encoding="utf-8") if output.exists() else "# Performance\n"
    if begin in old and end in old:
        head, _, rest = old.partition(begin)
        _, _, tail = rest.partition(end)
        new = head + text + tail
    else:
        new = old.rstrip("\n") + f"\n\n## {heading}\n\n" + text + "\n"
    output.write_text(new, encoding="utf-8")
