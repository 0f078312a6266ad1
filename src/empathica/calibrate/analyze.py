"""The analyze step: posterior summaries, identifiability, predictions, claims, recovery.

Every function takes weighted particles or simulated findings and returns a tidy
DataFrame. A predictive interval is for the *published* value: a simulated finding
plus the published study's sampling error, ``N(0, se^2)``, so a published value that
the model explains falls inside its 90% interval about 9 times in 10.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from empathica.calibrate.spec import CalibrationSpec, Finding, Parameter

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)

#: The article's claims that each finding bears on (BRIEF: L rows and conflicts C1, C2).
CLAIMS = {
    "L1": "A3",
    "L2": "A1 (C2)",
    "L3": "A1",
    "L4": "A1 (C2)",
    "L5": "A8",
    "L6": "A7",
    "L7": "A3",
    "L8": "A13",
    "L9": "A13",
    "L10": "A13 (C1)",
}


def weighted_quantiles(x: np.ndarray, w: np.ndarray, q: Sequence[float] = QUANTILES) -> np.ndarray:
    """Quantiles of a weighted sample (the weighted empirical distribution, midpoint rule)."""
    order = np.argsort(x)
    x, w = np.asarray(x, float)[order], np.asarray(w, float)[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(q, cdf, x)


def identifiability(particles: pd.DataFrame, w: np.ndarray, parameters: Sequence[Parameter]) -> pd.DataFrame:
    """Per parameter: posterior summaries and contraction, 1 - posterior variance / prior
    variance (0: the findings say nothing about it; near 1: they pin it down)."""
    rows = []
    for p in parameters:
        x = particles[p.name].to_numpy(float)
        mean = float(np.sum(w * x))
        sd = float(np.sqrt(np.sum(w * (x - mean) ** 2)))
        prior_sd = (p.high - p.low) / np.sqrt(12.0)
        q = weighted_quantiles(x, w)
        rows.append(
            dict(
                parameter=p.name,
                low=p.low,
                high=p.high,
                mean=mean,
                median=q[2],
                q05=q[0],
                q95=q[4],
                posterior_sd=sd,
                prior_sd=prior_sd,
                contraction=1.0 - (sd / prior_sd) ** 2,
            )
        )
    return pd.DataFrame(rows)


def correlations(particles: pd.DataFrame, w: np.ndarray, parameters: Sequence[Parameter]) -> pd.DataFrame:
    """Weighted posterior correlations of every pair of parameters (long form): a strong
    one says the findings fix a combination, not each parameter."""
    names = [p.name for p in parameters]
    x = particles[names].to_numpy(float)
    c = np.cov(x.T, aweights=w) if len(names) > 1 else np.ones((1, 1))
    sd = np.sqrt(np.clip(np.diag(np.atleast_2d(c)), 1e-300, None))
    r = np.atleast_2d(c) / np.outer(sd, sd)
    return pd.DataFrame(
        [
            dict(a=names[i], b=names[j], r=float(r[i, j]))
            for i in range(len(names))
            for j in range(i + 1, len(names))
        ],
        columns=["a", "b", "r"],
    )


def predictive(
    simulated: pd.DataFrame, spec: CalibrationSpec, rng: np.random.Generator, account: str = "evidence"
) -> pd.DataFrame:
    """Predictive intervals of the published values from simulated findings (one row per
    draw, one column per finding), fit and test sets side by side."""
    rows = []
    for which, published in (("fit", spec.fit), ("test", spec.test)):
        for f in published:
            sim = simulated[f.key].to_numpy(float)
            y = sim + rng.normal(0.0, f.se, size=len(sim))
            q = np.quantile(y, QUANTILES)
            mean, sd = float(y.mean()), float(y.std(ddof=1)) if len(y) > 1 else f.se
            rows.append(
                dict(
                    account=account,
                    key=f.key,
                    set=which,
                    claim=CLAIMS.get(f.key.split(".")[0], ""),
                    published=f.value,
                    se=f.se,
                    q05=q[0],
                    q25=q[1],
                    median=q[2],
                    q75=q[3],
                    q95=q[4],
                    mean=mean,
                    sd=sd,
                    z=(f.value - mean) / sd if sd > 0 else np.nan,
                    inside90=bool(q[0] <= f.value <= q[4]),
                    inside50=bool(q[1] <= f.value <= q[3]),
                    log_density=_normal_log_density(f.value, mean, sd),
                    source=f.source,
                )
            )
    return pd.DataFrame(rows)


def _normal_log_density(y: float, mean: float, sd: float) -> float:
    return float(-0.5 * ((y - mean) / sd) ** 2 - np.log(sd * np.sqrt(2.0 * np.pi)))


def claims(predictions: pd.DataFrame) -> pd.DataFrame:
    """Finding by finding, which account predicts the published value best: the log10
    ratio of predictive densities (normal approximation) of the evidence account (its
    posterior: on the fit set it has seen the finding, on the test set it has not) to
    the article's and the null account's (no free parameters, so prior = posterior)."""
    wide = predictions.pivot_table(
        index=["key", "set", "claim", "published"],
        columns="account",
        values=["median", "log_density"],
        aggfunc="first",
    )
    out = pd.DataFrame(index=wide.index)
    for a in wide["median"].columns:
        out[a] = wide["median"][a]
    ln10 = np.log(10.0)
    dens = wide["log_density"]
    if "article" in dens:
        out["log10_bf_evidence_article"] = (dens["evidence"] - dens["article"]) / ln10
    if "null" in dens:
        out["log10_bf_evidence_null"] = (dens["evidence"] - dens["null"]) / ln10
    out["favours"] = dens.idxmax(axis=1)
    out = out.reset_index()
    order = {k: i for i, k in enumerate(dict.fromkeys(predictions["key"]))}
    return out.sort_values("key", key=lambda s: s.map(order)).reset_index(drop=True)


def effective_size(w) -> float:
    """Kish's effective sample size of importance weights, 1 / sum(w^2) for normalized w:
    the number of equally weighted particles the posterior is worth (intervals from a few
    are too narrow)."""
    w = np.asarray(w, dtype=float)
    w = w / w.sum()
    return float(1.0 / np.sum(w**2))


def recovery_rows(
    truth: Mapping[str, float],
    particles: pd.DataFrame,
    w: np.ndarray,
    parameters: Sequence[Parameter],
    index: int,
) -> list[dict]:
    """Did the 50% and 90% central intervals cover each true value; and the truth's
    posterior quantile ``u`` (uniform over truths drawn from the prior when the posterior
    is calibrated: the rank statistic of simulation-based calibration)."""
    rows = []
    for p in parameters:
        x = particles[p.name].to_numpy(float)
        q = weighted_quantiles(x, w)
        t = float(truth[p.name])
        rows.append(
            dict(
                truth=index,
                parameter=p.name,
                true=t,
                median=q[2],
                covered50=bool(q[1] <= t <= q[3]),
                covered90=bool(q[0] <= t <= q[4]),
                u=float(np.sum(w * (x < t)) + 0.5 * np.sum(w * (x == t))),
            )
        )
    return rows


def coverage(recovery: pd.DataFrame) -> pd.DataFrame:
    """Coverage per parameter and over all, with the SBC check: a Kolmogorov-Smirnov test
    of the truths' posterior quantiles against the uniform distribution."""
    from scipy import stats

    def one(df: pd.DataFrame, name: str) -> dict:
        ks = stats.kstest(df["u"].to_numpy(), "uniform") if len(df) > 1 else None
        return dict(
            parameter=name,
            truths=int(df["truth"].nunique()),
            covered50=float(df["covered50"].mean()),
            covered90=float(df["covered90"].mean()),
            sbc_ks=float(ks.statistic) if ks else np.nan,
            sbc_p=float(ks.pvalue) if ks else np.nan,
        )

    if recovery.empty:
        return pd.DataFrame(columns=["parameter", "truths", "covered50", "covered90", "sbc_ks", "sbc_p"])
    rows = [one(g, str(name)) for name, g in recovery.groupby("parameter", sort=False)]
    rows.append(one(recovery, "all"))
    return pd.DataFrame(rows)


def sbc_histogram(recovery: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """Counts of the truths' posterior quantiles in equal bins (flat when calibrated)."""
    counts, edges = np.histogram(recovery["u"].to_numpy(), bins=bins, range=(0.0, 1.0))
    return pd.DataFrame({"low": edges[:-1], "high": edges[1:], "count": counts})


def published(spec: CalibrationSpec) -> list[Finding]:
    return [*spec.fit, *spec.test]
