"""Chinese (default) and English wording of the interview engines' reasons, hints and reports.

Kept here, like :mod:`hrm2.ai.messages`, so that ``hrm2.ai`` stays self-contained; ``language``
starting with "en" selects English.
"""

from __future__ import annotations

from hrm2.ai.messages import join, lang

__all__ = [
    "CONFIDENCE_LABELS",
    "DIMENSION_LABELS",
    "LEVEL_LABELS",
    "STAR_LABELS",
    "confidence_label",
    "confidence_title",
    "dimension_label",
    "join",
    "lang",
    "level_label",
    "star_label",
    "t",
]

# The words for the interview codes a person sees (console, reports, API texts): the one
# vocabulary of candidate levels, STAR parts and answer credibility. A code never reaches a
# person; an unknown one is shown as a dash.
LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "junior": ("初级", "Junior"),
    "mid": ("中级", "Mid-level"),
    "senior": ("高级", "Senior"),
    "expert": ("专家", "Expert"),
}
STAR_LABELS: dict[str, tuple[str, str]] = {
    "situation": ("情境", "Situation"),
    "task": ("任务", "Task"),
    "action": ("行动", "Action"),
    "result": ("结果", "Result"),
}
CONFIDENCE_TITLE = ("回答可信度", "Answer credibility")
CONFIDENCE_LABELS: dict[str, tuple[str, str]] = {
    "genuine": ("较高（说法确定，没有夸大）", "High (assured, no overclaiming)"),
    "uncertain": (
        "一般（候选人没有把握，或坦承不了解）",
        "Moderate (the candidate is unsure or admits not knowing)",
    ),
    "overconfident": ("存疑（有夸大或绝对化的说法）", "Doubtful (overclaiming or absolute claims)"),
}

DIMENSION_LABELS: dict[str, tuple[str, str]] = {
    "technical_depth": ("技术深度", "Technical depth"),
    "practical_experience": ("实践经验", "Practical experience"),
    "answer_specificity": ("回答具体性", "Specificity"),
    "logical_clarity": ("逻辑清晰度", "Logical clarity"),
    "honesty": ("诚实度", "Honesty"),
    "communication": ("沟通表达", "Communication"),
}

