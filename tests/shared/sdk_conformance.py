"""Checking an event against the openai SDK's own event unions, strictly: the right model for its
`type`, every key declared by that model, and a lossless dump back."""

from __future__ import annotations

import typing
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter

__all__ = ["conforms", "extras", "union_models"]


@cache
def union_models(union: Any) -> dict[str, type[BaseModel]]:
    """The SDK union's member models by their `type` literal."""
    members = typing.get_args(typing.get_args(union)[0])
    return {typing.get_args(m.model_fields["type"].annotation)[0]: m for m in members}


@cache
def adapter(union: Any) -> TypeAdapter[Any]:
    return TypeAdapter(union)


def extras(value: Any, path: str = "") -> set[str]:
    """Every key (dotted path) the SDK model does not declare: what a raw passthrough would leave."""
    if isinstance(value, BaseModel):
        found = {f"{path}{key}" for key in value.model_extra or {}}
        for name in type(value).model_fields:
            found |= extras(getattr(value, name), f"{path}{name}.")
        return found
    if isinstance(value, list):
        return set().union(*(extras(v, f"{path}[].") for v in value))
    return set()


def conforms(event: Mapping[str, Any], union: Any, allowed_extras: Iterable[str] = ()) -> BaseModel:
    """Validate with the SDK union; the event must be that type's model, declare every key and dump back."""
    union_models(union)[event["type"]].model_validate(event)
    model = adapter(union).validate_python(event)
    assert type(model) is union_models(union)[event["type"]]
    assert extras(model) <= set(allowed_extras), event
    assert model.model_dump(mode="json", exclude_unset=True) == event
    return model
