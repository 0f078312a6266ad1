"""Validation: every claim of the theory and every published finding as a virtual experiment.

``run_validation(only=None, seed=0) -> pandas.DataFrame`` runs the registry
(``empathica.validation.registry``) of virtual experiments (``experiments``), built
on virtual lab tasks (``tasks``) and simulated relationship cohorts (``lab``), and
returns one tidy row per experiment and profile family; ``report`` turns the rows
into the side-by-side table (Markdown, JSON, CSV). ``robustness`` re-runs the counted
rows over seeds, trait spreads and every mechanism constant moved by 20%, and says which
verdicts flip. See docs/validation.md.
"""

from __future__ import annotations

from empathica.validation.report import failed_rows, markdown, run_validation, short_rows, short_table, write

__all__ = ["run_validation", "short_rows", "short_table", "failed_rows", "markdown", "write"]
