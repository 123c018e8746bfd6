"""Charts as PNG bytes with alt text, drawn the same way on every run.

Matplotlib's Agg backend renders without a display; fonts are the bundled DejaVu Sans, and the
PNG carries no software or date metadata, so the bytes depend only on the numbers. Colours
are light on white so the charts print well and read for common colour-vision deficiencies.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display, no GUI toolkit

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from qualcode.report.figures import Figures, percent  # noqa: E402

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
            "#000000")
# Sized to be read on a phone: a 6.4 inch figure shown about 370 pixels wide keeps 11 pt text
# legible, and a desktop shows it at its natural 700 pixels.
_STYLE = {"font.family": "DejaVu Sans", "font.size": 11, "svg.hashsalt": "qualcode",
          "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": 100}
_DPI = 110


@dataclass(frozen=True)
class Chart:
    key: str  # stable name, e.g. "prevalence" or "breakdown-role"
    title: str
    alt: str  # what the chart shows, in words and numbers
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def all_charts(figures: Figures) -> dict[str, Chart]:
    """Every chart the figures support, keyed by :attr:`Chart.key`."""
    charts = [prevalence_chart(figures)]
    if figures.code_names:
        charts += [breakdown_chart(figures, a) for a in figures.breakdowns]
    charts.append(cooccurrence_chart(figures))
    if len(figures.topics):
        charts.append(topics_chart(figures))
    return {c.key: c for c in charts if c is not None}


def prevalence_chart(figures: Figures) -> Chart | None:
    frame = figures.prevalence.sort_values(["people", "code"], ascending=[False, True],
                                           kind="stable")
    if frame.empty:
        return None
    with _figure(len(frame)) as (fig, ax):
        bars = ax.barh(frame.code, frame.people_pct, color=_PALETTE[0])
        ax.invert_yaxis()
        ax.bar_label(bars, labels=[f"{n} ({percent(n, b)})" for n, b
                                   in zip(frame.people, frame.people_base)], padding=3)
        ax.set_xlim(0, 115)
        ax.set_xlabel(f"% of {figures.unit}\nwhose answers mention the code", fontsize=10)
        png = _png(fig)
    top = "; ".join(f"{r.code}: {r.people} of {r.people_base} ({percent(r.people, r.people_base)})"
                    for r in frame.head(6).itertuples())
    alt = (f"Horizontal bar chart of the share of {figures.unit} whose answers mention each "
           f"code, largest first. {top}.")
    return Chart("prevalence", "How many mention each code", alt, png)


def breakdown_chart(figures: Figures, attribute: str) -> Chart | None:
    """Grouped bars per code; groups too small to show anything are left out of the drawing."""
    frame = figures.breakdowns[attribute]
    values = list(dict.fromkeys(frame[frame.group_size >= figures.min_group].value))
    hidden = [v for v in dict.fromkeys(frame.value) if v not in values]
    visible = frame[~frame.suppressed.astype(bool) & (frame.pct.fillna(0) > 0)]
    if not values or visible.empty:
        return None  # nothing to draw but zeros and "<5": the table says it better
    codes = list(figures.code_names)
    width = 0.8 / max(len(values), 1)
    x = np.arange(len(codes))
    with _figure(len(codes), wide=True) as (fig, ax):
        for i, value in enumerate(values):
            cells = frame[frame.value == value].set_index("code_id").loc[codes]
            heights = [0 if p is None or p != p else p for p in cells.pct]
            bars = ax.bar(x + (i - (len(values) - 1) / 2) * width, heights, width,
                          label=_short(value), color=_PALETTE[i % len(_PALETTE)])
            labels = [f"<{figures.min_group}" if s else f"{p:.0f}%"
                      for s, p in zip(cells.suppressed, cells.pct)]
            ax.bar_label(bars, labels=labels, padding=2, fontsize=8,
                         rotation=90 if len(values) > 3 else 0)
        crowded = len(codes) > 4 or max(len(figures.code_names[c]) for c in codes) > 12
        ax.set_xticks(x, [_short(figures.code_names[c], 18) for c in codes],
                      rotation=30 if crowded else 0, ha="right" if crowded else "center")
        ax.set_ylim(0, 125 if len(values) > 3 else 118)
        ax.set_yticks(range(0, 101, 20))
        ax.set_ylabel(f"% of {figures.unit}\nin the group", fontsize=10)
        ax.legend(title=_label(attribute), fontsize=9, title_fontsize=9, frameon=False,
                  loc="upper center", bbox_to_anchor=(0.5, -0.42 if crowded else -0.14),
                  ncol=min(len(values), 3))
        png = _png(fig)
    parts = []
    for value in values:
        cells = frame[frame.value == value]
        shown = "; ".join(f"{r.code} {r.text}" for r in cells.itertuples())
        parts.append(f"{value} (group of {cells.group_text.iloc[0]}): {shown}")
    alt = (f"Grouped bar chart of the share of {figures.unit} mentioning each code, by "
           f"{_label(attribute).lower()}. Cells under {figures.min_group} people are marked "
           f"<{figures.min_group} and not drawn" +
           (f"; groups not drawn: {', '.join(hidden)}. " if hidden else ". ") +
           ". ".join(parts) + ".")
    return Chart(f"breakdown-{attribute}", f"Codes by {_label(attribute).lower()}", alt, png)


def cooccurrence_chart(figures: Figures) -> Chart | None:
    matrix = figures.cooccurrence
    if matrix.empty:
        return None
    names = [_short(figures.code_names[c]) for c in matrix.index]
    n = len(names)
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(min(2.4 + 0.8 * n, 6.4), 1.8 + 0.7 * n))
        ax.imshow(matrix.to_numpy(), cmap="Blues", vmin=0, vmax=max(int(matrix.max().max()), 1))
        for i in range(n):
            for j in range(n):
                value = int(matrix.iat[i, j])
                dark = value > 0.6 * max(int(matrix.max().max()), 1)
                ax.text(j, i, str(value), ha="center", va="center",
                        color="white" if dark else "black")
        ax.set_xticks(range(n), names, rotation=30, ha="right")
        ax.set_yticks(range(n), names)
        ax.spines[:].set_visible(False)
        png = _png(fig)
    pairs = [(int(matrix.iat[i, j]), matrix.index[i], matrix.index[j])
             for i in range(n) for j in range(i + 1, n)]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    top = "; ".join(f"{figures.code_names[a]} with {figures.code_names[b]}: {k} segments"
                    for k, a, b in pairs[:5] if k > 0) or "no two codes share a segment"
    alt = ("Heatmap of how many segments carry each pair of codes; the diagonal gives the "
           f"segments carrying each code. Most frequent pairs: {top}.")
    return Chart("cooccurrence", "Codes applied to the same segment", alt, png)


def topics_chart(figures: Figures) -> Chart:
    frame = figures.topics
    labels = [_short(f"{r.label}{' (emergent)' if r.emergent else ''}", 40)
              for r in frame.itertuples()]
    with _figure(len(frame)) as (fig, ax):
        colours = [_PALETTE[1] if e else _PALETTE[0] for e in frame.emergent]
        bars = ax.barh(labels, frame["size"], color=colours)
        ax.invert_yaxis()
        ax.bar_label(bars, padding=3)
        ax.set_xlim(0, max(int(frame["size"].max()), 1) * 1.2)
        ax.set_xlabel("segments in the topic")
        png = _png(fig)
    top = "; ".join(f"{r.label}: {r.size} segments" + (" (emergent)" if r.emergent else "")
                    for r in frame.head(6).itertuples())
    alt = ("Horizontal bar chart of topic sizes in segments, largest first; emergent themes "
           f"(outside the codebook) in orange. {top}.")
    return Chart("topics", "Topic sizes", alt, png)


class _figure:
    """A styled figure sized for ``rows`` categories, closed on exit."""

    def __init__(self, rows: int, wide: bool = False) -> None:
        self.size = (6.4, 1.5 + 0.5 * max(rows, 1)) if not wide else (6.4, 3.4)

    def __enter__(self):
        self._context = plt.rc_context(_STYLE)
        self._context.__enter__()
        self.fig, ax = plt.subplots(figsize=self.size)
        return self.fig, ax

    def __exit__(self, *exc) -> None:
        plt.close(self.fig)
        self._context.__exit__(*exc)


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    # "tight" crops the canvas to what was drawn, legends below the axes included.
    fig.savefig(buffer, format="png", dpi=_DPI, metadata={"Software": None},
                bbox_inches="tight", pad_inches=0.15)
    plt.close(fig)
    return buffer.getvalue()


def _label(attribute: str) -> str:
    return attribute.replace("_", " ").capitalize()


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
