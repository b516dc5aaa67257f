"""Tiny server-side SVG charts for the printed reports (wkhtmltopdf renders inline SVG).

No dependency: the functions return the ``<svg>`` element as safe markup, sized in pixels, with the
values written on the bars / points so that the figures are also in the PDF's text.
"""

from markupsafe import Markup, escape

PALETTE = ("#2f6f9f", "#b0b7c3", "#e07b39", "#4e9a52", "#a04ca0", "#c9a227")
FONT = "font-family:Helvetica,Arial,sans-serif"


def _fmt(value, decimals=0):
    if value is None:
        return "–"
    return f"{value:,.{decimals}f}" if decimals else f"{round(value):,d}"


def _truncate(label, size):
    label = str(label or "")
    return label if len(label) <= size else label[: size - 1] + "…"


def bar_chart(items, series_labels=None, width=680, bar_height=16, label_width=190, decimals=0, max_items=12):
    """Horizontal bar chart. ``items``: list of ``(label, value)`` or ``(label, (value1, value2...))`` for
    grouped series (e.g. this period and the previous one); ``series_labels`` names the series in a legend."""
    items = list(items)[:max_items]
    if not items:
        return Markup("")
    rows = [(label, values if isinstance(values, (list, tuple)) else (values,)) for label, values in items]
    n_series = max(len(values) for _label, values in rows)
    top = max((v or 0) for _label, values in rows for v in values) or 1
    value_width = 60
    plot_width = width - label_width - value_width
    group_height = bar_height * n_series + 6
    legend_height = 18 if series_labels else 0
    height = legend_height + group_height * len(rows) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="{FONT};font-size:11px">'
    ]
    if series_labels:
        x = label_width
        for index, name in enumerate(series_labels):
            color = PALETTE[index % len(PALETTE)]
            parts.append(f'<rect x="{x}" y="3" width="10" height="10" fill="{color}"/>')
            parts.append(f'<text x="{x + 14}" y="12">{escape(name)}</text>')
            x += 24 + 7 * len(str(name))
    y = legend_height
    for label, values in rows:
        parts.append(
            f'<text x="{label_width - 6}" y="{y + group_height / 2 + 1}" text-anchor="end">'
            f"{escape(_truncate(label, 30))}</text>"
        )
        for index, value in enumerate(values):
            bar = max(0.0, (value or 0) / top * plot_width)
            color = PALETTE[index % len(PALETTE)]
            bar_y = y + 3 + index * bar_height
            parts.append(
                f'<rect x="{label_width}" y="{bar_y}" width="{bar:.1f}" height="{bar_height - 3}" fill="{color}"/>'
            )
            parts.append(
                f'<text x="{label_width + bar + 4:.1f}" y="{bar_y + bar_height - 5}">{_fmt(value, decimals)}</text>'
            )
        y += group_height
    parts.append(
        f'<line x1="{label_width}" y1="{legend_height}" x2="{label_width}" y2="{height - 2}" '
        'stroke="#666" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(labels, series, series_labels=None, width=680, height=200, decimals=0, max_value=None):
    """Line chart over ``labels`` (x axis, e.g. months); ``series``: list of value lists (None: no point);
    ``max_value``: top of the y axis (e.g. 100 for percentages), default the highest value."""
    labels = list(labels)
    if not labels or not series:
        return Markup("")
    values = [v for line in series for v in line if v is not None]
    top = max_value or max(values or [0]) or 1
    left, right, bottom, legend = 40, 15, 34, 18 if series_labels else 4
    plot_w, plot_h = width - left - right, height - bottom - legend - 6
    step = plot_w / max(len(labels) - 1, 1)

    def point(i, value):
        return left + i * step, legend + 6 + plot_h - (value or 0) / top * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="{FONT};font-size:10px">'
    ]
    for fraction in (0, 0.5, 1):
        y = legend + 6 + plot_h - fraction * plot_h
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
        tick = top * fraction
        tick_label = _fmt(tick, decimals or (1 if tick % 1 else 0))
        parts.append(f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">{tick_label}</text>')
    if series_labels:
        x = left
        for index, name in enumerate(series_labels):
            color = PALETTE[index % len(PALETTE)]
            parts.append(f'<rect x="{x}" y="3" width="10" height="10" fill="{color}"/>')
            parts.append(f'<text x="{x + 14}" y="12">{escape(name)}</text>')
            x += 24 + 6 * len(str(name))
    for index, line in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        points = [point(i, v) for i, v in enumerate(line) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for i, v in enumerate(line):
            if v is None:
                continue
            x, y = point(i, v)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{color}"/>')
            parts.append(f'<text x="{x:.1f}" y="{y - 5:.1f}" text-anchor="middle">{_fmt(v, decimals)}</text>')
    every = max(1, len(labels) // 12)
    for i, label in enumerate(labels):
        if i % every == 0:
            x, _y = point(i, 0)
            text = escape(_truncate(label, 9))
            parts.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle">{text}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
