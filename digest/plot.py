"""Charts of ``digest.trends`` results, drawn with matplotlib (the optional ``plot`` extra).

matplotlib is the maintained plotting library that writes both PNG and SVG without a browser or
a server; it is imported only here, only when ``--plot`` is given. Chinese labels need a font
that has the glyphs: the installed fonts are searched for the usual CJK families. With
``svg.fonttype = 'none'`` the SVG keeps its labels as text (searchable, and the viewer's own
CJK font draws them), while PNG rasterises with the font found. Without any CJK font the chart
is still written, with a warning, since numbers and lines are still right.
"""

from __future__ import annotations

import os
from pathlib import Path

from digest.errors import InputError, MissingExtraError
from digest.trends import NO_REGION, Trends

# Families that carry simplified Chinese, in order of preference: what Linux distributions,
# Windows and macOS install.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "Source Han Sans SC",
                "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei",
                "PingFang SC", "Hiragino Sans GB", "AR PL UMing CN", "Droid Sans Fallback")
FORMATS = (".png", ".svg")
PNG_DPI = 150  # sharp on a slide, small enough to mail
PANEL_SIZE = (6.4, 2.6)  # inches per small multiple: one region's series, readable side by side


def cjk_font() -> str | None:
    """The first installed CJK family of ``CJK_FAMILIES``, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FAMILIES if name in installed), None)


def _matplotlib():
    try:
        os.environ.setdefault("MPLBACKEND", "Agg")  # no display: draw to files only
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingExtraError("Drawing charts needs matplotlib: pip install 'digest[plot]'") from None
    return plt


def plot_trends(trends: Trends, path: str | os.PathLike, *, share: bool = False) -> list[str]:
    """Draw one line per term (one panel per region when split) into ``path`` (.png or .svg).

    Gaps (periods without issues) break the line instead of dropping it to zero. Returns
    warnings (a missing CJK font).
    """
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise InputError(f"{path}: charts are written as .png or .svg; name the file so.")
    plt = _matplotlib()
    warnings, font = [], cjk_font()
    rc = {"svg.fonttype": "none", "axes.unicode_minus": False}
    if font:
        rc["font.sans-serif"] = [font, "DejaVu Sans"]
        rc["font.family"] = "sans-serif"
    else:
        warnings.append("No CJK font found (install Noto Sans CJK or WenQuanYi, e.g. "
                        "apt install fonts-noto-cjk): Chinese labels may show as boxes.")
    with plt.rc_context(rc):
        fig = _draw(plt, trends, share)
        fig.savefig(path, dpi=PNG_DPI, format=path.suffix.lower()[1:], metadata=_metadata(path))
        plt.close(fig)
    return warnings


def _metadata(path: Path) -> dict:
    # No creation date: the same data gives the same file.
    return {"Date": None} if path.suffix.lower() == ".svg" else {}


def _draw(plt, trends: Trends, share: bool):
    regions = trends.regions
    fig, axes = plt.subplots(len(regions), 1, squeeze=False, sharex=True,
                             figsize=(PANEL_SIZE[0], PANEL_SIZE[1] * len(regions)))
    labels = [p.label for p in trends.periods]
    for ax, region in zip(axes[:, 0], regions):
        for term in trends.terms:
            values = [_value(trends.count(term, p, region), share) for p in labels]
            ax.plot(range(len(labels)), values, marker="o", label=term)
        for n, p in enumerate(trends.periods):
            if p.gap:  # no issue that period: shade it, so a break in a line reads as "unknown"
                ax.axvspan(n - 0.5, n + 0.5, color="0.9", lw=0)
        ax.set_ylim(bottom=0)
        if not share:
            ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_title(region if region != NO_REGION else "、".join(trends.terms))
        ax.set_ylabel("文章占比" if share else "文章数")
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize="small")
    ax = axes[-1, 0]
    step = max(1, len(labels) // 12)  # at most about twelve tick labels
    ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right")
    fig.tight_layout()
    return fig


def _value(count, share: bool) -> float:
    if count.count is None:
        return float("nan")  # a gap: matplotlib breaks the line there
    return count.share if share else count.count
