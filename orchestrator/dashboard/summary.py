"""The metrics views of `/api/metrics/summary`, computed from what the services export.

Read here (names as the services create them):
- `http.server.duration` (ms, old HTTP semconv) or `http.server.request.duration` (s, stable semconv;
  preferred per service when both are exported): route `http.route`/`http.target`, method
  `http.request.method`/`http.method`, status `http.response.status_code`/`http.status_code`;
- `store.sessions.active` (up-down counter), `store.sessions.started` (counter);
- `store.turn.first_audio`, `store.turn.first_audio_played` (histograms, ms);
- `store.tool.duration` (histogram, ms; attributes `tool`, `ok`);
- `store.tokens` (counter; `direction`), `store.cost` (counter; `currency`);
- `store.session.tokens`, `store.session.cost` (histograms at session end: per-session figures when
  `store.sessions.started` is not exported);
- `products.embeddings.computed` (counter), `products.index.size` (gauge; `index.kind`).

Request rate is over the last minute; counts, error shares and percentiles over `window_s`;
totals since the dashboard first saw each series; charts over `chart_s` at the store's resolution.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from orchestrator.dashboard import metricviews as mv
from orchestrator.dashboard.metricstore import MetricStore, Series

__all__ = ["METRIC_NAMES", "summary"]

HTTP_OLD, HTTP_NEW = "http.server.duration", "http.server.request.duration"
SESSIONS_ACTIVE, SESSIONS_STARTED = "store.sessions.active", "store.sessions.started"
FIRST_AUDIO, FIRST_AUDIO_PLAYED = "store.turn.first_audio", "store.turn.first_audio_played"
TOOL_DURATION, TOKENS, COST = "store.tool.duration", "store.tokens", "store.cost"
SESSION_TOKENS, SESSION_COST = "store.session.tokens", "store.session.cost"
EMBEDDINGS, INDEX_SIZE = "products.embeddings.computed", "products.index.size"
METRIC_NAMES = (
    HTTP_OLD, HTTP_NEW, SESSIONS_ACTIVE, SESSIONS_STARTED, FIRST_AUDIO, FIRST_AUDIO_PLAYED, TOOL_DURATION,
    TOKENS, COST, SESSION_TOKENS, SESSION_COST, EMBEDDINGS, INDEX_SIZE,
)  # fmt: skip


def _attr(series: Series, *names: str) -> Any:
    values = dict(series.attributes)
    return next((values[n] for n in names if values.get(n) not in (None, "")), None)


def _status(series: Series) -> int:
    try:
        return int(_attr(series, "http.response.status_code", "http.status_code") or 0)
    except (TypeError, ValueError):
        return 0


def _http(store: MetricStore, window: mv.Range, minute: mv.Range, chart: mv.Range) -> dict[str, Any]:
    by_service: dict[str, list[Series]] = {}
    for service in store.services():
        by_service[service] = store.series(HTTP_NEW, service) or store.series(HTTP_OLD, service)
    routes: dict[tuple[str, str, str], list[Series]] = defaultdict(list)
    for service, series in by_service.items():
        for s in series:
            route = str(_attr(s, "http.route", "http.target") or "(other)")
            method = str(_attr(s, "http.request.method", "http.method") or "")
            routes[(service, method, route)].append(s)
    rows: list[dict[str, Any]] = []
    for (service, method, route), series in sorted(routes.items(), key=lambda kv: kv[0]):
        hist = mv.merged(series, window, in_ms=True)
        errors = mv.merged([s for s in series if _status(s) >= 500], window) if hist else None
        recent = sum(s.observed(minute.first, minute.last) for s in series)
        requests = hist.count if hist else 0
        rows.append(
            {
                "service": service,
                "method": method,
                "route": route,
                "requests_per_s": recent / minute.seconds,
                "requests": requests,
                "errors": errors.count if errors else 0,
                "error_rate": (errors.count if errors else 0) / requests if requests else None,
                **mv.latency(hist),
            }
        )
    rows.sort(key=lambda r: (-r["requests"], r["service"], r["route"]))
    live = sorted(((k, v) for k, v in by_service.items() if v), key=lambda kv: kv[0])
    return {
        "routes": rows,
        "rate_series": [{"name": n, "points": mv.hist_rate_points(series, chart)} for n, series in live],
        "p95_series": [{"name": n, "points": mv.hist_points(series, chart, 0.95)} for n, series in live],
    }


def _turn_latency(store: MetricStore, name: str, window: mv.Range, chart: mv.Range) -> dict[str, Any]:
    series = store.series(name)
    return {
        **mv.latency(mv.merged(series, window, in_ms=True)),
        "total": sum(s.total_hist.count for s in series if s.total_hist),
        "series": [
            {"name": "p50", "points": mv.hist_points(series, chart, 0.5)},
            {"name": "p95", "points": mv.hist_points(series, chart, 0.95)},
        ],
    }


def _tools(store: MetricStore, window: mv.Range) -> list[dict[str, Any]]:
    by_tool: dict[str, list[Series]] = defaultdict(list)
    for s in store.series(TOOL_DURATION):
        by_tool[str(_attr(s, "tool") or "(unknown)")].append(s)
    rows: list[dict[str, Any]] = []
    for tool, series in sorted(by_tool.items()):
        failed = mv.merged([s for s in series if _attr(s, "ok") in (False, "false", "False")], window)
        rows.append(
            {
                "tool": tool,
                **mv.latency(mv.merged(series, window, in_ms=True)),
                "failures": failed.count if failed else 0,
                "total": sum(s.total_hist.count for s in series if s.total_hist),
            }
        )
    return rows


def _per_session(store: MetricStore, amount: float, started: float, fallback: str) -> dict[str, Any]:
    if started > 0:
        return {"per_session": amount / started, "per_session_source": SESSIONS_STARTED}
    ended = [s.total_hist for s in store.series(fallback) if s.total_hist and s.total_hist.count]
    if ended:
        return {
            "per_session": sum(h.sum for h in ended) / sum(h.count for h in ended),
            "per_session_source": fallback,
        }
    return {"per_session": None, "per_session_source": None}


def _usage(store: MetricStore, chart: mv.Range) -> dict[str, Any]:
    started = mv.total(store.series(SESSIONS_STARTED))
    tokens, cost = store.series(TOKENS), store.series(COST)
    by_direction: dict[str, float] = defaultdict(float)
    for s in tokens:
        by_direction[str(_attr(s, "direction") or "total")] += s.total
    currencies = sorted({str(_attr(s, "currency")) for s in cost if _attr(s, "currency")})
    return {
        "tokens": {
            "total": mv.total(tokens),
            "by_direction": dict(by_direction),
            **_per_session(store, mv.total(tokens), started, SESSION_TOKENS),
            "series": [{"name": "tokens/s", "points": mv.rate_points(tokens, chart)}],
        },
        "cost": {
            "total": mv.total(cost),
            "currency": currencies[0] if len(currencies) == 1 else ",".join(currencies) or None,
            **_per_session(store, mv.total(cost), started, SESSION_COST),
            "series": [{"name": "cost/s", "points": mv.rate_points(cost, chart)}],
        },
    }


def summary(store: MetricStore, now_s: float, *, window_s: int = 300, chart_s: int = 900) -> dict[str, Any]:
    res = store.resolution_s
    last = store.slot_of(now_s)

    def back(seconds: int) -> mv.Range:
        return mv.Range(last - max(seconds // res, 1) + 1, last, res)

    window, minute, chart = back(window_s), back(60), back(chart_s)
    active, index = store.series(SESSIONS_ACTIVE), store.series(INDEX_SIZE)
    embeddings = store.series(EMBEDDINGS)
    by_kind: dict[str, float] = defaultdict(float)
    for s in index:
        by_kind[str(_attr(s, "index.kind") or "index")] = s.level
    return {
        "generated_at": now_s,
        "resolution_s": res,
        "window_s": window.seconds,
        "chart_s": chart.seconds,
        "http": _http(store, window, minute, chart),
        "sessions": {
            "active": mv.level_now(active, res),
            "started": mv.total(store.series(SESSIONS_STARTED)),
            "series": [{"name": "active", "points": mv.level_points(active, chart)}],
        },
        "first_audio": _turn_latency(store, FIRST_AUDIO, window, chart),
        "first_audio_played": _turn_latency(store, FIRST_AUDIO_PLAYED, window, chart),
        "tools": _tools(store, window),
        **_usage(store, chart),
        "embeddings": {
            "computed": mv.total(embeddings),
            "series": [{"name": "embeddings/s", "points": mv.rate_points(embeddings, chart)}],
        },
        "index": {
            "size": mv.level_now(index, res),
            "by_kind": dict(by_kind),
            "series": [{"name": "vectors", "points": mv.level_points(index, chart)}],
        },
    }
