"""What the explorer shows, computed once here so that the pages only lay it out.

One module per view: ``search`` (find a place, a body, an action, a law or a stage), ``pipeline``
(the stages as a figure and as pages), ``matrix`` (who can block information sharing), ``graph``
(a node's neighbourhood and its page), ``maps`` (county maps from ``geo:asWKT``), ``results``
(a SPARQL answer as table, chart, map and files), ``sources`` (sources, glossary, history) and
``correction`` (a report that something is wrong). Each function takes the Atlas
first and ``lang`` as a keyword, runs catalogue queries only, and returns plain dataclasses that
pickle (the explorer caches them).
"""
