"""The ECharts option of each dashboard chart, built on the server so the page embeds it whole.

Built here rather than in the browser so that what a reader sees can be tested: every bar carries its label
(a category axis draws every label: ``interval: 0``; many or long names make the bars horizontal, so the
names read across instead of being skipped), and counts are never drawn as smoothed splines (a spline
between two months suggests values that were never counted). The labels arrive already in the reader's
language (``metrics.snapshot_labels``).
"""

from __future__ import annotations

from typing import Any

# Past this many categories, or names this long, a vertical bar chart cannot label each bar legibly.
HORIZONTAL_FROM_COUNT = 6
HORIZONTAL_FROM_LENGTH = 8
ROW_HEIGHT_PX = 28


def _horizontal(labels: list[str]) -> bool:
    too_long = any(len(str(label)) > HORIZONTAL_FROM_LENGTH for label in labels)
    return len(labels) >= HORIZONTAL_FROM_COUNT or too_long


def chart_options(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The option object for ``echarts.setOption``: ``kind`` is "bar", "pie" or "line"; ``data`` carries
    ``labels``, ``series`` (name -> counts) and ``names`` (name -> series label in the reader's language)."""
    labels = [str(label) for label in data["labels"]]
    names = data.get("names", {})
    series_data = data["series"]
    if kind == "pie":
        return {
            "tooltip": {"trigger": "item"},
            "legend": {"bottom": 0, "type": "scroll"},
            "series": [
                {
                    "name": names.get(key, key),
                    "type": "pie",
                    "radius": ["35%", "65%"],
                    "label": {"show": True, "formatter": "{b}: {c}"},
                    "data": [
                        {"name": label, "value": value} for label, value in zip(labels, values, strict=False)
                    ],
                }
                for key, values in series_data.items()
            ],
        }
    horizontal = kind == "bar" and _horizontal(labels)
    series = []
    for key, values in series_data.items():
        item: dict[str, Any] = {"name": names.get(key, key), "type": "line" if kind == "line" else "bar"}
        item["data"] = list(values)
        if kind == "line":
            item["smooth"] = False
            item["label"] = {"show": True, "position": "top"}
        else:
            item["label"] = {"show": True, "position": "right" if horizontal else "top"}
        series.append(item)
    category: dict[str, Any] = {"type": "category", "data": labels, "axisLabel": {"interval": 0}}
    value: dict[str, Any] = {"type": "value", "minInterval": 1}
    option: dict[str, Any] = {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 16, "right": 40, "top": 24, "bottom": 40, "containLabel": True},
        "series": series,
    }
    if horizontal:
        category["inverse"] = True  # the first label at the top, as the figures table reads
        category["axisLabel"]["width"] = 160
        category["axisLabel"]["overflow"] = "break"
        option.update(xAxis=value, yAxis=category)
    else:
        if len(labels) > 4:
            category["axisLabel"]["rotate"] = 30
        option.update(xAxis=category, yAxis=value)
    return option


def chart_height_class(kind: str, data: dict[str, Any]) -> str:
    """A CSS class giving a horizontal bar chart room for one row per label (no inline style: CSP)."""
    labels = data["labels"]
    if kind != "bar" or not _horizontal([str(label) for label in labels]):
        return ""
    return "chart-tall" if len(labels) > 10 else "chart-rows"
