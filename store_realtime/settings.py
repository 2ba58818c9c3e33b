"""Settings of store_realtime, read from the environment (STORE_*, PRODUCTS_URL, the shared AI_* names)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, Field, field_validator
from pydantic_settings import NoDecode

from shared.settings import ServiceSettings

__all__ = ["Prices", "StoreSettings"]


class Prices(BaseModel):
    """What one million tokens cost, per kind (the deployment's list prices; configurable)."""

    currency: str = "USD"
    text_input: Decimal = Decimal("0.60")
    cached_text_input: Decimal = Decimal("0.30")
    text_output: Decimal = Decimal("2.40")
    audio_input: Decimal = Decimal("10.00")
    audio_output: Decimal = Decimal("20.00")


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class StoreSettings(ServiceSettings):
    host: str = Field("127.0.0.1", validation_alias=_env("STORE_HOST", "host"))
    port: int = Field(8080, ge=0, le=65535, validation_alias=_env("STORE_PORT", "port"))
    products_url: str = Field(
        "http://127.0.0.1:8081",
        validation_alias=_env("PRODUCTS_URL", "services__products__http__0", "products_url"),
    )
    realtime_protocol: Literal["preview", "ga"] = Field(
        "preview", validation_alias=_env("STORE_REALTIME_PROTOCOL", "realtime_protocol")
    )
    realtime_api_version: str = Field(
        "2025-04-01-preview", validation_alias=_env("STORE_REALTIME_API_VERSION", "realtime_api_version")
    )
    voice: str = Field("alloy", validation_alias=_env("STORE_VOICE", "voice"))
    max_sessions: int = Field(50, ge=1, validation_alias=_env("STORE_MAX_SESSIONS", "max_sessions"))
    max_message_bytes: int = Field(
        256 * 1024, ge=1024, validation_alias=_env("STORE_MAX_MESSAGE_BYTES", "max_message_bytes")
    )
    tool_timeout_s: float = Field(8.0, gt=0, validation_alias=_env("STORE_TOOL_TIMEOUT_S", "tool_timeout_s"))
    reconnect_attempts: int = Field(
        5, ge=0, validation_alias=_env("STORE_RECONNECT_ATTEMPTS", "reconnect_attempts")
    )
    prices: Annotated[Prices, NoDecode] = Field(
        default_factory=Prices, validation_alias=_env("STORE_PRICES", "prices")
    )
    audio_dump_dir: Path | None = Field(None, validation_alias=_env("STORE_AUDIO_DUMP_DIR", "audio_dump_dir"))

    @field_validator("prices", mode="before")
    @classmethod
    def _prices_from_json(cls, value: object) -> object:
        if isinstance(value, str):
            return Prices.model_validate_json(value)
        return value

    @field_validator("products_url", mode="after")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")
