"""Request bodies of the REST routes, as the `openai` SDK sends them."""

from __future__ import annotations

from typing import Any, Literal, Self, cast

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "ChatMessage",
    "ChatRequest",
    "EmbeddingInput",
    "EmbeddingsRequest",
    "JsonSchemaFormat",
    "ResponseFormat",
    "StreamOptions",
    "TextPart",
]

EmbeddingInput = str | list[str] | list[int] | list[list[int]]
Role = Literal["system", "developer", "user", "assistant", "tool", "function"]


def _is_token(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class EmbeddingsRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    input: EmbeddingInput
    encoding_format: Literal["float", "base64"] = "float"
    dimensions: int | None = Field(None, ge=1)
    user: str | None = None

    @field_validator("input", mode="plain")
    @classmethod
    def _one_of_four_shapes(cls, value: object) -> EmbeddingInput:
        if isinstance(value, str):
            return value
        if isinstance(value, list) and value:
            items = cast(list[object], value)
            if all(isinstance(v, str) for v in items):
                return cast(list[str], items)
            if all(_is_token(v) for v in items):
                return cast(list[int], items)
            if all(isinstance(v, list) and v and all(map(_is_token, v)) for v in items):
                return cast(list[list[int]], items)
        raise ValueError(
            "must be a string, an array of strings, an array of token ids"
            " or an array of token id arrays, and not empty"
        )

    @property
    def is_token_ids(self) -> bool:
        return not isinstance(self.input, str) and not isinstance(self.input[0], str)


class TextPart(BaseModel):
    type: Literal["text"]
    text: str


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Role
    content: list[TextPart] | None = None

    @field_validator("content", mode="before")
    @classmethod
    def _string_is_one_text_part(cls, value: object) -> object:
        return [{"type": "text", "text": value}] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _content_unless_assistant(self) -> Self:
        if self.content is None and self.role != "assistant":
            raise ValueError(f"a {self.role} message needs content")
        return self

    @property
    def text(self) -> str:
        return "".join(part.text for part in self.content or [])


class JsonSchemaFormat(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str
    json_schema: dict[str, Any] | None = Field(None, alias="schema")
    strict: bool | None = None


class ResponseFormat(BaseModel):
    type: Literal["text", "json_object", "json_schema"]
    json_schema: JsonSchemaFormat | None = None


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")

    include_usage: bool = False


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    messages: list[ChatMessage] = Field(min_length=1)
    response_format: ResponseFormat | None = None
    stream: bool = False
    stream_options: StreamOptions | None = None
    n: int | None = Field(None, ge=1, le=1)

    @property
    def wants_structured_output(self) -> bool:
        return self.response_format is not None and self.response_format.type != "text"

    def last_user_text(self) -> str | None:
        users = [m for m in self.messages if m.role == "user"]
        return users[-1].text if users else None
