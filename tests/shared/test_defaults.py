import httpx
from fastapi import FastAPI

from shared.defaults import add_readiness_check, apply_service_defaults
from shared.settings import ServiceSettings


async def test_health_and_ready_report_dependencies() -> None:
    app = FastAPI()
    apply_service_defaults(app, ServiceSettings(), service_name="svc")
    state = {"db_up": True}

    async def database() -> None:
        if not state["db_up"]:
            raise ConnectionError("refused")

    add_readiness_check(app, "database", database)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        assert (await client.get("/health")).json() == {"status": "ok", "service": "svc"}
        starting = await client.get("/ready")
        assert starting.status_code == 503 and starting.json()["checks"]["startup"] == "starting"
        app.state.started = True
        ready = await client.get("/ready")
        assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok"}
        state["db_up"] = False
        down = await client.get("/ready")
        assert down.status_code == 503
        assert down.json()["checks"]["database"] == "ConnectionError: refused"
