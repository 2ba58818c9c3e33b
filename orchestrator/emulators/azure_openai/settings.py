"""Settings of the Azure OpenAI emulator, read from the environment (EMULATOR_*)."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal, Self, get_args

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode

from shared.settings import ServiceSettings, real_secret

__all__ = ["DeploymentKind", "EmulatorSettings", "parse_deployments"]

DeploymentKind = Literal["chat", "embeddings", "realtime"]

_KINDS: tuple[str, ...] = get_args(DeploymentKind)


def _env(name: str, field: str) -> AliasChoices:
    return AliasChoices(name, field)


def parse_deployments(value: str) -> dict[str, DeploymentKind]:
    """`name=kind,name=kind` (EMULATOR_EXTRA_DEPLOYMENTS) into a mapping."""
    deployments: dict[str, DeploymentKind] = {}
    for item in value.split(","):
        if not item.strip():
            continue
        name, sep, kind = (part.strip() for part in item.partition("="))
        if not sep or not name:
            raise ValueError(f"{item.strip()!r} is not name=kind")
        if kind not in _KINDS:
            raise ValueError(f"deployment {name!r} has kind {kind!r}; expected one of {_KINDS}")
        deployments[name] = kind  # type: ignore[assignment]
    return deployments


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class EmulatorSettings(ServiceSettings):
    """Where the emulator listens, which deployments it serves, and its fault switches."""

    host: str = Field("127.0.0.1", validation_alias=_env("EMULATOR_HOST", "host"))
    port: int = Field(8089, ge=0, le=65535, validation_alias=_env("EMULATOR_PORT", "port"))
    api_key: SecretStr | None = Field(None, validation_alias=_env("EMULATOR_API_KEY", "api_key"))
    extra_deployments: Annotated[dict[str, DeploymentKind], NoDecode] = Field(
        default_factory=dict,
        validation_alias=_env("EMULATOR_EXTRA_DEPLOYMENTS", "extra_deployments"),
    )
    embed_batch_size: int = Field(
        8, ge=1, le=2048, validation_alias=_env("EMULATOR_EMBED_BATCH_SIZE", "embed_batch_size")
    )
    embed_threads: int = Field(2, ge=1, validation_alias=_env("EMULATOR_EMBED_THREADS", "embed_threads"))
    fault_rate_limit_every: int = Field(
        0, ge=0, validation_alias=_env("EMULATOR_FAULT_RATE_LIMIT_EVERY", "fault_rate_limit_every")
    )
    fault_retry_after_s: float = Field(
        1.0, ge=0, validation_alias=_env("EMULATOR_FAULT_RETRY_AFTER_S", "fault_retry_after_s")
    )
    fault_latency_ms: int = Field(
        0, ge=0, validation_alias=_env("EMULATOR_FAULT_LATENCY_MS", "fault_latency_ms")
    )
    fault_error_rate_every: int = Field(
        0, ge=0, validation_alias=_env("EMULATOR_FAULT_ERROR_EVERY", "fault_error_rate_every")
    )

    fault_session_expire_s: float = Field(
        0, ge=0, validation_alias=_env("EMULATOR_FAULT_SESSION_EXPIRE_S", "fault_session_expire_s")
    )
    fault_drop_after_events: int = Field(
        0, ge=0, validation_alias=_env("EMULATOR_FAULT_DROP_AFTER_EVENTS", "fault_drop_after_events")
    )

    @field_validator("api_key", mode="after")
    @classmethod
    def _refuse_placeholder_key(cls, value: SecretStr | None) -> SecretStr | None:
        return real_secret(value)

    @field_validator("extra_deployments", mode="before")
    @classmethod
    def _parse_extra_deployments(cls, value: object) -> object:
        return parse_deployments(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _extra_deployments_do_not_redefine(self) -> Self:
        base = self._base_deployments()
        for name, kind in self.extra_deployments.items():
            if base.get(name, kind) != kind:
                raise ValueError(f"extra deployment {name!r} is already the {base[name]} deployment")
        return self

    @model_validator(mode="after")
    def _key_beyond_loopback(self) -> Self:
        if self.api_key is None and not _is_loopback(self.host):
            raise ValueError(
                f"EMULATOR_HOST={self.host} listens beyond this machine: set EMULATOR_API_KEY so only"
                " clients with the key get in (any key is accepted only on loopback)"
            )
        return self

    def realtime_session_limit_s(self, *, ga: bool) -> float:
        """A realtime session's lifetime: Azure's (30 min preview, 60 GA) unless a fault sets it."""
        if self.fault_session_expire_s:
            return self.fault_session_expire_s
        return 3600.0 if ga else 1800.0

    def _base_deployments(self) -> dict[str, DeploymentKind]:
        return {
            self.chat_deployment: "chat",
            self.embeddings_deployment: "embeddings",
            self.realtime_deployment: "realtime",
        }

    @property
    def deployments(self) -> dict[str, DeploymentKind]:
        """Every deployment name the emulator serves, with its kind."""
        return {**self._base_deployments(), **self.extra_deployments}
