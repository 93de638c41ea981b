"""Case tables kept in TOML files beside the tests, read into ``pytest.mark.parametrize``."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, ClassVar

import pytest


class CaseFile:
    """One TOML file of case tables: each table is an array of cases for one test.

    A case is a table whose keys are the test's arguments, plus an optional ``id``. A case
    without one is named by its values: pytest's own id where they are strings and numbers,
    else the values written out. A table no test reads is refused (see :func:`unread_tables`).
    """

    opened: ClassVar[list[CaseFile]] = []
    """Every case file the collected test modules opened, for :func:`unread_tables`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as handle:
            self.tables: dict[str, Any] = tomllib.load(handle)
        self.read: set[str] = set()
        CaseFile.opened.append(self)

    def cases(self, tables: str | tuple[str, ...], *names: str) -> pytest.MarkDecorator:
        """Parametrize a test over ``tables``, passing each case's ``names`` in that order.

        Over several tables (rules checked the same way), each id starts with its table's name.
        """
        if isinstance(tables, str):
            return pytest.mark.parametrize(names, self.params(tables, names))
        params = [
            pytest.param(*p.values, id=f"{table}: {p.id or '-'.join(map(str, p.values))}")
            for table in tables
            for p in self.params(table, names)
        ]
        return pytest.mark.parametrize(names, params)

    def params(self, table: str, names: tuple[str, ...]) -> list[Any]:
        """The cases of ``table`` as pytest parameters (an error if it is missing or empty)."""
        self.read.add(table)
        rows = self.tables.get(table)
        if not isinstance(rows, list) or not rows:
            raise ValueError(f"{self.path}: no cases in [[{table}]]")
        return [self._param(table, n, row, names) for n, row in enumerate(rows, 1)]

    def _param(self, table: str, n: int, row: Any, names: tuple[str, ...]) -> Any:
        fields = set(row) - {"id"} if isinstance(row, dict) else set()
        if fields != set(names):
            raise ValueError(
                f"{self.path}: {table} case {n} has {sorted(fields)}, wanted {sorted(names)}"
            )
        values = [row[name] for name in names]
        return pytest.param(*values, id=row.get("id") or written_out(values))


def unread_tables() -> list[str]:
    """Tables of the opened case files that no test read: their cases would never run."""
    return [f"{f.path}: [[{t}]]" for f in CaseFile.opened for t in sorted(set(f.tables) - f.read)]


def written_out(values: list[Any]) -> str | None:
    """An id for values pytest would only number (lists, tables); None where it names them."""
    if all(isinstance(v, str | int | float) for v in values):
        return None
    return "-".join(str(v) if isinstance(v, str) else repr(v) for v in values)
