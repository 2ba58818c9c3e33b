"""Fixtures of the dashboard tests: a dashboard app served on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from orchestrator.dashboard import DashboardSettings, StaticResources, create_app
from tests.orchestrator.dashboard.dashboard_support import Served
from tests.servers import serving


@pytest.fixture
def served() -> Iterator[Served]:
    app = create_app(resources=StaticResources(), settings=DashboardSettings())
    with serving(app) as url:
        yield Served(app, url)
