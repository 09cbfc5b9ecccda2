"""Small hand-written SVG charts for the year-end report: the same markup on the page and in the PDF (no JS)."""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

from config.polish import format_money

PALETTE = ["#1f5f99", "#c2571a", "#2e7d4f", "#7a4ea3", "#a33b52", "#5c6b73", "#b08a12", "#1d7f86"]
FONT = 'font-family="DejaVu Sans, Liberation Sans, sans-serif"'


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines[:3] or [""]


def bar_chart(rows: list[tuple[str, Decimal]], title: str, width: int = 640) -> str:
    """Horizontal bars with the amount written at each bar; labels wrap on the left."""
    label_width, value_width, bar_height, gap = 230, 120, 16, 14
    lines_per_row = [len(_wrap(label, 34)) for label, _ in rows]
    row_heights = [max(bar_height, 11 * n) + gap for n in lines_per_row]
    height = 30 + sum(row_heights) + 6
    top = max((value for _, value in rows), default=Decimal("0")) or Decimal("1")
    usable = width - label_width - value_width - 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="100%" class="report-chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="bold" {FONT} fill="#111">{escape(title)}</text>',
    ]
    y = 30
    for (label, value), row_height in zip(rows, row_heights, strict=True):
        wrapped = _wrap(label, 34)
        for n, text in enumerate(wrapped):
            parts.append(f'<text x="0" y="{y + 11 + n * 11}" font-size="10" {FONT} fill="#222">{escape(text)}</text>')
        bar = float(value / top) * usable if top else 0
        colour = PALETTE[0]
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{max(bar, 1):.1f}" height="{bar_height}" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{label_width + max(bar, 1) + 6:.1f}" y="{y + 12}" font-size="10" {FONT} fill="#111">'
            f"{escape(format_money(value))}</text>"
        )
        y += row_height
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


def column_chart(years: list[int], series: list[tuple[str, list[Decimal]]], title: str, width: int = 640) -> str:
    """Grouped columns per year (year-on-year), a legend, and the amounts above the columns."""
    height, left, bottom, top_pad = 260, 10, 40, 50
    plot_height = height - bottom - top_pad
    peak = max((v for _, values in series for v in values), default=Decimal("0")) or Decimal("1")
    group = (width - left * 2) / max(len(years), 1)
    column = min(48, (group - 20) / max(len(series), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="100%" class="report-chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="bold" {FONT} fill="#111">{escape(title)}</text>',
    ]
    for index, (name, _) in enumerate(series):
        x = left + index * 200
        parts.append(f'<rect x="{x}" y="26" width="12" height="12" fill="{PALETTE[index % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + 18}" y="36" font-size="10" {FONT} fill="#222">{escape(name)}</text>')
    base = height - bottom
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - left}" y2="{base}" stroke="#666" stroke-width="1"/>')
    for y_index, year in enumerate(years):
        x0 = left + y_index * group + (group - column * len(series)) / 2
        for s_index, (_, values) in enumerate(series):
            value = values[y_index]
            h = float(value / peak) * plot_height
            x = x0 + s_index * column
            parts.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{column - 4:.1f}" height="{max(h, 0.5):.1f}" '
                f'fill="{PALETTE[s_index % len(PALETTE)]}"/>'
            )
            amount = format_money(value.quantize(Decimal("1"))).replace(",00", "")
            parts.append(
                f'<text x="{x + (column - 4) / 2:.1f}" y="{base - h - 4:.1f}" font-size="8" text-anchor="middle" '
                f'{FONT} fill="#111">{escape(amount)}</text>'
            )
        parts.append(
            f'<text x="{left + y_index * group + group / 2:.1f}" y="{base + 16}" font-size="11" '
            f'text-anchor="middle" {FONT} fill="#111">{year}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above
