"""Embeddings through the real `openai` SDK against the emulator on loopback."""

from __future__ import annotations

import base64

import httpx
import numpy as np
import openai
import pytest
from openai import AsyncAzureOpenAI

EMBEDDINGS = "text-embedding-ada-002"
CHAT = "gpt-4o-mini"


def _vector(values: object) -> np.ndarray:
    return np.asarray(values, dtype=np.float32)


async def test_one_text_is_a_unit_384_vector_with_usage(client: AsyncAzureOpenAI) -> None:
    result = await client.embeddings.create(model=EMBEDDINGS, input="waterproof rain jacket")

    assert result.object == "list"
    assert result.model == EMBEDDINGS
    assert len(result.data) == 1
    vector = _vector(result.data[0].embedding)
    assert vector.shape == (384,)
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-4)
    assert result.usage.prompt_tokens > 0
    assert result.usage.total_tokens == result.usage.prompt_tokens


async def test_hundred_texts_come_back_in_order_and_deterministic(client: AsyncAzureOpenAI) -> None:
    texts = [f"{'ultralight ' * (i % 5)}trail item number {i} for a long hike" for i in range(100)]

    first = await client.embeddings.create(model=EMBEDDINGS, input=texts)
    again = await client.embeddings.create(model=EMBEDDINGS, input=texts)
    alone = await client.embeddings.create(model=EMBEDDINGS, input=texts[37])

    assert [d.index for d in first.data] == list(range(100))
    matrix = np.stack([_vector(d.embedding) for d in first.data])
    assert matrix.shape == (100, 384)
    np.testing.assert_allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-4)
    np.testing.assert_array_equal(matrix, np.stack([_vector(d.embedding) for d in again.data]))
    np.testing.assert_allclose(matrix[37], _vector(alone.data[0].embedding), atol=1e-5)
    assert first.usage.prompt_tokens > 100


async def test_similar_meanings_are_closer(client: AsyncAzureOpenAI) -> None:
    texts = ["waterproof rain jacket", "a shell that keeps you dry in storms", "camp stove"]
    result = await client.embeddings.create(model=EMBEDDINGS, input=texts)
    jacket, shell, stove = (_vector(d.embedding) for d in result.data)

    assert jacket @ shell > jacket @ stove + 0.2


async def test_float_and_base64_formats_carry_the_same_vector(client: AsyncAzureOpenAI) -> None:
    as_float = await client.embeddings.create(model=EMBEDDINGS, input="headlamp", encoding_format="float")
    as_base64 = await client.embeddings.create(model=EMBEDDINGS, input="headlamp", encoding_format="base64")

    assert isinstance(as_float.data[0].embedding, list)
    raw = as_base64.data[0].embedding
    assert isinstance(raw, str)
    decoded = np.frombuffer(base64.b64decode(raw), dtype="<f4")
    np.testing.assert_allclose(decoded, _vector(as_float.data[0].embedding), rtol=0, atol=1e-7)


async def test_dimensions_must_be_the_models_384(client: AsyncAzureOpenAI) -> None:
    ok = await client.embeddings.create(model=EMBEDDINGS, input="tent", dimensions=384)
    assert len(ok.data[0].embedding) == 384

    with pytest.raises(openai.BadRequestError) as caught:
        await client.embeddings.create(model=EMBEDDINGS, input="tent", dimensions=256)
    assert caught.value.param == "dimensions"
    assert "384" in caught.value.message


@pytest.mark.parametrize("payload", ["", ["tent", ""]])
async def test_empty_strings_are_refused(client: AsyncAzureOpenAI, payload: str | list[str]) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        await client.embeddings.create(model=EMBEDDINGS, input=payload)
    assert caught.value.param == "input"
    assert "empty" in caught.value.message


@pytest.mark.parametrize("tokens", [[101, 2054], [[101, 2054], [7592]]])
async def test_token_id_input_is_refused_plainly(
    client: AsyncAzureOpenAI, tokens: list[int] | list[list[int]]
) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        await client.embeddings.create(model=EMBEDDINGS, input=tokens)
    assert "token id input is not supported by this emulator" in caught.value.message.lower()


async def test_more_than_2048_inputs_are_refused(client: AsyncAzureOpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        await client.embeddings.create(model=EMBEDDINGS, input=["x"] * 2049)
    assert "2048" in caught.value.message


async def test_malformed_body_names_the_field(client: AsyncAzureOpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        await client.embeddings.create(
            model=EMBEDDINGS,
            input="tent",
            encoding_format="hex",  # type: ignore[arg-type]
        )
    assert caught.value.param == "encoding_format"
    assert caught.value.type == "invalid_request_error"
    assert "encoding_format" in caught.value.message


@pytest.mark.parametrize("deployment", ["no-such-deployment", CHAT])
async def test_unknown_or_wrong_kind_deployment_is_not_found(
    client: AsyncAzureOpenAI, deployment: str
) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        await client.embeddings.create(model=deployment, input="tent")
    assert caught.value.code == "DeploymentNotFound"
    assert "The API deployment for this resource does not exist" in caught.value.message


async def test_missing_api_version_is_resource_not_found(emulator_url: str) -> None:
    async with httpx.AsyncClient(base_url=emulator_url) as http:
        response = await http.post(f"/openai/deployments/{EMBEDDINGS}/embeddings", json={"input": "tent"})
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "404", "message": "Resource not found", "type": None, "param": None}
    }


async def test_invalid_json_is_a_bad_request(emulator_url: str) -> None:
    async with httpx.AsyncClient(base_url=emulator_url) as http:
        response = await http.post(
            f"/openai/deployments/{EMBEDDINGS}/embeddings",
            params={"api-version": "2024-10-21"},
            content=b'{"input": ',
            headers={"content-type": "application/json"},
        )
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"
    assert "not valid JSON" in response.json()["error"]["message"]
