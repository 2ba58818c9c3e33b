"""Schemathesis fuzzes every operation of the OpenAPI document: no input may produce a 500,
and every answer must match the document."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from tests.conftest import SMALL_CATALOG, STAFF_KEY, make_products_settings
from tests.servers import serving


@pytest.fixture(scope="module")
def products_url(tmp_path_factory: pytest.TempPathFactory, local_embedder) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from orchestrator.emulators.azure_openai.app import create_app as create_emulator
    from orchestrator.emulators.azure_openai.settings import EmulatorSettings
    from products_service.app import create_app

    with serving(create_emulator(EmulatorSettings(), embedder=local_embedder)) as emulator_url:
        data_dir: Path = tmp_path_factory.mktemp("fuzz")
        app = create_app(make_products_settings(data_dir, azure_openai_endpoint=emulator_url))
        with serving(app) as url:
            response = httpx.post(
                f"{url}/api/v1/admin/import",
                json=SMALL_CATALOG,
                headers={"X-Staff-Key": STAFF_KEY},
                timeout=60,
            )
            assert response.status_code == 200, response.text
            yield url


@pytest.fixture(scope="module")
def api_schema(products_url: str) -> schemathesis.BaseSchema:
    document = httpx.get(f"{products_url}/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    schema.config.update(base_url=products_url)
    return schema


def fuzz_operation(operation: schemathesis.APIOperation) -> None:
    # A catalog file's validity (repeated skus, CSV rows) is more than a JSON schema can state.
    excluded = [checks.positive_data_acceptance] if operation.path == "/api/v1/admin/import" else []

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def fuzz(case: schemathesis.Case) -> None:
        case.call_and_validate(headers={"X-Staff-Key": STAFF_KEY}, excluded_checks=excluded, timeout=30)

    fuzz()


def test_no_input_breaks_the_api(api_schema: schemathesis.BaseSchema) -> None:
    """Every operation, with generated valid and invalid inputs (schemathesis's pytest plugin does not
    support this pytest, so the operations are driven directly)."""
    failures: list[str] = []
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            fuzz_operation(operation)
        except Exception as exc:  # noqa: BLE001 - every operation is reported, not only the first
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:2000])
    assert operations >= 15
    assert not failures, "\n\n".join(failures)


def test_openapi_document_lists_every_route(api_schema: schemathesis.BaseSchema, products_url: str) -> None:
    paths = set(httpx.get(f"{products_url}/openapi.json").json()["paths"])
    assert {
        "/api/v1/products",
        "/api/v1/products/{product_id}",
        "/api/v1/search",
        "/api/v1/recommendations",
        "/api/v1/admin/import",
        "/api/Product",
        "/api/Product/{product_id}",
        "/api/Product/search/{term}",
        "/api/aisearch/{term}",
        "/health",
        "/ready",
    } <= paths
    doc = json.dumps(httpx.get(f"{products_url}/openapi.json").json())
    assert "X-Staff-Key" in doc
