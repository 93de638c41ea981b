"""The actor tests' finder over the shipped gazetteer, one per test module."""

from __future__ import annotations

import pytest

from briefings.analysis.actors.finder import ActorFinder
from briefings.analysis.actors.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def finder() -> ActorFinder:
    return ActorFinder(Gazetteer.default())
