"""Static figures for a paper: the report's data drawn with matplotlib, as PNG files."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no window
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from empathica.report import figures  # noqa: E402


def _save(fig, folder: Path, name: str) -> str:
    fig.savefig(folder / name, dpi=200, bbox_inches="tight")
    plt.close(fig)
    return name


def draw(report, folder: Path) -> list[str]:
    """Every figure of ``report`` that has a static form, written into ``folder``; the names."""
    names = []
    for name, fig in report.figures.items():
        if report.title == "sweep":
            from empathica.sweep.sensitivity import save_png

            file = "sensitivity_" + "_".join(name.replace(":", "-").split()) + ".png"
            save_png(report.tables[name], folder / file)
            names.append(file)
        elif name == "forest":
            names.append(_forest(report.tables["forest"], folder))
        elif name == "responses":
            names.append(_responses(report.tables["responses"], folder))
        elif name == "therapy":
            names.append(_therapy(report.tables["therapy"], folder))
        elif name == "loved_ones":
            names.append(_loved_ones(report.tables["loved_ones"], folder))
        elif name == "calibration":
            names.append(_calibration(report.tables["calibration"], folder))
        else:
            data = [trace.to_plotly_json() for trace in fig.data]
            names.append(_traces(data, fig.layout.title.text or name, folder, f"{name}.png"))
    return names


def _therapy(tab, folder: Path) -> str:
    people = list(dict.fromkeys(tab["person"]))
    outcomes = list(figures.THERAPY_OUTCOMES)
    fig, axes = plt.subplots(len(people), len(outcomes), figsize=(10, 2.6 * len(people)), squeeze=False)
    for r, person in enumerate(people):
        for c, outcome in enumerate(outcomes):
            ax = axes[r, c]
            part = tab[(tab["person"] == person) & (tab["outcome"] == outcome)]
            for arm, line in part.groupby("arm", sort=False):
                ax.plot(line["week"], line["gain_sd"], linewidth=1.2, label=str(arm))
            ax.axhline(0, color="#bbb", linewidth=0.6)
            ax.set_title(f"{person}: {figures.THERAPY_OUTCOMES[outcome]}", fontsize=9)
            ax.set_xlabel("week" if r == len(people) - 1 else "")
        axes[r, 0].set_ylabel("change (baseline SDs)")
        axes[r, 0].legend(frameon=False, fontsize=7)
    fig.tight_layout()
    return _save(fig, folder, "therapy.png")


def _loved_ones(tab, folder: Path) -> str:
    people = list(dict.fromkeys(tab["person"]))
    panels = [("strain_both", "strain on both"), ("together", "share still together")]
    fig, axes = plt.subplots(len(people), 2, figsize=(10, 2.8 * len(people)), squeeze=False)
    for r, person in enumerate(people):
        for c, (outcome, title) in enumerate(panels):
            ax = axes[r, c]
            part = tab[(tab["person"] == person) & (tab["outcome"] == outcome)]
            x = np.arange(len(part))
            colours = [figures.BLUE if a else figures.GREY for a in part["advised"]]
            err = [part["mean"] - part["ci_low"], part["ci_high"] - part["mean"]]
            ax.bar(x, part["mean"], yerr=err, color=colours, ecolor="#333", capsize=2)
            ax.set_xticks(x, part["strategy"], rotation=30, ha="right", fontsize=7)
            ax.set_title(f"{person}: {title} (blue: advised)", fontsize=9)
    fig.tight_layout()
    return _save(fig, folder, "loved_ones.png")


def _responses(tab, folder: Path) -> str:
    fig, ax = plt.subplots(figsize=(7, 3.5))
    profiles = list(dict.fromkeys(tab["profile"].astype(str)))
    contexts = ["neither", "audience", "benefit", "audience + benefit"]
    width = 0.8 / len(contexts)
    for k, ctx in enumerate(contexts):
        part = tab[tab["context"] == ctx].set_index(tab[tab["context"] == ctx]["profile"].astype(str))
        y = [part["rate"].get(p, np.nan) for p in profiles]
        ax.bar(np.arange(len(profiles)) + k * width, y, width, label=ctx)
    ax.set_xticks(np.arange(len(profiles)) + 0.4 - width / 2, profiles)
    ax.set_ylabel("response rate")
    ax.set_ylim(0, 1)
    ax.legend(frameon=False, fontsize=8)
    return _save(fig, folder, "responses.png")


def _forest(tab, folder: Path) -> str:
    tab = tab[tab["scale"] == "effect"]
    keys = list(dict.fromkeys(tab["key"]))
    fig, axes = plt.subplots(1, 2, figsize=(10, 0.22 * len(keys) + 1.2), sharey=True)
    for ax, family in zip(axes, ("article", "evidence"), strict=True):
        part = tab[tab["profile_family"] == family]
        y = [keys.index(k) for k in part["key"]]
        lo = np.clip(part["expected_low"].to_numpy(float), -6, 6)
        hi = np.clip(part["expected_high"].to_numpy(float), -6, 6)
        ok = ~(np.isnan(lo) | np.isnan(hi))
        ax.hlines(np.array(y)[ok], lo[ok], hi[ok], color="#d9d9d9", linewidth=6)
        colours = np.where(part["verdict"] == "pass", figures.GREEN, figures.RED)
        ax.errorbar(
            part["value"],
            y,
            xerr=[part["value"] - part["ci_low"], part["ci_high"] - part["value"]],
            fmt="none",
            ecolor="#555",
            linewidth=1,
        )
        ax.scatter(part["value"], y, c=colours, s=18, zorder=3)
        ax.set_title(f"{family} profiles")
        ax.set_xlim(-6, 6)
        ax.axvline(0, color="#999", linewidth=0.5)
    axes[0].set_yticks(range(len(keys)), keys, fontsize=6)
    axes[0].invert_yaxis()
    return _save(fig, folder, "validation_forest.png")


def _calibration(tab, folder: Path) -> str:
    ev = tab[tab["account"] == "evidence"].reset_index(drop=True)
    art = tab[tab["account"] == "article"].set_index("key").reindex(ev["key"])
    y = np.arange(len(ev))
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(ev) + 1.2))
    for which, colour in (("fit", figures.BLUE), ("test", figures.ORANGE)):
        m = (ev["set"] == which).to_numpy()
        ax.errorbar(
            ev["median"][m],
            y[m],
            xerr=[(ev["median"] - ev["q05"])[m], (ev["q95"] - ev["median"])[m]],
            fmt="o",
            color=colour,
            markersize=4,
            linewidth=1,
            label=f"calibrated, {which} set",
        )
    ax.scatter(art["median"], y, facecolors="none", edgecolors=figures.GREY, s=18, label="article profiles")
    ax.scatter(ev["published"], y, marker="D", color="black", s=16, zorder=3, label="published")
    ax.set_yticks(y, [f"{k} ({s})" for k, s in zip(ev["key"], ev["set"], strict=True)], fontsize=7)
    ax.invert_yaxis()
    ax.axvline(0, color="#999", linewidth=0.5)
    ax.set_xlabel("effect (the finding's own scale); bars: 90% predictive intervals")
    ax.legend(frameon=False, fontsize=7, loc="best")
    return _save(fig, folder, "calibration.png")


def _traces(data: list[dict], title: str, folder: Path, name: str) -> str:
    """A generic rendering of line, marker, bar and histogram traces (one axes per subplot)."""
    axes_of = sorted({(t.get("xaxis") or "x", t.get("yaxis") or "y") for t in data})
    fig, axes = plt.subplots(len(axes_of), 1, figsize=(8, 1.8 * len(axes_of) + 0.6), squeeze=False)
    for trace in data:
        ax = axes[axes_of.index((trace.get("xaxis") or "x", trace.get("yaxis") or "y")), 0]
        kind = trace.get("type")
        if kind == "histogram":
            ax.hist(
                np.asarray(trace.get("x", []), float),
                bins=30,
                density=True,
                alpha=0.5,
                label=trace.get("name"),
            )
        elif trace.get("mode") == "markers":
            ax.scatter(trace.get("x", []), trace.get("y", []), s=16, label=None, zorder=3)
        elif kind == "scatter":
            ax.plot(trace.get("x", []), trace.get("y", []), linewidth=1, label=trace.get("name"))
        elif kind == "bar":
            labels = [str(x) for x in trace.get("x", [])]
            colours = trace.get("marker", {}).get("color")
            ax.bar(np.arange(len(labels)), trace.get("y", []), color=colours, label=trace.get("name"))
            ax.set_xticks(np.arange(len(labels)), labels, rotation=30, ha="right", fontsize=7)
    axes[0, 0].set_title(title)
    if axes[0, 0].get_legend_handles_labels()[0]:
        axes[0, 0].legend(frameon=False, fontsize=7)
    return _save(fig, folder, name)
