"""Fixtures shared by every test package: the local emulator as the Azure OpenAI endpoint."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from fastapi import FastAPI
from openai import AsyncAzureOpenAI

from products_service.settings import ProductsSettings

STAFF_KEY = "test-staff-key-0123456789"
API_VERSION = "2024-10-21"


@pytest.fixture(scope="session")
def local_embedder() -> Any:
    from orchestrator.emulators.azure_openai.embedder import get_embedder

    return get_embedder()


@pytest.fixture
def emulator_settings() -> Any:
    from orchestrator.emulators.azure_openai.settings import EmulatorSettings

    return EmulatorSettings()


@pytest.fixture
async def emulator_app(emulator_settings: Any, local_embedder: Any) -> AsyncIterator[FastAPI]:
    from orchestrator.emulators.azure_openai.app import create_app as create_emulator

    app = create_emulator(emulator_settings, embedder=local_embedder)
    async with app.router.lifespan_context(app):
        yield app


def openai_client_for(app: FastAPI, **kwargs: Any) -> AsyncAzureOpenAI:
    """An unmodified AsyncAzureOpenAI whose HTTP goes straight into an ASGI app."""
    http = httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://emulator")
    return AsyncAzureOpenAI(
        azure_endpoint="http://emulator",
        api_key="test-key",
        api_version=API_VERSION,
        http_client=http,
        max_retries=0,
        **kwargs,
    )


@pytest.fixture
def openai_client(emulator_app: FastAPI) -> AsyncAzureOpenAI:
    return openai_client_for(emulator_app)


@pytest.fixture
def products_settings(tmp_path: Path) -> ProductsSettings:
    return make_products_settings(tmp_path)


def make_products_settings(data_dir: Path, **overrides: Any) -> ProductsSettings:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "admin_key": STAFF_KEY,
        "azure_openai_endpoint": "http://emulator",
        "azure_openai_api_key": "test-key",
        "index_save_delay_s": 0.05,
        **overrides,
    }
    return ProductsSettings(**values)


ProductsClientFactory = Callable[..., Any]


@pytest.fixture
async def products_client(
    products_settings: ProductsSettings, openai_client: AsyncAzureOpenAI
) -> AsyncIterator[httpx.AsyncClient]:
    async with running_products(products_settings, openai_client) as client:
        yield client


class running_products:
    """The products app with its lifespan running, and an httpx client into it."""

    def __init__(self, settings: ProductsSettings, client: AsyncAzureOpenAI) -> None:
        from products_service.app import create_app as create_products

        self.app = create_products(settings, openai_client=client)
        self._lifespan = self.app.router.lifespan_context(self.app)

    async def __aenter__(self) -> httpx.AsyncClient:
        await self._lifespan.__aenter__()
        self._http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),
            base_url="http://products",
            headers={"X-Staff-Key": STAFF_KEY},
        )
        return self._http

    async def __aexit__(self, *exc: object) -> None:
        await self._http.aclose()
        await self._lifespan.__aexit__(None, None, None)


def product(
    sku: str, name: str, category: str, description: str, price: str = "49.99", **extra: Any
) -> dict[str, Any]:
    return {
        "sku": sku,
        "name": name,
        "description": description,
        "category": category,
        "brand": extra.pop("brand", "Northwind Gear"),
        "price": price,
        "stock": extra.pop("stock", 10),
        "tags": extra.pop("tags", []),
        "attributes": extra.pop("attributes", {}),
        **extra,
    }


SMALL_CATALOG = [
    product(
        "RAIN-0001",
        "Stormline Rain Shell",
        "Rain Jackets",
        "A waterproof-breathable shell with sealed seams that keeps you dry through downpours on long treks.",
        "189.00",
        attributes={"waterproof_rating_mm": 20000},
        tags=["waterproof", "hiking"],
    ),
    product(
        "RAIN-0002",
        "Drizzle Packable Jacket",
        "Rain Jackets",
        "A featherweight jacket that packs into its own pocket and sheds light showers.",
        "89.00",
        tags=["packable"],
        stock=0,
    ),
    product(
        "BAG-0001",
        "Polar Night -12 Sleeping Bag",
        "Sleeping Bags",
        "A mummy bag with 800-fill down, rated to minus twelve for cold winter nights under the stars.",
        "349.00",
        attributes={"temp_rating_c": -12},
        tags=["winter", "down"],
    ),
    product(
        "BAG-0002",
        "Summer Breeze Sleeping Bag",
        "Sleeping Bags",
        "A light rectangular bag for hot summer nights at the campground.",
        "59.00",
        tags=["summer"],
    ),
    product(
        "TENT-0001",
        "Ridgeline 2P Tent",
        "Tents",
        "A freestanding two-person backpacking tent with two doors and an aluminium frame.",
        "299.00",
        attributes={"persons": 2},
        tags=["backpacking"],
    ),
    product(
        "STOVE-0001",
        "Blaze Canister Stove",
        "Camp Kitchen",
        "A compact gas stove that boils a litre of water in three minutes.",
        "49.99",
        tags=["cooking"],
    ),
    product(
        "LAMP-0001",
        "Beacon 400 Headlamp",
        "Headlamps & Lighting",
        "A rechargeable headlamp with 400 lumens and a red night-vision mode.",
        "39.99",
        attributes={"lumens": 400},
        tags=["lighting"],
    ),
    product(
        "BOOT-0001",
        "Trailblazer Mid Hiking Boot",
        "Hiking Boots",
        "A mid-cut leather boot with a waterproof membrane and grippy lugged outsole for rocky trails.",
        "159.00",
        attributes={"waterproof_rating_mm": 10000},
        tags=["hiking", "waterproof"],
    ),
]
