"""The hub renders the office's call audio for its boards, from the office's clips first."""

from __future__ import annotations

import io
import math
import wave
from array import array

import httpx
import pytest
from hubproc import Office

from kiosk.hub.client import HubError
from kiosk.paths import resolve_paths
from kiosk.voice.audio import RATE, Audio, measure
from kiosk.voice.calls import CallVoice


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
