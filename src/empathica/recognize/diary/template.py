"""The diary template: the annotated CSV that ``empathica diary-template`` writes.

Its example rows are also what the checks compare a diary with, to count rows
that are still the template's examples rather than real episodes.
"""

from __future__ import annotations

import csv
import io

from empathica.model.schema import COLUMN_HELP, OBSERVABLE_COLUMNS
from empathica.recognize.diary.columns import REQUIRED_COLUMNS

_TEMPLATE_ROWS = (
    # episode, t, dyad, actor, target, need, intensity, audience, benefit, threat,
    # boundary_asked, perspective_prompt, responded, accuracy, warmth, committed,
    # followed_through, boundary_respected
    (
        "1",
        "2025-03-01",
        "Sam & me",
        "Sam",
        "me",
        "sadness",
        "0.7",
        "false",
        "false",
        "false",
        "false",
        "false",
        "true",
        "0.8",
        "0.9",
        "true",
        "true",
        "",
    ),
    (
        "2",
        "2025-03-02",
        "Sam & me",
        "Sam",
        "me",
        "good_news",
        "0.5",
        "true",
        "false",
        "false",
        "false",
        "false",
        "true",
        "0.6",
        "0.7",
        "false",
        "",
        "",
    ),
    (
        "3",
        "2025-03-04",
        "Sam & me",
        "Sam",
        "me",
        "anger",
        "0.6",
        "false",
        "false",
        "true",
        "true",
        "false",
        "false",
        "",
        "",
        "false",
        "",
        "true",
    ),
)


def diary_template() -> str:
    """An annotated CSV template: '#' comment lines, the header, three example rows."""
    lines = [
        "# Empathica interaction diary (CSV). Lines starting with '#' are comments.",
        "# One row per episode: a moment when someone (the target) had a need and",
        "# someone else (the actor) could respond. Record EVERY such episode, the dull",
        "# and the flattering ones too, as soon as you can, not only the memorable ones:",
        "# a diary of remembered highlights measures memory, not behaviour.",
        "# Required columns: " + ", ".join(REQUIRED_COLUMNS) + ".",
        "# Optional columns may be deleted; they are then left out of the analysis.",
        "# Empty cell = not applicable or not known. true/false also as yes/no or 1/0.",
        "#",
    ]
    width = max(len(c) for c in OBSERVABLE_COLUMNS)
    for col in OBSERVABLE_COLUMNS:
        tag = "required" if col in REQUIRED_COLUMNS else "optional"
        lines.append(f"# {col:<{width}}  ({tag}) {COLUMN_HELP[col]}")
    lines += [
        "#",
        "# The three rows below are examples: replace them with your own episodes.",
        "# Then run: empathica recognize <this file>",
    ]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(OBSERVABLE_COLUMNS)
    for row in _TEMPLATE_ROWS:
        writer.writerow(row)
    return "\n".join(lines) + "\n" + buf.getvalue()
