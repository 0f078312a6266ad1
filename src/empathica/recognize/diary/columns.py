"""Which columns a diary has, and what kind of value each column holds.

The required and optional columns, the columns that may have empty cells and the
kind of each column (true/false, a number from 0 to 1, an id): the readers, the
checks and the template all work from these sets.
"""

from __future__ import annotations

from empathica.model.schema import CONTEXT_FLAGS, OBSERVABLE_COLUMNS

#: Columns a diary must have.
REQUIRED_COLUMNS: tuple[str, ...] = ("actor", "responded", "audience", "benefit")

#: Columns a diary may leave out (left out of the analysis, with a note).
OPTIONAL_COLUMNS: tuple[str, ...] = tuple(c for c in OBSERVABLE_COLUMNS if c not in REQUIRED_COLUMNS)

#: Columns whose cells may be empty (not applicable or not known).
NULLABLE_COLUMNS: frozenset[str] = frozenset(
    {
        "dyad",
        "target",
        "need",
        "intensity",
        "accuracy",
        "warmth",
        "followed_through",
        "boundary_respected",
    }
)

BOOL_COLUMNS: tuple[str, ...] = (*CONTEXT_FLAGS, "responded", "committed")
NULLABLE_BOOL_COLUMNS: tuple[str, ...] = ("followed_through", "boundary_respected")
UNIT_COLUMNS: tuple[str, ...] = ("intensity", "accuracy", "warmth")
LABEL_COLUMNS: tuple[str, ...] = ("dyad", "actor", "target")
