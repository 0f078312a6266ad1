"""L11: the couple's affect map has Gottman's phase plane: steady states from set points and
thresholds, stable, with basins the model's own dynamics reproduce, away from the clip bounds."""

import numpy as np
import pytest

import empathica
from empathica.lab.phase_plane import Partner, basins, steady_states
from empathica.model import relationship
from empathica.model.params import ModelParams, RelationshipParams, group_constants

SECURE = Partner(emotion_regulation=0.7, attachment_anxiety=0.3, attachment_avoidance=0.3)
BPD = Partner(emotion_regulation=0.2, attachment_anxiety=0.8, attachment_avoidance=0.6)


def attractor_of(row, states):
    d = np.hypot(states["affect_w"].to_numpy() - row[0], states["affect_h"].to_numpy() - row[1])
    return int(np.argmin(d)), float(d.min())


def test_secure_couple_has_one_positive_attractor_reached_from_everywhere():
    states = steady_states(SECURE, SECURE)
    assert len(states) == 1 and states["stable"].all()
    assert (states[["affect_w", "affect_h"]] > 0).all(axis=None)
    ends = basins(SECURE, SECURE, grid=21)
    assert np.allclose(ends["end_w"], states["affect_w"][0], atol=1e-6)
    assert np.allclose(ends["end_h"], states["affect_h"][0], atol=1e-6)


def test_negative_attractor_arises_from_the_threshold_with_a_positive_set_point():
    """Same inertia and a positive set point: once the negative threshold is above the
    negative steady state s - c / (1 - r), a second, negative attractor appears."""
    base = ModelParams()
    partner = Partner(emotion_regulation=0.4, attachment_anxiety=0.5, attachment_avoidance=0.3)
    p = group_constants(base.relationship)
    s = relationship.affect_set_point(0.5, 0.3, p)
    r = relationship.inertia(0.4, p)
    negative = s - p.neg_influence / (1 - r)
    assert s > 0 and negative < 0
    found = {}
    for t_neg in (negative - 0.05, negative + 0.05):  # threshold below, then above that level
        rel = base.relationship.model_copy(update={"neg_threshold_base": t_neg - 0.3 * 0.5})
        model = base.model_copy(update={"relationship": RelationshipParams(**rel.model_dump())})
        states = steady_states(partner, partner, model)
        found[t_neg > negative] = states
        ends = basins(partner, partner, model, grid=31)
        for _, row in ends.iterrows():  # every start ends on an analytic steady state
            _, dist = attractor_of((row["end_w"], row["end_h"]), states)
            assert dist < 1e-6
        if t_neg > negative:
            low = ends[(ends["start_w"] < negative) & (ends["start_h"] < negative)]
            high = ends[(ends["start_w"] > 0.5) & (ends["start_h"] > 0.5)]
            assert (low["end_w"] < 0).all() and (high["end_w"] > 0).all()  # two basins
    assert (found[False]["affect_w"] > 0).all()  # below: no negative steady state
    assert (found[True]["affect_w"] < 0).sum() == 1 and found[True]["stable"].all()
    assert found[True]["affect_w"].min() == pytest.approx(negative)


def test_two_dysregulated_anxious_partners_are_bistable_inside_the_bounds():
    states = steady_states(BPD, BPD)
    assert len(states) == 2
    assert states["affect_w"].min() < -0.2 and states["affect_w"].max() > -0.1
    assert (states[["affect_w", "affect_h"]].abs() < 0.9).all(axis=None)  # not the clip corner


def test_ordinary_profiles_keep_affect_away_from_the_clip_bounds():
    res = empathica.simulate(
        ["secure:secure", "bpd:secure", "npd:secure", "bpd:npd"], dyads=300, days=365, seed=3
    )
    tr = res.trajectories
    at_bound = (tr[["affect_a", "affect_b"]].abs() >= 0.999).to_numpy().mean()
    assert at_bound < 0.01
