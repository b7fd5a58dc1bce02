"""The search box shown at the top of every page (placeholder until the search helper lands)."""

from __future__ import annotations


def search_box() -> None:
    """Draw the search box."""
