"""The 360 report's radar ("паутинка") chart: each competency's average, self-assessment beside.

matplotlib is imported when the first chart is drawn, not when the bot starts.
"""

from __future__ import annotations

import io
import math
import textwrap
from decimal import Decimal
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from matplotlib.projections.polar import PolarAxes


def radar_png(title: str, labels: list[str], others: list[Decimal | None],
              self_scores: list[Decimal | None], others_label: str, self_label: str,
              scale: tuple[int, int] = (1, 5)) -> bytes:
    """A PNG of the competencies around a circle on the answer scale."""
    import matplotlib

    matplotlib.use("Agg")  # headless: no display on a server
    from matplotlib import pyplot

    count = len(labels)
    angles = [2 * math.pi * i / count for i in range(count)]
    figure = pyplot.figure(figsize=(8, 8), dpi=90)
    try:
        axes = cast("PolarAxes", figure.add_subplot(polar=True))
        axes.set_theta_offset(math.pi / 2)
        axes.set_theta_direction(-1)
        axes.set_ylim(0, scale[1])
        axes.set_yticks(range(scale[0], scale[1] + 1))
        axes.set_xticks(angles)
        axes.set_xticklabels([textwrap.fill(label, 18) for label in labels], fontsize=8)
        for values, label, style in ((others, others_label, "-"), (self_scores, self_label, "--")):
            if all(v is None for v in values):
                continue
            points = [float(v) if v is not None else 0.0 for v in values]
            axes.plot([*angles, angles[0]], [*points, points[0]], style, linewidth=2,
                      label=label)
            if style == "-":
                axes.fill([*angles, angles[0]], [*points, points[0]], alpha=0.15)
        axes.legend(loc="upper right", bbox_to_anchor=(1.15, 1.1), fontsize=9)
        axes.set_title(textwrap.fill(title, 60), fontsize=11, pad=30)
        out = io.BytesIO()
        figure.savefig(out, format="png", bbox_inches="tight")
        return out.getvalue()
    finally:
        pyplot.close(figure)
