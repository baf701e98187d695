"""Summary statistics and the markdown table."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any


def stats(samples: list[float]) -> dict[str, float]:
    """Median, p95 and max in milliseconds (nearest-rank p95)."""
    ordered = sorted(samples)
    p95 = ordered[max(0, -(-95 * len(ordered) // 100) - 1)]
    return {
        "count": len(ordered),
        "min_ms": ordered[0] * 1000,
        "median_ms": statistics.median(ordered) * 1000,
        "p95_ms": p95 * 1000,
        "max_ms": ordered[-1] * 1000,
    }


def _latency(figure: str) -> Callable[[dict[str, Any]], str]:
    def cell(run: dict[str, Any]) -> str:
        if figure not in run:
            return "–"
        s = run[figure]
        return f"{s['median_ms']:.1f} / {s['p95_ms']:.1f} / {s['max_ms']:.1f}"

    return cell


def _value(path: str, fmt: str) -> Callable[[dict[str, Any]], str]:
    def cell(run: dict[str, Any]) -> str:
        value: Any = run
        for key in path.split("."):
            if not isinstance(value, dict) or key not in value:
                return "–"
            value = value[key]
        return fmt.format(value)

    return cell


def _cold_start(run: dict[str, Any]) -> str:
    s = run.get("cold_start")
    return f"{s['min_ms'] / 1000:.2f} / {s['median_ms'] / 1000:.2f}" if s else "–"


def _workers(run: dict[str, Any]) -> str:
    s = run.get("gunicorn_workers")
    return f"{s['rss_mb']:.0f} / {s['pss_mb']:.0f}" if s else "–"


def _wrk(run: dict[str, Any]) -> str:
    wrk = run.get("wrk_recipe_page")
    if not wrk:
        return "–"
    if "skipped" in wrk:
        return "skipped"
    return f"{wrk['per_second']:.0f} ({wrk['errors'] + wrk['non_2xx']} errors)"


ROWS: list[tuple[str, str, Callable[[dict[str, Any]], str]]] = [
    ("search API (median / p95 / max ms)", "p50 ≤ 5, p95 ≤ 20", _latency("search_api")),
    ("search page HTML (median / p95 / max ms)", "p95 ≤ 25", _latency("search_html")),
    ("recipe JSON (median / p95 / max ms)", "p50 ≤ 3", _latency("recipe_json")),
    ("recipe page HTML (median / p95 / max ms)", "p50 ≤ 5", _latency("recipe_html")),
    ("index, first page (median / p95 / max ms)", "p95 ≤ 15", _latency("index_first")),
    ("index, deep page (median / p95 / max ms)", "p95 ≤ 15", _latency("index_deep")),
    ("create via API, one client (recipes/s)", "≥ 500", _value("create_api.per_second", "{:.0f}")),
    ("recipe page, gunicorn 2 workers + wrk -c16 10 s (req/s)", "≥ 1000, no errors", _wrk),
    ("cold start to first /healthz 200 (best / median, s)", "≤ 1", _cold_start),
    ("waitress RSS idle after the run (MB)", "≤ 60", _value("waitress_idle.rss_mb", "{:.0f}")),
    ("gunicorn worker RSS / PSS (MB)", "≤ 60", _workers),
    ("database size, FTS included (MB)", "report", _value("database.total_mb", "{:.0f}")),
    ("  of which the FTS index (MB)", "", _value("database.fts_mb", "{:.0f}")),
    ("load N via store.bulk_create (s)", "", _value("load.seconds", "{:.1f}")),
    ("load N, peak RSS of the loader (MB)", "", _value("load.peak_rss_mb", "{:.0f}")),
]  # fmt: skip


def markdown(report: dict[str, Any]) -> str:
    runs = report["runs"]
    header = ["figure", "target at 100k", *(f"N = {int(n):,}" for n in runs)]
    lines = [f"| {' | '.join(header)} |", f"|{'---|' * len(header)}"]
    for name, target, cell in ROWS:
        lines.append(f"| {name} | {target} | {' | '.join(cell(r) for r in runs.values())} |")
    for item in report.get("imports", []):
        if "skipped" in item:
            lines.append(f"\nBulk import: skipped ({item['skipped']}).")
        else:
            lines.append(
                f"\nBulk import of {item['recipes']:,} recipes from an export file "
                f"(`recipes import`): {item['seconds']:.1f} s, "
                f"peak RSS {item['peak_rss_mb']:.0f} MB (target for 10,000: ≤ 20 s, memory flat)."
            )
    machine = report["machine"]
    load = machine["load_average"][0]
    lines.append(
        f"\nCommand: `{report['command']}`; Python {machine['python']}, "
        f"SQLite {machine['sqlite']}, {machine['cpus']} CPUs, load average at start {load:.2f}."
    )
    return "\n".join(lines) + "\n"
