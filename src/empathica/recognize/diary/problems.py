"""The problem collector: every offending cell of a diary, reported together in one DiaryError.

The cell parsers and the cross-column checks record the rows where a check fails;
:meth:`_Problems.raise_all` then writes one message with the earliest problem first
and the next ones (up to ten in all) grouped by column.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from empathica.recognize.diary.errors import DiaryError, Locator

_MAX_PROBLEMS = 10  # problems listed in one message


class _Check(NamedTuple):
    column: str
    rows: np.ndarray  # the first offending rows (0-based), at most _MAX_PROBLEMS
    count: int  # all offending rows
    describe: Callable[[int], str]
    show: Callable[[int], str] | None


class _Problems:
    """Collects the offending rows of every check; reports the first several together."""

    def __init__(self) -> None:
        self.checks: list[_Check] = []
        self._bad: dict[str, np.ndarray] = {}

    def add(
        self,
        column: str,
        bad: np.ndarray,
        describe: Callable[[int], str],
        show: Callable[[int], str] | None = None,
    ) -> None:
        """Record the rows where ``bad``; ``describe(i)`` is the message for row i and
        ``show(i)`` the cell as shown when the same check is listed again."""
        bad = np.asarray(bad, dtype=bool)
        if not bad.any():
            return
        prev = self._bad.get(column)
        self._bad[column] = bad.copy() if prev is None else (prev | bad)
        rows = np.flatnonzero(bad)
        self.checks.append(_Check(column, rows[:_MAX_PROBLEMS], len(rows), describe, show))

    def add_empty(self, column: str, missing: np.ndarray, describe: Callable[[int], str]) -> None:
        """Empty cells, leaving out those already reported for this column."""
        missing = np.asarray(missing, dtype=bool)
        prev = self._bad.get(column)
        if prev is not None:
            missing = missing & ~prev
        self.add(column, missing, describe, show=lambda i: "empty")

    def bad(self, column: str, n: int) -> np.ndarray:
        """Rows already reported for this column."""
        prev = self._bad.get(column)
        return np.zeros(n, dtype=bool) if prev is None else prev

    def raise_all(self, source: str, locate: Locator) -> None:
        if not self.checks:
            return
        # Earliest row first; on one row, the first check made (columns in diary order).
        found = sorted((int(r), k) for k, check in enumerate(self.checks) for r in check.rows)
        shown = found[:_MAX_PROBLEMS]
        total = sum(check.count for check in self.checks)
        row, k = shown[0]
        first = self.checks[k]
        where, line = locate(row)
        lines = [f"{source}, {where}, column '{first.column}': {first.describe(row)}"]
        introduced = {k}
        groups: dict[str, list[tuple[int, int]]] = {first.column: []}
        for r, kk in shown[1:]:
            groups.setdefault(self.checks[kk].column, []).append((r, kk))
        for column, items in groups.items():
            if not items:
                continue
            parts: list[str] = []
            for r, kk in items:
                check = self.checks[kk]
                here = locate(r)[0]
                if kk in introduced:
                    shown_value = check.show(r) if check.show is not None else None
                    parts.append(
                        (", " if parts else "") + (f"{here} ({shown_value})" if shown_value else here)
                    )
                else:
                    introduced.add(kk)
                    parts.append(("; " if parts else "") + f"{here}: {check.describe(r)}")
            also = "also " if column == first.column else ""
            lines.append(f"  column '{column}': {also}{''.join(parts)}")
        if total > len(shown):
            more = total - len(shown)
            lines.append(f"  ... and {more} more problem{'s' if more != 1 else ''}")
        raise DiaryError("\n".join(lines), source=source, row=row + 1, line=line, column=first.column)
