"""The voice of the office: the audio of a call, for the display boards (native and web).

The hub renders the call from the office's clip set (its own recordings first, the shipped set
behind them) with the office's call style, so every board in the office speaks the same way.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from kiosk.hub.deps import AnyDevice, HubDep
from kiosk.voice.calls import CallVoice

router = APIRouter()


class WavResponse(Response):
    media_type = "audio/wav"


@router.get("/api/voice/call.wav", tags=["giọng đọc"], response_class=WavResponse)
async def call_audio(
    hub: HubDep,
    dev: AnyDevice,
    number: Annotated[str, Query(max_length=8, description="số thứ tự, ví dụ A023")],
    counter: Annotated[int, Query(ge=1, le=999)],
    recall: Annotated[int, Query(ge=0, le=99)] = 0,
) -> WavResponse:
    """Âm thanh lời mời của một số thứ tự (WAV mono 16-bit): chuông, "Mời công dân có số thứ tự
    … đến quầy số …", theo cách đọc trong cài đặt `[voice]`. Chỉ số và quầy, không có tên người.
    Lỗi: 422 khi số thứ tự không đọc được."""
    voice = CallVoice.for_office(hub.office.settings, hub.office.paths.voice_dir)
    audio = await run_in_threadpool(voice.render, number, counter, recall=recall)
    return WavResponse(audio.wav_bytes(), headers={"Cache-Control": "no-store"})
