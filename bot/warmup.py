"""Imported once by the analysis workers' fork server: the bundled gazetteer, ready to fork.

Building the gazetteer and its actor automaton takes about a second. The fork server
imports this module before it forks any worker, so every worker starts with them built
(``Gazetteer.load`` and the finder keep them cached) instead of building its own.
"""

from __future__ import annotations

from briefings.analysis.pipeline import Analyzer

Analyzer()
