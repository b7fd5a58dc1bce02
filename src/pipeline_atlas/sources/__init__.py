"""Generators that turn reference data into graph_data/ (build time only)."""
