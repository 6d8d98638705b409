"""The voice of the office: the audio of a call, for the display boards (native and web).

The hub renders the call from the office's clip set (its own recordings first, the shipped set
behind them) with the office's call style, so every board in the office speaks the same way. The
admin's recording page lists the set, plays a clip, and saves or drops the office's own recording
of it (`<data>/voice/KEY.wav`, written atomically, audited); the next call uses it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from kiosk.domain.errors import KioskError, StoreError, ValidationError
from kiosk.hub import wire
from kiosk.hub.deps import Admin, AnyDevice, Hub, HubDep
from kiosk.hub.voice_wire import ClipSourceName
from kiosk.voice.audio import ClipError, ClipSet, read_clip
from kiosk.voice.calls import CallVoice
from kiosk.voice.words import ALL_CLIPS, CHIME, CLIP_TEXTS

log = logging.getLogger(__name__)
router = APIRouter()


class ClipNotFound(KioskError):
    code = "not_found"
    status = 404


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


# --- the office's clip set (admin) ---------------------------------------------------------------

#: A clip is one word or phrase: a WAV over this is refused before it is read.
MAX_CLIP_BYTES = 2 * 1024 * 1024


def _known(key: str) -> str:
    if key not in ALL_CLIPS:
        raise ValidationError(
            f"Không có tệp âm thanh tên {key[:40]}.wav trong bộ lời mời (xem docs/voice.md).",
            field="key",
        )
    return key


def _clip_item(clips: ClipSet, own: Path, key: str) -> wire.VoiceClip:
    language, text = ("", "") if key == CHIME else CLIP_TEXTS[key]
    path = clips.path_of(key)
    seconds = 0.0
    if path is not None:
        try:
            seconds = round(read_clip(path).duration, 3)
        except ClipError:
            path = None
    source: ClipSourceName = (
        "missing" if path is None else "office" if path.parent == own else "shipped"
    )
    return {"key": key, "language": language, "text": text, "source": source, "seconds": seconds}


def _clip_set(hub: Hub) -> wire.VoiceClips:
    own = hub.office.paths.voice_dir
    clips = ClipSet([own])
    return {
        "clips": [_clip_item(clips, own, key) for key in ALL_CLIPS],
        "problems": clips.check(),
    }


@router.get("/api/admin/voice/clips", tags=["giọng đọc"])
async def voice_clips(hub: HubDep, admin: Admin) -> wire.VoiceClips:
    """Bộ âm thanh lời mời: từng tệp, nội dung, đang dùng bản ghi của văn phòng hay bản mặc định,
    và mọi tệp thiếu hoặc hỏng."""
    return await run_in_threadpool(_clip_set, hub)


@router.get("/api/admin/voice/clips/{key}.wav", tags=["giọng đọc"], response_class=WavResponse)
async def voice_clip(key: str, hub: HubDep, admin: Admin) -> WavResponse:
    """Tệp âm thanh đang dùng cho một từ (của văn phòng nếu có, nếu không là bản mặc định)."""
    path = ClipSet([hub.office.paths.voice_dir]).path_of(_known(key))
    if path is None:
        raise ClipNotFound(f"Chưa có tệp âm thanh {key}.wav.")
    audio = await run_in_threadpool(read_clip, path)
    return WavResponse(audio.wav_bytes(), headers={"Cache-Control": "no-store"})


@router.put("/api/admin/voice/clips/{key}.wav", tags=["giọng đọc"])
async def save_voice_clip(key: str, request: Request, hub: HubDep, admin: Admin) -> wire.VoiceClip:
    """Lưu bản ghi của văn phòng cho một từ (WAV mono 16-bit 22.050 Hz, đã cắt khoảng lặng và
    chuẩn hóa âm lượng): các bảng hiển thị dùng ngay từ lời mời tiếp theo. Lỗi: 422 khi tệp không
    đúng định dạng."""
    _known(key)
    body = await request.body()
    if len(body) > MAX_CLIP_BYTES:
        raise ValidationError("Tệp âm thanh quá lớn (tối đa 2 MB cho một từ).", field="body")
    own = hub.office.paths.voice_dir

    def write() -> wire.VoiceClip:
        own.mkdir(parents=True, exist_ok=True)
        staged = own / f".{key}.wav.new"
        try:
            staged.write_bytes(body)
            audio = read_clip(staged)  # refused with the reason unless it is a clip of the set
        except ClipError as exc:
            staged.unlink(missing_ok=True)
            raise ValidationError(
                exc.message.replace(staged.name, f"{key}.wav"), field="body"
            ) from exc
        except OSError as exc:
            staged.unlink(missing_ok=True)
            raise StoreError(
                f"Không lưu được tệp âm thanh {key}.wav: {exc.strerror or exc}."
            ) from exc
        details = {"seconds": round(audio.duration, 3)}
        with hub.office.store.write(
            admin.actor, "voice.clip.save", target=f"clip:{key}", details=details
        ):
            os.replace(staged, own / f"{key}.wav")
        log.info("office voice clip %s saved (%.2f s) by %s", key, audio.duration, admin.actor)
        return _clip_item(ClipSet([own]), own, key)

    saved: wire.VoiceClip = await hub.run(write)
    return saved


@router.delete("/api/admin/voice/clips/{key}.wav", tags=["giọng đọc"])
async def drop_voice_clip(key: str, hub: HubDep, admin: Admin) -> wire.VoiceClip:
    """Bỏ bản ghi của văn phòng cho một từ: dùng lại bản mặc định. Lỗi: 404 khi văn phòng
    chưa ghi từ này."""
    own = hub.office.paths.voice_dir
    path = own / f"{_known(key)}.wav"

    def write() -> wire.VoiceClip:
        if not path.is_file():
            raise ClipNotFound(f"Văn phòng chưa ghi tệp {key}.wav: đang dùng bản mặc định.")
        with hub.office.store.write(admin.actor, "voice.clip.drop", target=f"clip:{key}"):
            path.unlink()
        log.info("office voice clip %s dropped by %s", key, admin.actor)
        return _clip_item(ClipSet([own]), own, key)

    dropped: wire.VoiceClip = await hub.run(write)
    return dropped
