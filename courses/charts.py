"""Charts drawn on the server as SVG: the same markup on screen and in the PDF.

Plain string building, no JavaScript and nothing external. Every chart is an image with a
<title> and <desc> for assistive technology; the page shows its data table right after it.
"""

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK = "#1b1b1b"
GRID = "#8a9aa8"
BAR = "#004a7f"
LINE = "#004a7f"
FONT = "DejaVu Sans, Arial, sans-serif"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)} %"


def _open(*, chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    items: Sequence[tuple[str, float | None]],
    width: int = 640,
) -> SafeString:
    """Horizontal bars of shares (0..1); None is drawn as an empty bar marked "–"."""
    label_width, value_width, bar_height, gap = 220, 60, 18, 8
    height = max(1, len(items)) * (bar_height + gap) + 30
    plot = width - label_width - value_width
    parts = _open(chart_id=chart_id, width=width, height=height, title=title, desc=desc)
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = label_width + plot * tick
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 22}" '
            f'stroke="{GRID}" stroke-width="1" stroke-dasharray="2 3"/>'
            f'<text x="{x:.1f}" y="{height - 6}" font-size="11" fill="{INK}" '
            f'text-anchor="middle">{int(tick * 100)} %</text>'
        )
    for i, (label, value) in enumerate(items):
        y = i * (bar_height + gap) + 4
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 13}" font-size="12" fill="{INK}" '
            f'text-anchor="end">{escape(short)}</text>'
        )
        length = plot * max(0.0, min(1.0, value or 0.0))
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{BAR}"/>'
        )
        parts.append(
            f'<text x="{label_width + plot + 6}" y="{y + 13}" font-size="12" '
            f'fill="{INK}">{_percent(value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def line_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    points: Sequence[tuple[str, float | None]],
    width: int = 640,
    height: int = 240,
) -> SafeString:
    """A line of shares (0..1) over time; gaps where the value is None."""
    left, right, top, bottom = 48, 16, 12, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = _open(chart_id=chart_id, width=width, height=height, title=title, desc=desc)
    for tick in (0, 0.25, 0.5, 0.75, 1):
        y = top + plot_h * (1 - tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1" stroke-dasharray="2 3"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" fill="{INK}" '
            f'text-anchor="end">{int(tick * 100)} %</text>'
        )
    step = plot_w / max(1, len(points) - 1)
    coords: list[tuple[float, float] | None] = []
    for i, (label, value) in enumerate(points):
        x = left + step * i
        parts.append(
            f'<text x="{x:.1f}" y="{height - bottom + 16}" font-size="10" fill="{INK}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
        coords.append(None if value is None else (x, top + plot_h * (1 - value)))
    segment: list[str] = []
    for point in [*coords, None]:
        if point is not None:
            segment.append(f"{point[0]:.1f},{point[1]:.1f}")
        elif segment:
            parts.append(
                f'<polyline points="{" ".join(segment)}" fill="none" stroke="{LINE}" '
                f'stroke-width="2.5"/>'
            )
            segment = []
    for point in coords:
        if point is not None:
            parts.append(f'<circle cx="{point[0]:.1f}" cy="{point[1]:.1f}" r="3.5" fill="{LINE}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
