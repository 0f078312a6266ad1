"""Sociometer: self-esteem as a gauge of one's relational value (A12, A13, L9).

    expected  = clip(expectation_gain * (reference - self_esteem), -1, 1)
    ambiguity = 1 - |2 * shown - 1|                (care shown on 0-1: 1 at 0.5, 0 at 0 or 1)
    read      = shown - reading_bias * expected * ambiguity

Self-esteem tracks how much one feels valued by others (Leary, Tambor, Terdal &
Downs 1995; Leary & Baumeister 2000), so it is also a forecast: low self-esteem
expects rejection, high self-esteem expects acceptance, and an ambiguous reaction
is read toward what is expected (Murray, Holmes & Griffin 2000: people with low
self-esteem underestimate their partners' regard; Downey & Feldman 1996:
expectation of rejection precedes reading rejection). Unambiguous care or neglect
is read for what it is. The loop closes in ``self_image``: felt rejection lowers
self-esteem, which raises the expectation of rejection next time. So a link
between self-esteem and rejection sensitivity is a mechanism of the model, not
only the shared cause of attachment anxiety.

``p`` is the compiled ``sociometer`` constants.
"""

from __future__ import annotations

from empathica.model.jit import clip, mechanism


@mechanism
def expected_rejection(self_esteem: float, p) -> float:
    """Rejection expected from others (negative: acceptance expected)."""
    return clip(p.expectation_gain * (p.reference - self_esteem), -1.0, 1.0)


@mechanism
def care_ambiguity(shown: float) -> float:
    """How ambiguous care shown at level ``shown`` (0-1) is: 1 at 0.5, 0 at either end."""
    return 1.0 - abs(2.0 * shown - 1.0)


@mechanism
def rejection_reading(ambiguity: float, self_esteem: float, p) -> float:
    """Shift toward rejection (on the 0-1 care scale) of a reaction of that ambiguity."""
    return p.reading_bias * expected_rejection(self_esteem, p) * ambiguity
