"""`python -m products_service [serve]` runs the service; `... seed` loads a catalog file."""

from __future__ import annotations

import argparse
import asyncio
import logging
import secrets
import sys
from pathlib import Path

from products_service.settings import DEFAULT_CATALOG, ProductsSettings
from shared.defaults import configure_logging

_log = logging.getLogger("products_service")


def _staff_key(settings: ProductsSettings) -> ProductsSettings:
    """Without PRODUCTS_ADMIN_KEY, use (or create) one in the data folder, readable by its owner only."""
    if settings.admin_key is not None:
        return settings
    path = settings.data_dir / "staff.key"
    if not path.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(24))
        print(f"Staff key created in {path} (send it as the X-Staff-Key header for writes)")
    return settings.model_copy(
        update={"admin_key": ProductsSettings(admin_key=path.read_text().strip()).admin_key}
    )


def serve(settings: ProductsSettings) -> int:
    from products_service.app import create_app
    from shared.net import serve as serve_app

    configure_logging(settings.log_level)
    settings = _staff_key(settings)
    return serve_app(
        lambda: create_app(settings),
        host=settings.host,
        port=settings.port,
        port_env="PRODUCTS_PORT",
        what="products service",
        log=_log,
    )


async def _seed(settings: ProductsSettings, path: Path, replace: bool) -> int:
    from tqdm import tqdm

    from products_service.errors import ServiceError
    from products_service.importer import parse_catalog
    from products_service.runtime import Runtime

    try:
        products = parse_catalog(await asyncio.to_thread(path.read_bytes), filename=path.name)
    except ServiceError as exc:
        print(f"{path}: {exc.message}", file=sys.stderr)
        for row in exc.extra.get("rows", [])[:50]:
            print(
                f"  row {row['row']} (sku {row['sku']}): {'; '.join(row['errors'])}",
                file=sys.stderr,
            )
        return 2
    runtime = Runtime.build(settings)
    try:
        await runtime.start()
        with tqdm(total=len(products), unit="product", desc=f"seeding {path.name}") as bar:
            report, _ = await runtime.catalog.upsert_many(products, replace=replace, progress=bar.update)
    except ServiceError as exc:
        print(f"seeding failed, nothing was written: {exc.message}", file=sys.stderr)
        return 1
    finally:
        await runtime.close()
    print(
        f"{report.total} products: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.deleted} deleted, {report.embedded} embedded"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m products_service")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the HTTP service (the default)")
    seed = commands.add_parser("seed", help="load a catalog file (JSON or CSV), upserting by sku")
    seed.add_argument("--file", type=Path, default=DEFAULT_CATALOG, help="catalog.json or catalog.csv")
    seed.add_argument("--replace", action="store_true", help="delete products not in the file")
    seed.add_argument("--if-empty", action="store_true", help="only when the catalog is empty")
    args = parser.parse_args(argv)
    settings = ProductsSettings()
    configure_logging(settings.log_level)
    if args.command == "seed":
        if args.if_empty:
            settings = settings.model_copy(update={"seed_if_empty": True})
        return asyncio.run(_seed(settings, args.file, args.replace))
    return serve(settings)


if __name__ == "__main__":
    sys.exit(main())
