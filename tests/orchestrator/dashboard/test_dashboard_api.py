"""The resources API over a ResourceView, the page and its assets, and error answers."""

from __future__ import annotations

import time
from typing import Any

from fastapi.testclient import TestClient

from orchestrator.dashboard import ResourceView, StaticResources, create_app


def resources() -> StaticResources:
    now = time.time()
    return StaticResources(
        [
            {
                "name": "products",
                "state": "ready",
                "pid": 4242,
                "started_at": now - 90,
                "restarts": 0,
                "health": "healthy",
                "url": "http://127.0.0.1:8081",
                "detail": "",
            },
            {
                "name": "store",
                "state": "restarting",
                "pid": None,
                "started_at": None,
                "restarts": 2,
                "health": "unhealthy",
                "url": "http://127.0.0.1:8080",
                "detail": "exited with code 1",
            },
        ],
        {"products": [{"ts": now - i, "stream": "stdout", "line": f"line {i}"} for i in range(300, 0, -1)]},
    )


def test_resources_and_their_logs() -> None:
    view = resources()
    assert isinstance(view, ResourceView)
    with TestClient(create_app(resources=view)) as client:
        listed: list[dict[str, Any]] = client.get("/api/resources").json()["resources"]
        assert [r["name"] for r in listed] == ["products", "store"]
        assert 89 <= listed[0]["uptime_s"] <= 120 and listed[1]["uptime_s"] is None
        assert listed[1] == {**listed[1], "state": "restarting", "restarts": 2, "health": "unhealthy"}

        logs = client.get("/api/resources/products/logs", params={"limit": 3}).json()
        assert [line["line"] for line in logs["logs"]] == ["line 3", "line 2", "line 1"]
        assert len(client.get("/api/resources/products/logs").json()["logs"]) == 200
        assert client.get("/api/resources/store/logs").json()["logs"] == []
        missing = client.get("/api/resources/nobody/logs")
        assert missing.status_code == 404 and "nobody" in missing.json()["error"]["message"]
        assert client.get("/api/resources/products/logs", params={"limit": 0}).status_code == 400


def test_without_a_view_there_are_no_resources_and_the_page_is_served() -> None:
    with TestClient(create_app()) as client:
        assert client.get("/api/resources").json() == {"resources": []}
        assert client.get("/health").json() == {"status": "ok", "service": "dashboard"}
        page = client.get("/")
        assert page.status_code == 200 and 'src="static/app.js"' in page.text
        for asset in (
            "app.js",
            "charts.js",
            "dom.js",
            "metrics.js",
            "resources.js",
            "traces.js",
            "styles.css",
        ):
            assert client.get(f"/static/{asset}").status_code == 200, asset
        assert client.get("/api/traces/0123").status_code == 404
        assert client.get("/api/nothing").json()["error"]["status"] == 404
