"""Settings of the products service (environment names in the README)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator

from shared.settings import ServiceSettings

__all__ = ["DEFAULT_CATALOG", "ProductsSettings"]

DEFAULT_CATALOG = Path(__file__).parent / "data" / "catalog.json"


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class ProductsSettings(ServiceSettings):
    host: str = Field("127.0.0.1", validation_alias=_env("PRODUCTS_HOST", "host"))
    port: int = Field(8081, ge=0, le=65535, validation_alias=_env("PRODUCTS_PORT", "port"))
    data_dir: Path = Field(Path("data"), validation_alias=_env("PRODUCTS_DATA_DIR", "data_dir"))
    database_url: str | None = Field(None, validation_alias=_env("DATABASE_URL", "database_url"))
    admin_key: SecretStr | None = Field(None, validation_alias=_env("PRODUCTS_ADMIN_KEY", "admin_key"))
    seed_if_empty: bool = Field(False, validation_alias=_env("PRODUCTS_SEED_IF_EMPTY", "seed_if_empty"))
    embed_batch_size: int = Field(
        64, ge=1, le=2048, validation_alias=_env("EMBED_BATCH_SIZE", "embed_batch_size")
    )
    embed_concurrency: int = Field(
        4, ge=1, le=64, validation_alias=_env("EMBED_CONCURRENCY", "embed_concurrency")
    )
    embed_max_retries: int = Field(
        6, ge=0, le=20, validation_alias=_env("EMBED_MAX_RETRIES", "embed_max_retries")
    )
    embed_max_backoff_s: float = Field(
        30.0, gt=0, validation_alias=_env("EMBED_MAX_BACKOFF_S", "embed_max_backoff_s")
    )
    query_batch_size: int = Field(
        32, ge=1, le=2048, validation_alias=_env("EMBED_QUERY_BATCH", "query_batch_size")
    )
    query_in_flight: int = Field(
        1, ge=1, le=64, validation_alias=_env("EMBED_QUERY_IN_FLIGHT", "query_in_flight")
    )
    hnsw_threshold: int = Field(50_000, ge=1, validation_alias=_env("INDEX_HNSW_THRESHOLD", "hnsw_threshold"))
    hnsw_m: int = Field(32, ge=4, le=128, validation_alias=_env("INDEX_HNSW_M", "hnsw_m"))
    hnsw_ef_construction: int = Field(
        80, ge=8, validation_alias=_env("INDEX_HNSW_EF_CONSTRUCTION", "hnsw_ef_construction")
    )
    hnsw_ef_search: int = Field(128, ge=8, validation_alias=_env("INDEX_HNSW_EF_SEARCH", "hnsw_ef_search"))
    index_save_delay_s: float = Field(
        5.0, ge=0, validation_alias=_env("INDEX_SAVE_DELAY_S", "index_save_delay_s")
    )
    recommend_timeout_s: float = Field(
        10.0, gt=0, validation_alias=_env("RECOMMEND_TIMEOUT_S", "recommend_timeout_s")
    )
    max_import_bytes: int = Field(
        20 * 1024 * 1024, ge=1024, validation_alias=_env("MAX_IMPORT_BYTES", "max_import_bytes")
    )

    @field_validator("admin_key", mode="after")
    @classmethod
    def _strong_admin_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters")
        return value

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'products.db').resolve()}"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"
