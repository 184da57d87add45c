"""Chinese (default) and English wording of reasons, lists and summaries.

Kept here rather than in the gettext catalogues so that ``hrm2.ai`` stays a self-contained
ground-floor package; ``language`` starting with "en" selects English.
"""

from __future__ import annotations

_TEXT: dict[str, tuple[str, str]] = {
    "skill_found": (
        "简历中找到「{found}」（{count} 处）",
        "'{found}' found in the resume ({count}x)",
    ),
    "skill_weak": (
        "「{name}」仅以了解/接触等较浅程度提及，或只出现在更长的词语中：「{quote}」",
        "'{name}' is only mentioned as basic/familiar, or inside a longer word: \"{quote}\"",
    ),
    "skill_missing": ("简历中未找到「{name}」", "'{name}' not found in the resume"),
    "skill_similar": (
        "简历提到了这项要求的要点：「{quote}」",
        'the resume names the key points of this requirement: "{quote}"',
    ),
    "skill_related": (
        "「{name}」仅有相关或较浅的描述：「{quote}」，需确认深度",
        "only related or shallow mentions of '{name}': \"{quote}\"; confirm the depth",
    ),
    "skill_check": (
        "无法确定是否满足「{name}」，请人工核实",
        "cannot tell whether '{name}' is met; a reviewer should check",
    ),
    "skill_no_text": ("简历没有可读文本，无法判断「{name}」", "no readable text to judge '{name}'"),
    "cert_found": ("持有证书「{name}」", "holds the '{name}' certification"),
    "cert_missing": ("未提及证书「{name}」", "no mention of the '{name}' certification"),
    "exp_pass": (
        "工作经验约 {years} 年，满足要求（≥{min} 年）",
        "about {years} years of experience, meets ≥{min}",
    ),
    "exp_partial": (
        "工作经验约 {years} 年，略低于要求（≥{min} 年）",
        "about {years} years of experience, slightly below ≥{min}",
    ),
    "exp_fail": (
        "工作经验约 {years} 年，不满足要求（≥{min} 年）",
        "about {years} years of experience, below ≥{min}",
    ),
    "exp_unknown": ("未能从简历中确定工作年限", "could not determine the years of experience"),
    "exp_unrelated": (
        "；简历共约 {total} 年经历，与岗位无关的经历不计入",
        "; {total} years in all, unrelated work not counted",
    ),
    "edu_pass": ("最高学历{level}，满足要求（{req}）", "highest degree {level}, meets {req}"),
    "edu_fail": ("最高学历{level}，低于要求（{req}）", "highest degree {level}, below {req}"),
    "edu_unknown": ("简历中未找到学历信息", "no education level found"),
    "edu_unfinished": (
        "提到的学历未完成或未取得学位，不满足要求（{req}）",
        "the degree mentioned was not completed or not obtained; below {req}",
    ),
    "proj_pass": (
        "找到 {count} 个项目经历（要求 ≥{min}）",
        "{count} projects found (≥{min} required)",
    ),
    "proj_partial": (
        "仅找到 {count} 个项目经历（要求 ≥{min}）",
        "only {count} projects found (≥{min} required)",
    ),
    "proj_fail": ("未找到项目经历（要求 ≥{min}）", "no projects found (≥{min} required)"),
    "lead_pass": ("有带领团队的经历{size}", "has led a team{size}"),
    "lead_partial": (
        "仅有管理头衔、主导项目或指导新人等信号，未见带领团队的具体描述",
        "only a title, leading a project or mentoring; no description of leading people",
    ),
    "lead_fail": ("未发现团队管理经验", "no team leadership experience found"),
    "team_size": ("（团队 {n} 人）", " (team of {n})"),
    # the words of hrm2.resumes.vocabulary.RECOMMENDATIONS (this ground floor cannot import it)
    "rec_interview": ("推荐面试", "Interview"),
    "rec_reserve": ("备选", "Reserve"),
    "rec_reject": ("不匹配", "Not a match"),
    "s_skills": ("必备技能全部命中：{names}", "all required skills present: {names}"),
    "s_exp": (
        "工作经验 {years} 年，超出要求",
        "{years} years of experience, above the requirement",
    ),
    "s_edu": ("学历{level}", "{level}"),
    "s_lead": ("有带团队经验{size}", "team leadership experience{size}"),
    "s_certs": ("持有证书：{names}", "certifications: {names}"),
    "s_stable": ("工作稳定（平均任职 {months} 个月）", "stable tenure (average {months} months)"),
    "w_missing": ("缺少必备技能：{names}", "missing required skills: {names}"),
    "w_failed": ("{reason}", "{reason}"),
    "w_unstable": ("跳槽较频繁：{n} 段任职不足一年", "frequent job changes: {n} jobs under a year"),
    "f_verify": ("核实技能深度：{names}", "probe depth in: {names}"),
    "f_partial": ("确认：{reason}", "confirm: {reason}"),
    "f_unknown": ("请人工核实：{reason}", "a reviewer should check: {reason}"),
    "f_claim": (
        "核实工作年限：自述 {claim} 年，可查证的任职时间约 {ranges} 年",
        "verify experience: claims {claim} years, dated history shows about {ranges}",
    ),
    "f_tenure": ("了解多次短期任职的原因", "ask about the short stints"),
    "f_optional": ("了解加分技能的掌握情况：{names}", "check the optional skills: {names}"),
    "unknown_name": ("候选人", "The candidate"),
    "none": ("未知", "unknown"),
    "summary": (
        "{name}：综合得分 {overall}（HR {hr}，技术 {technical}，管理 {manager}），建议：{label}。"
        "工作经验{years}，学历{education}；必备技能命中 {hit}/{total}。",
        "{name}: overall {overall} (HR {hr}, technical {technical}, manager {manager}); "
        "recommendation: {label}. Experience: {years}; education: {education}; "
        "required skills found: {hit}/{total}.",
    ),
    "years": ("约 {years} 年", "about {years} years"),
    "match_exact": ("词库术语「{names}」及其别名", "lexicon term '{names}' and its aliases"),
    "match_literal": ("按原文查找「{names}」", "looked for as written: '{names}'"),
    "match_alternatives": ("任一即可：{names}", "any one of: {names}"),
    "match_list": (
        "逐项查找，大多数找到即满足：{names}",
        "each looked for, most must be found: {names}",
    ),
    "match_semantic": (
        "描述性要求：简历用到其中至少三成关键词即满足，只有含义相近的句子算部分满足",
        "descriptive: met when the resume uses at least 30 % of its key words; a sentence of "
        "similar meaning alone counts as partly met",
    ),
    "match_mixed": (
        "部分按名称、部分按含义判断：{names}",
        "partly by name, partly by meaning: {names}",
    ),
    "match_loose": (
        "只能宽松匹配（按关键词和含义），判断可能需要人工核实；写出具体的技能或工具名称会更准确",
        "can only be matched loosely (by key words and meaning); reviewers may need to check — "
        "naming the specific skills or tools makes it exact",
    ),
    "depth_basic": ("要求程度：了解", "depth asked: basic"),
    "depth_working": ("要求程度：熟悉/掌握", "depth asked: working knowledge"),
    "depth_expert": ("要求程度：精通", "depth asked: expert"),
}

SEP = {"zh": "、", "en": ", "}


def lang(language: str) -> str:
    return "en" if (language or "").lower().startswith("en") else "zh"


def t(key: str, language: str, **kwargs) -> str:
    zh, en = _TEXT[key]
    return (en if lang(language) == "en" else zh).format(**kwargs)


def join(items: list[str], language: str) -> str:
    return SEP[lang(language)].join(items)