_TEXT: dict[str, tuple[str, str]] = {
    # dimension reasons
    "depth_skills": (
        "提到预期技能：{skills}；原理/机制层面的表述 {mech} 处",
        "names the expected skills {skills}; {mech} explanation(s) of how things work",
    ),
    "depth_no_skills": (
        "未提及预期技能（{expected}）；原理/机制层面的表述 {mech} 处",
        "none of the expected skills ({expected}) named; {mech} explanation(s) of how things work",
    ),
    "depth_reasoning": (
        "原因分析/反思类表述 {mech} 处，量化信息 {numbers} 处",
        "{mech} statement(s) of cause or reflection, {numbers} number(s)",
    ),
    "practical": (
        "第一人称的具体行动 {actions} 处；“我” {i} 次，“我们” {we} 次",
        "{actions} first-person action(s); 'I' {i}x, 'we' {we}x",
    ),
    "specificity": (
        "数字/量化信息 {numbers} 处，技术名词 {techs} 个，篇幅约为该难度预期的 {ratio}%",
        "{numbers} number(s), {techs} technology name(s), length about {ratio}% of what the "
        "difficulty calls for",
    ),
    "clarity": (
        "结构/因果连接词 {structure} 处，STAR 要素 {star}/4",
        "{structure} structure or cause markers, STAR elements {star}/4",
    ),
    "honesty": (
        "夸大/绝对化表述 {over} 处，坦承不足 {admit} 处",
        "{over} overclaiming or absolute statement(s), {admit} admission(s) of limits",
    ),
    "communication": (
        "篇幅约 {units} 字（该难度预期约 {target}），口头禅 {fillers} 处，含糊表述 {hedges} 处",
        "about {units} words (about {target} expected), {fillers} filler(s), {hedges} hedge(s)",
    ),
    "off_topic_note": ("；回答与问题关联很弱", "; the answer barely relates to the question"),
    # evaluation summary
    "eval_summary": (
        "综合 {score} 分；回答可信度：{confidence}；STAR 要素缺少：{missing}",
        "score {score}; answer credibility: {confidence}; STAR parts missing: {missing}",
    ),
    "none": ("无", "none"),
    # follow-up reasons and questions
    "r_off_topic": ("回答偏离了问题", "the answer is off topic"),
    "r_clarification": ("候选人请求澄清问题", "the candidate asked for clarification"),
    "r_counter_question": ("候选人反问而未作答", "the candidate asked back instead of answering"),
    "r_no_result": ("缺少结果和量化数据", "no result or numbers"),
    "r_we_not_i": (
        "只说“我们”，看不出本人的贡献",
        "only 'we': the candidate's own part is unclear",
    ),
    "r_jargon": (
        "提到了技术名词但没有解释如何实现",
        "technology names without detail on how they work",
    ),
    "r_vague": ("回答笼统，缺少具体细节", "the answer is vague and lacks specifics"),
    "r_overconfident": ("存在夸大或绝对化表述", "overclaiming or absolute statements"),
    "r_too_short": ("回答过短", "the answer is too short"),
    "f_off_topic": (
        "我们回到这个问题：{question}",
        "Let's come back to the question: {question}",
    ),
    "f_clarification": (
        "换个说法：请结合你做过的一个具体例子来回答——{question}",
        "Put differently, answer with one concrete example you worked on: {question}",
    ),
    "f_counter_question": (
        "这个问题稍后我来回答。先请你谈谈：{question}",
        "I'll answer that at the end. First, please tell me: {question}",
    ),
    "f_no_result": (
        "这件事最终的结果如何？能给出具体的数据吗（例如耗时、性能或业务指标的变化）？",
        "What was the outcome? Can you give numbers (time, performance or business metrics "
        "before and after)?",
    ),
    "f_we_not_i": (
        "你提到“我们”，其中你本人具体负责哪一部分？哪些决定是你做的？",
        "You said 'we' — which part did you personally own, and which decisions were yours?",
    ),
    "f_jargon": (
        "你提到了 {skill}，能具体讲讲它在你的方案里是怎么工作的、为什么这样选吗？",
        "You mentioned {skill}: how exactly does it work in your solution, and why did you "
        "choose it?",
    ),
    "f_jargon_generic": (
        "能具体讲讲这个方案是怎么实现的吗？关键的技术细节是什么？",
        "How exactly was this implemented? What were the key technical details?",
    ),
    "f_vague": (
        "能举一个具体的例子吗？当时的场景、你的做法和结果分别是什么？",
        "Can you give one concrete example: the situation, what you did, and the result?",
    ),
    "f_overconfident": (
        "你提到{claim}，有没有遇到过做不好或失败的情况？当时是怎么处理的？",
        "You said {claim} — was there a case where it did not work out? What did you do?",
    ),
    "f_too_short": (
        "能再展开说说吗？比如具体的步骤和你遇到的困难。",
        "Could you expand on that, e.g. the concrete steps and the difficulties you met?",
    ),
    "alt_skill": ("（考察 {skill}）{question}", "(covers {skill}) {question}"),
    # hints for the interviewer
    "h_off_topic": ("回答偏题：重复问题或换一种问法", "Off topic: repeat or rephrase the question"),
    "h_clarification": (
        "候选人需要澄清：用更具体的场景重述问题",
        "Clarification asked: restate the question with a concrete scenario",
    ),
    "h_counter_question": (
        "候选人反问：简短回应后拉回原问题",
        "Counter-question: answer briefly, then return to the question",
    ),
    "h_no_result": ("缺少结果：追问量化成果", "No result: ask for the measurable outcome"),
    "h_we_not_i": ("多用“我们”：确认个人贡献", "Says 'we': pin down the candidate's own part"),
    "h_jargon": ("术语多细节少：追问实现原理", "Jargon without detail: ask how it works"),
    "h_vague": ("回答笼统：要求举具体例子", "Vague: ask for one concrete example"),
    "h_overconfident": (
        "有夸大表述：要求举例核实，问失败经历",
        "Overclaiming: ask for proof and a failure story",
    ),
    "h_uncertain": (
        "把握不足：可降低难度或换角度提问",
        "Unsure: lower the difficulty or change the angle",
    ),
    "h_admits_gap": (
        "候选人坦承不了解（“{quote}”）：如实记为待提升项，换一个相关方向继续考察",
        'The candidate admits a gap ("{quote}"): note it and move on to a related area',
    ),
    "h_admits_unsure": (
        "候选人坦承没有把握（“{quote}”）：请他说说确定知道的部分，或举一个记得清的具体例子",
        'The candidate admits being unsure ("{quote}"): ask what they know for certain, or for '
        "one example they remember",
    ),
    "h_strong": (
        "回答具体有力：可进入下一个考察点",
        "Strong, specific answer: move to the next topic",
    ),
    "h_cover": ("尚未考察：{skills}", "Not covered yet: {skills}"),
    # highlights of the resume
    "hl_skill": ("技能：{name}", "Skill: {name}"),
    "hl_project": ("项目：{quote}", "Project: {quote}"),
    "hl_employer": ("任职：{quote}", "Employment: {quote}"),
    "hl_gap": (
        "履历空档：{start} 至 {end}（约 {months} 个月）",
        "Gap: {start} to {end} (about {months} months)",
    ),
    "hl_claim": (
        "自述 {claim} 年经验，可查证的任职时间约 {ranges} 年",
        "claims {claim} years, dated history shows about {ranges}",
    ),
    "hl_leadership": ("带队经历：{quote}", "Leadership: {quote}"),
    # report
    "rec_strong_hire": ("强烈推荐", "Strongly recommend"),
    "rec_hire": ("推荐", "Recommend"),
    "rec_undecided": ("待定", "Undecided"),
    "rec_no_hire": ("不推荐", "Not recommended"),
    "lvl_excellent": ("优秀", "excellent"),
    "lvl_good": ("良好", "good"),
    "lvl_fair": ("一般", "fair"),
    "lvl_weak": ("薄弱", "weak"),
    "lvl_unknown": ("证据不足", "not enough evidence"),
    "dim_comment": (
        "最高 {best} 分（第 {best_round} 轮），最低 {worst} 分（第 {worst_round} 轮）",
        "best {best} (round {best_round}), lowest {worst} (round {worst_round})",
    ),
    "dim_comment_none": ("暂无已评估的回答", "no evaluated answer yet"),
    "report_summary": (
        "{name} 应聘 {position}：共 {total} 轮问答，其中 {evaluated} 轮已评估，综合得分 {score}，"
        "建议：{label}。较强的维度：{strong}；较弱的维度：{weak}。",
        "{name} for {position}: {total} round(s), {evaluated} evaluated, overall {score}; "
        "recommendation: {label}. Stronger: {strong}; weaker: {weak}.",
    ),
    "report_insufficient": (
        "{name} 应聘 {position}：共 {total} 轮问答，没有已评估的回答，证据不足，"
        "无法给出录用建议。请先记录问答并进行评估。",
        "{name} for {position}: {total} round(s) and no evaluated answer — not enough evidence "
        "for a recommendation. Record and evaluate answers first.",
    ),
    "report_few": (
        "仅有 {n} 个已评估的回答，结论仅供参考。",
        "Only {n} evaluated answer(s): treat the conclusion as tentative.",
    ),
    "highlight": (
        "第 {round} 轮「{question}」得分 {score}：{quote}",
        'Round {round} "{question}" scored {score}: {quote}',
    ),
    "flag_off_topic": ("第 {round} 轮回答偏题", "Round {round}: off-topic answer"),
    "flag_overconfident": (
        "第 {round} 轮存在夸大表述：{quote}",
        "Round {round}: overclaiming — {quote}",
    ),
    "flag_honesty": ("第 {round} 轮诚实度偏低", "Round {round}: low honesty score"),
    "flag_not_shown": (
        "已考察但未展示的必备技能：{skills}",
        "Required skills asked about but not shown: {skills}",
    ),
    "flag_claim": (
        "简历自述 {claim} 年经验，可查证的任职时间约 {ranges} 年",
        "The resume claims {claim} years; the dated history shows about {ranges}",
    ),
    "flag_gap": (
        "简历存在履历空档：{start} 至 {end}（约 {months} 个月）",
        "Resume gap: {start} to {end} (about {months} months)",
    ),
    "next_strong_hire": (
        "尽快安排终面或发放录用意向，核实背景与薪资期望",
        "Move to the final round or an offer; check references and salary expectations",
    ),
    "next_hire": (
        "安排下一轮面试，重点验证较弱的维度",
        "Schedule the next round focusing on the weaker dimensions",
    ),
    "next_undecided": (
        "补充一轮技术或行为面试后再做决定",
        "Add one more technical or behavioural round before deciding",
    ),
    "next_no_hire": (
        "建议不进入下一轮；如有争议请人工复核评估结果",
        "Do not advance; have a person review the evaluations if in doubt",
    ),
    "next_insufficient": (
        "先完成至少 3 轮问答并评估，再生成报告",
        "Record and evaluate at least 3 answers, then generate the report again",
    ),
    "next_cover": ("补充考察：{skills}", "Still to cover: {skills}"),
    "next_followup": ("下一轮可追问：{question}", "Follow up next time: {question}"),
}


def t(key: str, language: str, **kwargs) -> str:
    zh, en = _TEXT[key]
    return (en if lang(language) == "en" else zh).format(**kwargs)


def _word(table: dict[str, tuple[str, str]], code: str | None, language: str) -> str:
    if code not in table:
        return "—"
    zh, en = table[code]
    return en if lang(language) == "en" else zh


def dimension_label(dimension: str, language: str) -> str:
    return _word(DIMENSION_LABELS, dimension, language)


def level_label(level: str | None, language: str) -> str:
    """初级/中级/高级/专家 (Junior … Expert) for a candidate level code."""
    return _word(LEVEL_LABELS, level, language)


def star_label(part: str | None, language: str) -> str:
    """情境/任务/行动/结果 (Situation … Result) for a STAR part."""
    return _word(STAR_LABELS, part, language)


def confidence_title(language: str) -> str:
    zh, en = CONFIDENCE_TITLE
    return en if lang(language) == "en" else zh


def confidence_label(level: str | None, language: str) -> str:
    """How far the answer can be taken at its word, said plainly (e.g. 较高（…）)."""
    return _word(CONFIDENCE_LABELS, level, language)
