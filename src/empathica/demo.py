"""The demo: the theory's headline predictions, checked on a year of simulated dyads."""

from __future__ import annotations

import textwrap

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
            f"A13 breakups and reconciliations per dyad-year: bpd:secure {bs:.2f} "
            f"({bpd.breakups_per_dyad_year:.2f} + {bpd.reconciliations_per_dyad_year:.2f}), "
            f"secure:secure {ss:.2f}",
        )
    )
    return out


def validation_digest(table: pd.DataFrame, width: int = 80) -> str:
    """The validation verdicts in a few lines: each claim id with its name and its verdict on
    the article and on the evidence profiles, in as many columns as ``width`` allows."""
    from empathica.validation import short_rows
    from empathica.validation.registry import TITLES

    rows = short_rows(table)
    title_w = max(len(TITLES.get(i, "")) for i, _, _ in rows)
    cells = [f"{ident:<4} {TITLES.get(ident, ''):<{title_w}}  {art:<8} {evi:<8}" for ident, art, evi in rows]
    header = f"{'id':<4} {'claim or finding':<{title_w}}  {'article':<8} {'evidence':<8}"
    cell_w = len(header) + 3
    columns = max(1, min(3, (width + 3) // cell_w))
    height = -(-len(cells) // columns)
    out = [
        "Virtual experiments (empathica validate for the full table)",
        (header + "   ") * min(columns, len(cells)),
    ]
    for i in range(height):
        out.append("   ".join(cells[j] for j in range(i, len(cells), height)))
    legend = (
        "article: verdict on the article profiles (the theory as written); evidence: on the "
        "evidence profiles (calibrated to the literature). Claims (A) count on the article "
        "profiles, findings (L) on the evidence profiles; a verdict in parentheses is shown for "
        "information and not counted (conflicts C never count). fail: the simulated effect is "
        "outside what the claim or finding expects; pending: not modelled yet; *: some rows of "
        "the id pending."
    )
    out += textwrap.wrap(legend, width=max(40, width), break_on_hyphens=False)
    return "\n".join(line.rstrip() for line in out)
