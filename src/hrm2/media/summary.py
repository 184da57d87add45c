"""The plain-language summary: what was measured, the main signals, the limits. Chinese by
default; ``language`` starting with "en" gives English (kept here, not in gettext catalogues, so
the ground-floor package stays self-contained and the worker needs no active translation)."""

SIGNAL_NAMES = {
    "multiple_faces": ("画面中出现多张人脸", "more than one face in the frame"),
    "no_face_while_speaking": ("有人说话但画面中无人脸", "speech while no face is visible"),
    "silent_face": ("人脸在画面中但长时间无人说话", "face present but long silence"),
    "gaze_away": ("长时间视线离开屏幕", "gaze away from the screen for long runs"),
    "second_voice": ("疑似出现第二个说话人", "a possible second voice"),
    "duration_mismatch": ("音频与视频时长不一致", "audio and video durations disagree"),
    "reading_cadence": ("语速异常均匀且视线反复水平移动（疑似照读）", "reading cadence"),
}
TRAIT_NAMES = {
    "openness": ("开放性", "openness"),
    "conscientiousness": ("尽责性", "conscientiousness"),
    "extraversion": ("外向性", "extraversion"),
    "agreeableness": ("宜人性", "agreeableness"),
    "neuroticism": ("神经质", "neuroticism"),
}


def _fmt_times(times: list[list[float]], limit: int = 3) -> str:
    shown = ", ".join(f"{a:.1f}–{b:.1f}s" for a, b in times[:limit])
    return shown + ("…" if len(times) > limit else "")


def build(result: dict, *, language: str = "zh-hans") -> str:
    en = language.lower().startswith("en")
    f = result["features"]
    fraud = result["fraud"]
    parts = []
    if en:
        parts.append(
            f"Analysed {f['duration']:.1f} s of recording ({f['sampled_frames']} frames sampled "
            f"at {f['sample_fps']:g} fps). A face was visible in {f['face_presence']:.0%} of the "
            f"frames, eyes towards the screen in {f['gaze_on_screen']:.0%}; speech took "
            f"{f['speaking_time']:.1f} s ({f['speech_ratio']:.0%}) with {f['pause_count']} pauses."
        )
    else:
        parts.append(
            f"共分析 {f['duration']:.1f} 秒录像（按 {f['sample_fps']:g} 帧/秒抽取 "
            f"{f['sampled_frames']} 帧）。{f['face_presence']:.0%} 的画面检测到人脸，"
            f"{f['gaze_on_screen']:.0%} 的画面视线朝向屏幕；说话时长 {f['speaking_time']:.1f} 秒"
            f"（占 {f['speech_ratio']:.0%}），停顿 {f['pause_count']} 次。"
        )
    if f.get("pitch_median_hz"):
        parts.append(
            f"Median pitch {f['pitch_median_hz']:.0f} Hz, variability "
            f"{f['pitch_variability_st']:.1f} semitones."
            if en
            else f"音高中位数 {f['pitch_median_hz']:.0f} Hz，音高变化 "
            f"{f['pitch_variability_st']:.1f} 个半音。"
        )
    if fraud["contributions"]:
        listed = ("; " if en else "；").join(
            (
                f"{SIGNAL_NAMES[c['type']][1]} ({_fmt_times(c['times'])})"
                if en
                else f"{SIGNAL_NAMES[c['type']][0]}（{_fmt_times(c['times'])}）"
            )
            for c in fraud["contributions"]
        )
        parts.append(
            f"Fraud signals: {listed}; fraud score {fraud['fraud_score']:.2f}."
            if en
            else f"风险信号：{listed}；欺诈风险分 {fraud['fraud_score']:.2f}。"
        )
    else:
        parts.append(
            f"No fraud signal; fraud score {fraud['fraud_score']:.2f}."
            if en
            else f"未发现作弊风险信号，欺诈风险分 {fraud['fraud_score']:.2f}。"
        )
    personality = result["personality"]
    confidence = result["confidence"]["confidence_score"]
    if personality.get("enabled"):
        traits = personality["traits"]
        listed = (", " if en else "，").join(
            f"{TRAIT_NAMES[t][1 if en else 0]} {traits[t]['score']:.2f}" for t in TRAIT_NAMES
        )
        parts.append(
            f"Apparent Big Five impressions (advisory, model {personality['version']}): {listed}; "
            f"confidence {confidence:.2f}."
            if en
            else f"大五人格表观印象（仅供参考，模型 {personality['version']}）：{listed}；"
            f"置信度 {confidence:.2f}。"
        )
    else:
        parts.append("Personality inference is turned off." if en else "人格特质推断已关闭。")
    if not result["transcript"].get("available"):
        parts.append(
            "No transcript (speech recognition unavailable)."
            if en
            else "未生成文字转写（语音识别不可用）。"
        )
    parts.append(
        "Limits: frontal-face detection and pitch-based voice checks are coarse proxies; "
        "impressions describe how cues tend to be perceived, not the person, and must never be "
        "used to filter candidates; every signal needs a human look at the cited times."
        if en
        else "局限：正脸检测与基于音高的声音判断只是粗略的代理指标；"
        "人格分数只反映这些线索通常给人的印象，并非对本人的测量，不得用于筛选候选人；每个风险信号都应由人工查看所标注的时间段后再下结论。"
    )
    return " ".join(parts) if en else "".join(parts)
