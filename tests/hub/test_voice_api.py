"""The hub renders the office's call audio for its boards, from the office's clips first."""

from __future__ import annotations

import io
import math
import sqlite3
import wave
from array import array

import httpx
import pytest
from hubproc import Office, refused

from kiosk.hub.client import HubError
from kiosk.paths import resolve_paths
from kiosk.voice.audio import RATE, Audio, measure
from kiosk.voice.calls import CallVoice
from kiosk.voice.words import ALL_CLIPS


def fetch(office: Office, token: str, **params: object) -> httpx.Response:
    return httpx.get(
        f"{office.hub.url}/api/voice/call.wav",
        params=params,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def samples_of(body: bytes) -> array[int]:
    with wave.open(io.BytesIO(body), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
        samples = array("h")
        samples.frombytes(wav.readframes(wav.getnframes()))
        return samples


def test_a_board_gets_the_wav_of_a_call_and_a_recall(office: Office) -> None:
    answer = fetch(office, office.display_token, number="A023", counter=3)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "audio/wav"
    heard = samples_of(answer.content)
    assert heard == CallVoice().render("A023", 3).samples  # the default style and clips
    stats = measure(Audio(heard))
    assert 4.0 < stats.duration < 10.0 and stats.clipped_samples == 0
    recall = samples_of(
        fetch(office, office.display_token, number="A023", counter=3, recall=1).content
    )
    assert len(recall) > len(heard)  # "Mời lần thứ hai, công dân có số thứ tự …" is longer


def test_the_office_recording_replaces_the_shipped_clip(office: Office) -> None:
    voice_dir = resolve_paths(office.hub.data_dir).voice_dir
    voice_dir.mkdir(parents=True, exist_ok=True)
    tone = array("h", (round(6000 * math.sin(2 * math.pi * 330 * i / RATE)) for i in range(RATE)))
    with wave.open(str(voice_dir / "den-quay-so.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(tone.tobytes())
    heard = samples_of(fetch(office, office.display_token, number="A023", counter=3).content)
    assert tone.tobytes() in heard.tobytes()


def test_bad_calls_are_refused_in_vietnamese_and_a_stranger_gets_nothing(office: Office) -> None:
    bad = fetch(office, office.display_token, number="Nguyễn", counter=3)
    assert bad.status_code == 422
    assert "Số thứ tự không đọc được" in bad.json()["message"]
    assert fetch(office, office.display_token, number="A023", counter=0).status_code == 422
    assert fetch(office, "not-a-token", number="A023", counter=3).status_code == 401


def test_the_hub_client_gets_the_same_wav_and_the_refusal_in_vietnamese(office: Office) -> None:
    client = office.hub.client(office.display_token)
    try:
        wav = client.call_audio("B105", 12, recall=1)
        direct = fetch(office, office.display_token, number="B105", counter=12, recall=1)
        assert wav == direct.content
        assert samples_of(wav) == CallVoice().render("B105", 12, recall=1).samples
        with pytest.raises(HubError) as refused:
            client.call_audio("Nguyễn", 3)
        assert refused.value.status == 422
        assert "Số thứ tự không đọc được" in refused.value.message
    finally:
        client.close()


def tone(seconds: float, *, rate: int = RATE, channels: int = 1) -> bytes:
    """A WAV of a 330 Hz tone at -20 dBFS RMS (a stand-in for a recorded word)."""
    samples = array(
        "h",
        (
            round(4634 * math.sin(2 * math.pi * 330 * (i // channels) / rate))
            for i in range(round(seconds * rate) * channels)
        ),
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


def audit_actions(office: Office) -> list[tuple[str, str]]:
    conn = sqlite3.connect(f"file:{resolve_paths(office.hub.data_dir).database}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT action, target FROM audit WHERE action LIKE 'voice.%' ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    return [(a, t) for a, t in rows]


def test_the_admin_saves_an_office_recording_the_boards_use_and_can_drop_it(
    office: Office,
) -> None:
    admin = office.admin
    listed = admin.voice_clips()
    assert listed["problems"] == []
    assert {c["source"] for c in listed["clips"]} == {"shipped"}
    assert len(listed["clips"]) == len(ALL_CLIPS)
    by_key = {c["key"]: c for c in listed["clips"]}
    assert by_key["den-quay-so"]["text"] == "đến quầy số" and by_key["den-quay-so"]["seconds"] > 0

    recording = tone(0.7)
    saved = admin.save_voice_clip("den-quay-so", recording)
    assert saved["source"] == "office" and saved["seconds"] == pytest.approx(0.7, abs=0.001)
    assert admin.voice_clip("den-quay-so") == recording
    own = resolve_paths(office.hub.data_dir).voice_dir
    assert sorted(p.name for p in own.iterdir()) == ["den-quay-so.wav"]
    call = samples_of(fetch(office, office.display_token, number="A023", counter=3).content)
    assert samples_of(recording).tobytes() in call.tobytes()  # the next call says it

    dropped = admin.drop_voice_clip("den-quay-so")
    assert dropped["source"] == "shipped"
    call = samples_of(fetch(office, office.display_token, number="A023", counter=3).content)
    assert call == CallVoice().render("A023", 3).samples
    assert refused(lambda: admin.drop_voice_clip("den-quay-so"), 404).message.startswith(
        "Văn phòng chưa ghi"
    )
    assert audit_actions(office) == [
        ("voice.clip.save", "clip:den-quay-so"),
        ("voice.clip.drop", "clip:den-quay-so"),
    ]


def test_a_recording_in_another_format_or_for_no_clip_is_refused_and_nothing_saved(
    office: Office,
) -> None:
    admin = office.admin
    stereo = refused(lambda: admin.save_voice_clip("so-5", tone(0.5, channels=2)), 422)
    assert "mono 16-bit 22050 Hz" in stereo.message and "so-5.wav" in stereo.message
    assert "2 kênh" in stereo.message
    cd = refused(lambda: admin.save_voice_clip("so-5", tone(0.5, rate=44_100)), 422)
    assert "44100 Hz" in cd.message
    refused(lambda: admin.save_voice_clip("so-5", b"not a wav at all"), 422)
    unknown = refused(lambda: admin.save_voice_clip("settings", tone(0.5)), 422)
    assert "Không có tệp âm thanh" in unknown.message
    refused(lambda: admin.save_voice_clip("../../settings", tone(0.5)), 404)  # no such route
    own = resolve_paths(office.hub.data_dir).voice_dir
    assert not own.exists() or list(own.iterdir()) == []
    assert audit_actions(office) == []
    refused(lambda: office.counters[1].voice_clips(), 403)
    refused(lambda: office.display.save_voice_clip("so-5", tone(0.5)), 403)
