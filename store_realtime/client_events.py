"""Events from the page: checked against the store's policy, then forwarded or handled here (`store.*`).

Audio appends take a fast path: forwarded as the raw text that arrived once its shape is known to be
exactly an append (the type first, and no other `"type"` key in the message).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from shared.realtime import events as ev
from shared.realtime.events import ProtocolError, error_event, new_id
from store_realtime.policy import check_client_item, check_response_overrides

if TYPE_CHECKING:
    from store_realtime.relay import ClientChannel, RelaySession

__all__ = ["ClientEvents"]

_log = logging.getLogger(__name__)

_APPEND_PREFIXES = ('{"type":"input_audio_buffer.append"', '{"type": "input_audio_buffer.append"')
Handler = Callable[[Any, dict[str, Any]], Awaitable[None]]


class ClientEvents:
    def __init__(self, session: RelaySession) -> None:
        self._s = session
        self._handlers: dict[str, Handler] = {
            "session.update": self._session_update,
            "conversation.item.create": self._item_create,
            "conversation.item.truncate": self._truncate,
            "response.create": self._response_create,
        }
        self._store: dict[str, Callable[[dict[str, Any]], Awaitable[None]]] = {
            "store.cart.add": self._cart_add,
            "store.cart.remove": self._cart_remove,
            "store.cart.get": self._cart_get,
            "store.metrics": self._metrics,
        }

    async def loop(self, client: ClientChannel) -> None:
        limit = self._s.settings.max_message_bytes
        while True:
            message = await client.receive()
            if message is None:
                return
            if isinstance(message, bytes):
                await self._s.to_client(error_event("Send events as JSON text frames.", "invalid_event"))
                continue
            if len(message) > limit:
                await self._s.to_client(
                    error_event(
                        f"Events are limited to {limit} bytes; this one had {len(message)}.",
                        "message_too_large",
                    )
                )
                continue
            if message.startswith(_APPEND_PREFIXES) and _only_audio(message):
                if self._s.dump is not None:
                    self._s.dump.heard(json.loads(message).get("audio", ""))
                await self._s.to_upstream_raw(message)
                continue
            await self._event(message)

    async def _event(self, message: str) -> None:
        raw: Any = None
        try:
            raw = json.loads(message)
            kind = raw.get("type") if isinstance(raw, dict) else None
            if isinstance(kind, str) and kind.startswith("store."):
                handler = self._store.get(kind)
                if handler is None:
                    raise ProtocolError(f"Unknown store event {kind!r}.", param="type")
                await handler(raw)
                return
            event = ev.parse_client_event(raw if isinstance(raw, dict) else message)
            forward = self._handlers.get(event.type)
            if forward is not None:
                await forward(event, raw)
            else:
                await self._s.to_upstream(raw)
        except json.JSONDecodeError as exc:
            await self._s.to_client(error_event(f"The event is not valid JSON: {exc}", "invalid_json"))
        except ProtocolError as exc:
            if exc.event_id is None and isinstance(raw, dict) and isinstance(raw.get("event_id"), str):
                exc.event_id = raw["event_id"]
            await self._s.to_client(exc.event())

    async def _session_update(self, event: ev.SessionUpdate, raw: dict[str, Any]) -> None:
        self._s.preferences.apply(event.session)
        await self._s.configure()

    async def _item_create(self, event: ev.ConversationItemCreate, raw: dict[str, Any]) -> None:
        check_client_item(raw["item"])
        await self._s.to_upstream(raw)

    async def _response_create(self, event: ev.ResponseCreate, raw: dict[str, Any]) -> None:
        check_response_overrides(event.response)
        await self._s.to_upstream(raw)

    async def _truncate(self, event: ev.ConversationItemTruncate, raw: dict[str, Any]) -> None:
        """Barge-in: cut the item at what was played, never past what was sent; stop the response first."""
        server = self._s.server
        if event.item_id not in server.upstream_items:
            raise ProtocolError(f"Item '{event.item_id}' is not in the conversation.", param="item_id")
        sent = int(server.audio_sent_ms.get(event.item_id, 0.0))
        responding = server.response_of_item.get(event.item_id)
        if responding is not None and responding == server.active_response:
            await self._s.to_upstream({"type": "response.cancel", "response_id": responding})
        raw["audio_end_ms"] = min(event.audio_end_ms, sent)
        await self._s.to_upstream(raw)

    async def _cart_add(self, raw: dict[str, Any]) -> None:
        arguments = {"product_id": raw.get("product_id"), "quantity": raw.get("quantity", 1)}
        await self._cart_tool("add_to_cart", arguments)

    async def _cart_remove(self, raw: dict[str, Any]) -> None:
        arguments: dict[str, Any] = {"product_id": raw.get("product_id")}
        if raw.get("quantity") is not None:
            arguments["quantity"] = raw["quantity"]
        await self._cart_tool("remove_from_cart", arguments)

    async def _cart_get(self, raw: dict[str, Any]) -> None:
        await self._s.to_client({"type": "store.cart", "cart": self._s.tools.cart.snapshot()})

    async def _cart_tool(self, name: str, arguments: dict[str, Any]) -> None:
        result = await self._s.tools.run(name, new_id("call"), json.dumps(arguments))
        if not result.ok:
            raise ProtocolError(result.error or "The cart could not be changed.", code="cart_error")
        await self._s.to_client({"type": "store.cart", "cart": result.cart or self._s.tools.cart.snapshot()})
        note = f"The customer changed the cart on the page ({name}): {result.output}"
        self._s.log.tool_result(new_id("note"), name, json.dumps(arguments), result.output)
        await self._s.to_upstream(
            {
                "type": "conversation.item.create",
                "item": {
                    "type": "message",
                    "role": "system",
                    "content": [{"type": "input_text", "text": note}],
                },
            }
        )

    async def _metrics(self, raw: dict[str, Any]) -> None:
        played = raw.get("end_of_speech_to_first_audio_played_ms")
        if isinstance(played, int | float) and 0 <= played < 600_000:
            self._s.meters.first_audio_played.record(float(played))


def _only_audio(message: str) -> bool:
    """An append with no second `"type"` key outside its base64 audio (which has no quotes to skip)."""
    start = message.find('"audio"', 30)
    if start < 0:
        return message.find('"type"', 8) < 0
    value = message.find('"', start + 7)
    end = message.find('"', value + 1) if value >= 0 else -1
    if end < 0:
        return False
    return message.find('"type"', 8, value) < 0 and message.find('"type"', end + 1) < 0
