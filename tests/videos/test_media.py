"""The media pipeline on generated videos: faces, speech, signals with their times,
confidence, determinism, and the personality switch."""

import json

import pytest

from hrm2.media import MediaError, NotMediaError, Options, analyse
from hrm2.media.fraud import WEIGHTS, score
from hrm2.media.personality import TRAITS, model
from hrm2.media.probe import probe


def _types(result) -> set[str]:
    return {event["type"] for event in result["signals"]}


def test_one_face_speaking(videos):
    result = analyse(str(videos["speaking"])).result
    features = result["features"]
    assert features["face_presence"] >= 0.9 and features["max_faces"] == 1
    assert features["gaze_on_screen"] >= 0.9
    assert 3.5 <= features["speaking_time"] <= 5.5  # 4.5 s of phrases
    assert features["pause_count"] == 1 and 0.2 <= features["mean_pause"] <= 1.0
    assert 100 <= features["pitch_median_hz"] <= 140  # the voice is at ~120 Hz
    assert 3.0 <= features["speech_rate"] <= 5.0  # ~4 syllables a second
    assert result["signals"] == [] and result["fraud"]["fraud_score"] < 0.1
    assert result["transcript"] == {"available": False, "reason": "no_model_configured"}
    assert "人脸" in result["summary"] and "不得用于筛选" in result["summary"]
    traits = result["personality"]["traits"]
    assert set(traits) == set(TRAITS)
    assert all(0 <= t["score"] <= 1 and t["evidence"] for t in traits.values())


def test_two_faces_give_the_multi_face_signal_at_the_right_times(videos):
    result = analyse(str(videos["two_faces"])).result
    events = [e for e in result["signals"] if e["type"] == "multiple_faces"]
    assert len(events) == 1
    assert events[0]["start"] == pytest.approx(2.0, abs=0.5)
    assert events[0]["end"] == pytest.approx(4.0, abs=0.5)
    contribution = result["fraud"]["contributions"][0]
    assert contribution["type"] == "multiple_faces" and contribution["times"] == [
        [events[0]["start"], events[0]["end"]]
    ]
    assert result["fraud"]["fraud_score"] >= 0.4


def test_no_face_while_speech_is_heard(videos):
    result = analyse(str(videos["no_face"])).result
    assert result["features"]["face_presence"] == 0
    events = [e for e in result["signals"] if e["type"] == "no_face_while_speaking"]
    assert events and events[0]["start"] <= 1.0 and events[-1]["end"] >= 5.0
    assert result["confidence"]["confidence_score"] == 0  # no face: no usable visual signal
    assert result["personality"]["traits"]["extraversion"]["score"] == 0.5  # neutral


def test_silence_gives_low_confidence(videos):
    silent = analyse(str(videos["silence"])).result
    speaking = analyse(str(videos["speaking"])).result
    assert silent["features"]["speaking_time"] == 0
    assert silent["confidence"]["confidence_score"] < 0.05
    assert speaking["confidence"]["confidence_score"] > silent["confidence"]["confidence_score"]
    assert silent["features"]["pitch_median_hz"] is None


def test_second_voice_and_duration_mismatch(videos):
    two = analyse(str(videos["two_voices"])).result
    events = [e for e in two["signals"] if e["type"] == "second_voice"]
    assert events and events[0]["evidence"]["gap_st"] > 10  # 100 Hz vs 220 Hz
    assert {(e["start"], e["end"]) for e in events} <= {
        (0.0, 3.0),
        (3.0, 6.0),
        (6.0, 9.0),
        (9.0, 12.0),
    }
    short = analyse(str(videos["short_audio"])).result
    assert "duration_mismatch" in _types(short)


def test_same_file_same_result(videos):
    first = analyse(str(videos["two_faces"])).result
    second = analyse(str(videos["two_faces"])).result
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_personality_can_be_turned_off(videos):
    result = analyse(str(videos["speaking"]), Options(personality=False)).result
    assert result["personality"] == {
        "enabled": False,
        "reason": "disabled_by_setting",
        "traits": None,
    }
    assert result["fraud"]["fraud_score"] < 0.1  # fraud signals stay on
    assert "人格特质推断已关闭" in result["summary"]


def test_english_summary(videos):
    result = analyse(str(videos["two_faces"]), Options(language="en")).result
    assert "more than one face" in result["summary"]


def test_corrupted_and_non_media(videos):
    assert probe(str(videos["truncated"])).duration == pytest.approx(6.0, abs=0.1)
    with pytest.raises(MediaError, match="truncated or corrupted"):
        analyse(str(videos["truncated"]))
    with pytest.raises(NotMediaError):
        probe(str(videos["text"]))


def test_fraud_score_formula():
    assert score([])["fraud_score"] == 0
    one = score([{"type": "multiple_faces", "start": 1, "end": 2, "strength": 1.0}])
    assert one["fraud_score"] == pytest.approx(WEIGHTS["multiple_faces"])
    both = score(
        [
            {"type": "multiple_faces", "start": 1, "end": 2, "strength": 1.0},
            {"type": "gaze_away", "start": 3, "end": 9, "strength": 0.5},
        ]
    )
    expected = 1 - (1 - WEIGHTS["multiple_faces"]) * (1 - WEIGHTS["gaze_away"] * 0.5)
    assert both["fraud_score"] == pytest.approx(expected, abs=1e-4)
    assert [c["type"] for c in both["contributions"]] == ["multiple_faces", "gaze_away"]


def test_big_five_model_file_is_complete():
    spec = model()
    assert spec["version"] and spec["sources"]
    for trait in TRAITS:
        config = spec["traits"][trait]
        assert set(config["weights"]) <= set(spec["features"])
        assert config["sources"] and set(config["sources"]) <= set(spec["sources"])
        assert 0 < config["reliability"] <= 1
