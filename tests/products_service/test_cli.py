"""`python -m products_service seed`: the staff's command-line import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SMALL_CATALOG
from tests.servers import serving

ROOT = Path(__file__).resolve().parents[2]


def run_seed(data_dir: Path, endpoint: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRODUCTS_DATA_DIR": str(data_dir),
        "AZURE_OPENAI_ENDPOINT": endpoint,
        "AZURE_OPENAI_API_KEY": "cli-key",
        "PRODUCTS_ADMIN_KEY": "cli-staff-key-0123456789",
    }
    return subprocess.run(
        [sys.executable, "-m", "products_service", "seed", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def emulator_url(local_embedder) -> str:  # type: ignore[no-untyped-def]
    from orchestrator.emulators.azure_openai.app import create_app
    from orchestrator.emulators.azure_openai.settings import EmulatorSettings

    with serving(create_app(EmulatorSettings(), embedder=local_embedder)) as url:
        yield url


def test_seed_then_reseed_then_refuse_a_broken_file(tmp_path: Path, emulator_url: str) -> None:
    catalog = tmp_path / "small.json"
    catalog.write_text(json.dumps(SMALL_CATALOG))
    first = run_seed(tmp_path, emulator_url, "--file", str(catalog))
    assert first.returncode == 0, first.stderr
    assert "8 products: 8 created, 0 updated, 0 unchanged, 0 deleted, 8 embedded" in first.stdout
    again = run_seed(tmp_path, emulator_url, "--file", str(catalog))
    assert "0 created, 0 updated, 8 unchanged, 0 deleted, 0 embedded" in again.stdout

    broken = tmp_path / "broken.csv"
    broken.write_text(
        "sku,name,description,category,brand,price\nA-1,Ok,Fine.,Tents,B,10\nA-2,,x,Tents,B,abc\n"
    )
    refused = run_seed(tmp_path, emulator_url, "--file", str(broken), "--replace")
    assert refused.returncode == 2
    assert "row 2 (sku A-2)" in refused.stderr and "price" in refused.stderr and "name" in refused.stderr
    final = run_seed(tmp_path, emulator_url, "--file", str(catalog))
    assert "8 unchanged" in final.stdout, "the refused file wrote nothing"
    assert (tmp_path / "index" / "meta.json").exists()
