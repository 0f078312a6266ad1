"""The demo: the theory's headline predictions, checked on a year of simulated dyads."""

from __future__ import annotations

import pandas as pd

DEMO_PAIRS = ["secure:secure", "bpd:secure", "npd:secure", "npd:bpd"]


def _row(summary: pd.DataFrame, pair: str, responder: str) -> pd.Series:
    return summary[(summary.pair == pair) & (summary.responder == responder)].iloc[0]


def checks(summary: pd.DataFrame) -> list[tuple[bool, str]]:
    """Each headline prediction as (holds?, sentence with the numbers)."""
    sec = _row(summary, "secure:secure", "secure")
    npd = _row(summary, "npd:secure", "npd")
    bpd = _row(summary, "bpd:secure", "bpd")
    sec_b = _row(summary, "bpd:secure", "secure")
    out = []
    out.append(
        (
            npd.paid_lift > 3 * max(sec.paid_lift, 0.01),
            f"A4 conditional empathy: npd response rate rises by {npd.paid_lift:+.2f} with an "
            f"audience or a benefit, secure by {sec.paid_lift:+.2f}",
        )
    )
    out.append(
        (
            npd.follow_watched - npd.follow_unwatched > sec.follow_watched - sec.follow_unwatched + 0.1,
            f"A9 follow-through: npd keeps {npd.follow_watched:.0%} of promises when watched, "
            f"{npd.follow_unwatched:.0%} when not (secure {sec.follow_watched:.0%} / "
            f"{sec.follow_unwatched:.0%})",
        )
    )
    out.append(
        (
            bpd.accuracy < sec_b.accuracy and bpd.arousal_level > sec_b.arousal_level,
            f"A1 empathic paradox: bpd responders are less accurate ({bpd.accuracy:.2f} vs "
            f"{sec_b.accuracy:.2f}) and more aroused by distress ({bpd.arousal_level:.2f} vs "
            f"{sec_b.arousal_level:.2f}) than their secure partners",
        )
    )
    bs = bpd.breakups_per_dyad_year + bpd.reconciliations_per_dyad_year
    ss = sec.breakups_per_dyad_year + sec.reconciliations_per_dyad_year
    out.append(
        (
            bpd.breakups_per_dyad_year > 2 * sec.breakups_per_dyad_year
            and bpd.reconciliations_per_dyad_year > 2 * sec.reconciliations_per_dyad_year,
            f"A13 breakup-reconciliation cycles per dyad-year: bpd:secure {bs:.2f}, secure:secure {ss:.2f}",
        )
    )
    return out


def validation_digest(table: pd.DataFrame, columns: int = 3) -> str:
    """The validation verdicts in a few lines: id, article-profile verdict, evidence verdict."""
    from empathica.validation import short_table

    lines = short_table(table).splitlines()
    header, rows, legend = lines[0], lines[1:-1], lines[-1]
    height = -(-len(rows) // columns)
    width = max(len(r) for r in rows) + 4
    out = ["Virtual experiments (`empathica validate` for the full table)",
           (header.ljust(width)) * min(columns, len(rows))]
    for i in range(height):
        out.append("".join(rows[j].ljust(width) for j in range(i, len(rows), height)))
    out.append(legend)
    return "\n".join(line.rstrip() for line in out)
