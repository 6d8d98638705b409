"""The event stream (`/api/events`, WebSocket): a snapshot or the missed events, then live ones.

Protocol: without `after`, the first message is `{type: "snapshot", snapshot, id}`; with `after`,
the events since that id are replayed as `{type: "event", event, id}`, then live events follow.
A device whose token is refused is accepted and closed with 4401 (a browser only sees the close
code of an accepted socket); after an online restore every stream closes with 4002.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect

from kiosk.hub import auth
from kiosk.hub.deps import HubDep
from kiosk.hub.runtime import CLOSE_RESTORED, stream_message

log = logging.getLogger(__name__)

router = APIRouter()


@router.websocket("/api/events")
async def events(
    hub: HubDep,
    ws: WebSocket,
    token: Annotated[str, Query(max_length=200)] = "",
    after: Annotated[int | None, Query(ge=0)] = None,
) -> None:
    """Ảnh chụp khi kết nối (hoặc các sự kiện sau `after`), rồi từng sự kiện hàng đợi."""
    try:
        await hub.device(token)
    except auth.AuthError as exc:
        # Accept, then close with 4401: a browser only sees the close code of an accepted
        # socket, and the board can then say it lacks a valid token rather than "offline".
        await ws.accept()
        await ws.close(code=4401, reason="unauthorized")
        log.info("event stream refused: %s", exc.message)
        return
    await ws.accept()
    subscriber = hub.events.subscribe()
    try:
        if after is None or hub.events.needs_snapshot(after):
            snap = await hub.run(hub.engine.snapshot)
            last = int(snap.last_event_id)
            await ws.send_json({"type": "snapshot", "snapshot": snap.as_json(), "id": last})
        else:
            last = after
            for event in await hub.run(hub._events_since, after):
                replayed = stream_message(event)
                await ws.send_text(replayed.text)
                last = replayed.id
        receiver = asyncio.create_task(_drain_client(ws))
        try:
            while True:
                getter = asyncio.create_task(subscriber.queue.get())
                done, _ = await asyncio.wait(
                    {getter, receiver}, return_when=asyncio.FIRST_COMPLETED
                )
                if receiver in done:
                    getter.cancel()
                    break
                published = getter.result()
                if published is None:
                    code = subscriber.close_code
                    reason = "restored" if code == CLOSE_RESTORED else "resume"
                    await ws.close(code=code, reason=reason)
                    break
                if published.id <= last:
                    continue  # already sent in the snapshot or the replay
                await ws.send_text(published.text)
                last = published.id
        finally:
            receiver.cancel()
    except WebSocketDisconnect:
        pass
    finally:
        hub.events.unsubscribe(subscriber)


async def _drain_client(ws: WebSocket) -> None:
    """Read (and ignore) whatever the client sends, to notice when it goes away."""
    while True:
        message = await ws.receive()
        if message["type"] == "websocket.disconnect":
            return
