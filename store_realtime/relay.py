"""One customer's voice session: the page's socket on one side, the realtime model on the other.

The page speaks the Realtime protocol (beta names) plus `store.*` events. The relay configures the model
session itself, runs the tools the model calls (hidden from the page, mirrored as `store.*` events),
keeps barge-in honest, and reconnects a dropped upstream with the conversation replayed.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable
from typing import Any, Protocol

from websockets.exceptions import ConnectionClosed

from shared.realtime.events import error_event, new_id
from shared.realtime.ga import ServerEventsFromGa, client_event_to_ga
from shared.tasks import TaskOwner
from store_realtime.client_events import ClientEvents
from store_realtime.dump import AudioDump
from store_realtime.policy import ClientPreferences, store_session
from store_realtime.replay import ConversationLog
from store_realtime.server_events import ServerEvents
from store_realtime.settings import StoreSettings
from store_realtime.tool_specs import TOOL_DEFINITIONS
from store_realtime.tools import ToolRunner
from store_realtime.turns import Meters, TurnTracker
from store_realtime.upstream import Upstream, UpstreamFactory

__all__ = ["ClientChannel", "RelaySession", "UpstreamGone"]

_log = logging.getLogger(__name__)

_CONNECT_TIMEOUT_S = 5.0


class ClientChannel(Protocol):
    async def send_text(self, text: str) -> None: ...

    async def receive(self) -> str | bytes | None:
        """The next message, or None once the page has gone."""
        ...

    async def close(self, code: int, reason: str) -> None: ...


class UpstreamGone(Exception):
    """The realtime model could not be reached (again)."""


class RelaySession:
    def __init__(
        self,
        *,
        client: ClientChannel,
        connect: UpstreamFactory,
        tools: ToolRunner,
        meters: Meters,
        settings: StoreSettings,
    ) -> None:
        self.id = new_id("sess")
        self.settings = settings
        self.tools = tools
        self.meters = meters
        self.preferences = ClientPreferences(settings.voice)
        self.log = ConversationLog()
        self.tracker = TurnTracker(meters, settings.prices, session_id=self.id)
        self.tasks = TaskOwner()
        self.dump = AudioDump(settings.audio_dump_dir, self.id) if settings.audio_dump_dir else None
        self.upstream: Upstream | None = None
        self.from_ga: ServerEventsFromGa | None = None
        self._client = client
        self._connect = connect
        self._send_lock = asyncio.Lock()
        self._closing = False
        self.server = ServerEvents(self)
        self.client_events = ClientEvents(self)

    async def run(self) -> None:
        """Relay until the page leaves (or the model cannot be reached)."""
        try:
            await self._open(first=True)
        except UpstreamGone as exc:
            await self.to_client(error_event(str(exc), "upstream_unavailable", error_type="server_error"))
            return
        pump = self.tasks.spawn(self._upstream_loop(), name=f"upstream {self.id}")
        try:
            await self.client_events.loop(self._client)
        finally:
            self._closing = True
            pump.cancel()
            await self.tasks.cancel_all()
            if self.upstream is not None:
                await _quietly(self.upstream.close())
            self.tracker.close()
            if self.dump is not None:
                self.dump.close()

    async def to_client(self, event: dict[str, Any]) -> None:
        await self.to_client_raw(json.dumps(event))

    async def to_client_raw(self, text: str) -> None:
        if self._closing:
            return
        async with self._send_lock:
            try:
                await self._client.send_text(text)
            except Exception:  # noqa: BLE001 - a page that has gone ends the session; the receive loop sees it
                self._closing = True

    async def to_upstream(self, event: dict[str, Any]) -> None:
        upstream = self.upstream
        if upstream is None:
            return
        text = json.dumps(client_event_to_ga(event) if upstream.ga else event)
        await self.to_upstream_raw(text)

    async def to_upstream_raw(self, text: str) -> None:
        upstream = self.upstream
        if upstream is None:
            return
        try:
            await upstream.send(text)
        except ConnectionClosed:
            _log.debug("upstream closed while sending; the upstream loop reconnects")

    async def configure(self) -> None:
        session = store_session(TOOL_DEFINITIONS, self.preferences)
        await self.to_upstream({"type": "session.update", "session": session})

    async def _open(self, *, first: bool) -> None:
        delays = [0.0] if first else [0.0, 0.2, 0.5, 1.0, 2.0][: self.settings.reconnect_attempts + 1]
        last: BaseException | None = None
        for delay in delays:
            await asyncio.sleep(delay)
            try:
                upstream = await asyncio.wait_for(self._connect(), _CONNECT_TIMEOUT_S)
            except Exception as exc:  # noqa: BLE001 - any connect failure is retried, then reported
                last = exc
                _log.warning("realtime upstream connect failed: %s", exc)
                continue
            self.upstream = upstream
            self.from_ga = ServerEventsFromGa() if upstream.ga else None
            self.server.new_connection(first=first)
            await self.configure()
            return
        raise UpstreamGone(
            f"The voice service is unreachable right now ({type(last).__name__}). Please try again."
        )

    async def _upstream_loop(self) -> None:
        while not self._closing:
            upstream = self.upstream
            assert upstream is not None
            try:
                raw = await upstream.recv()
            except ConnectionClosed as exc:
                if self._closing:
                    return
                code = exc.rcvd.code if exc.rcvd else 1006
                try:
                    await self._reconnect(f"the voice service connection closed ({code})")
                except UpstreamGone:
                    await self._client.close(1011, "the voice service is unreachable")
                    return
                continue
            await self.server.handle(raw if isinstance(raw, str) else raw.decode("utf-8", "replace"))

    async def _reconnect(self, reason: str) -> None:
        _log.warning("reconnecting the realtime upstream: %s", reason, extra={"session": self.id})
        self.meters.reconnects.add(1)
        await self.to_client({"type": "store.session", "state": "reconnecting", "reason": reason})
        if self.upstream is not None:
            await _quietly(self.upstream.close())
        try:
            await self._open(first=False)
        except UpstreamGone as exc:
            await self.to_client({"type": "store.session", "state": "ended", "reason": str(exc)})
            self._closing = True
            raise
        for item in self.log.items():
            await self.to_upstream({"type": "conversation.item.create", "item": item})
        await self.to_client({"type": "store.session", "state": "reconnected", "reason": reason})


async def _quietly(closing: Awaitable[Any]) -> None:
    try:
        await closing
    except Exception:  # noqa: BLE001 - closing a connection that already failed
        _log.debug("error while closing the upstream", exc_info=True)
