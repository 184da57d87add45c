"""Turn a stored screening result into a ``documents.reports.Report`` (md, pdf, docx, json).

Once a reviewer confirmed the report's audit document, the reviewer's decision is the primary
one: it heads the report, the machine's stands next to it, and a 人工审核 section says who
confirmed it, when, and each criterion they changed with the reason. While the review is open
the report says the decision awaits review.
"""

import orjson
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hrm2.ai.vocabulary import engine_label
from hrm2.api.downloads import ExportedFile
from hrm2.documents.reports import (
    MARKS,
    Bar,
    BarChart,
    Report,
    Section,
    Table,
    local_time,
    render,
)
from hrm2.resumes.vocabulary import RECOMMENDATIONS, VERDICTS, criterion_label, label
from hrm2.screening.models import ScreeningReport
from hrm2.screening.outcome import review_outcome

VERDICT_MARKS = {
    "pass": MARKS["yes"],
    "fail": MARKS["no"],
    "partial": MARKS["partly"],
    "unknown": MARKS["unknown"],
}


def _score(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def _decision_meta(result: dict, review: dict | None) -> list[tuple[str, str]]:
    machine = (
        f"{label(RECOMMENDATIONS, result.get('recommendation'))} · {_score(result.get('overall'))}"
    )
    if review is None:
        return [(_("Recommendation"), machine)]
    if review["state"] == "confirmed":
        human = review["human"]
        return [
            (
                _("Reviewer's decision"),
                f"{human['recommendation_label']} · {_score(human['score'])}",
            ),
            (_("Machine recommendation"), machine),
        ]
    return [(_("Machine recommendation"), f"{machine} ({_('awaiting review')})")]


def review_section(review: dict | None) -> Section:
    """人工审核: who confirmed, when, and each changed criterion with its reason."""
    if review is None:
        return Section(heading=_("Human review"), paragraphs=[_("Not recorded for review.")])
    if review["state"] != "confirmed":
        return Section(
            heading=_("Human review"),
            paragraphs=[
                _(
                    "Awaiting review: %(done)s of %(total)s criteria checked by a person. "
                    "The machine's decision stands until a reviewer confirms."
                )
                % {"done": review["points_reviewed"], "total": review["points_total"]}
            ],
        )
    human, machine = review["human"], review["machine"]
    paragraphs = [
        _("Confirmed by %(name)s at %(time)s.")
        % {"name": review["confirmed_by"] or "—", "time": local_time(review["confirmed_at"])},
        _(
            "Reviewer's decision: %(human)s, overall %(human_score)s; "
            "machine: %(machine)s, overall %(machine_score)s."
        )
        % {
            "human": human["recommendation_label"],
            "human_score": _score(human["score"]),
            "machine": machine["recommendation_label"],
            "machine_score": _score(machine["score"]),
        },
    ]
    if not review["changes"]:
        paragraphs.append(_("The reviewer agreed with every machine verdict."))
        return Section(heading=_("Human review"), paragraphs=paragraphs)
    rows = [
        [
            change["criterion"],
            change["machine_verdict_label"],
            change["decision_label"]
            + ("" if change["final_score"] is None else f" ({_score(change['final_score'])}%)"),
            change["reason"] or "—",
            change["reviewer"] or "—",
        ]
        for change in review["changes"]
    ]
    return Section(
        heading=_("Human review"),
        paragraphs=paragraphs,
        table=Table(
            columns=[_("Criterion"), _("Machine"), _("Reviewer"), _("Reason"), _("Reviewed by")],
            rows=rows,
        ),
    )


_CLAUSE_END = "。；;！？!?\n\r•●▪■◆|｜\u200b"
_CONTEXT = 24  # characters of the sentence kept on each side of a match


def in_context(text: str, evidence: dict, language: str) -> str:
    """A quote as a reader checks it: a word found in the resume is shown inside its sentence
    with the match marked (``…使用【Python】开发订单服务…``); a quote that is already a
    sentence is shown as it is. Falls back to the quote when the offsets do not fit the text."""
    start, end, quote = evidence.get("start"), evidence.get("end"), evidence.get("quote", "")
    if not isinstance(start, int) or not isinstance(end, int) or text[start:end] != quote:
        return quote
    left = start
    while left > 0 and text[left - 1] not in _CLAUSE_END and start - left < _CONTEXT:
        left -= 1
    right = end
    while right < len(text) and text[right] not in _CLAUSE_END and right - end < _CONTEXT:
        right += 1
    before, after = text[left:start].lstrip(), text[end:right].rstrip()
    if not before.strip() and not after.strip():
        return quote
    opening, closing = ("[", "]") if language == "en" else ("【", "】")
    lead = "…" if left > 0 and text[left - 1] not in _CLAUSE_END else ""
    tail = "…" if right < len(text) and text[right] not in _CLAUSE_END else ""
    return f"{lead}{before}{opening}{quote}{closing}{after}{tail}"


def build_report(report: ScreeningReport, *, language: str) -> Report:
    result = report.result or {}
    review = review_outcome(report)
    with translation.override(language):
        language_code = "en" if language.startswith("en") else "zh-hans"
        criteria_rows = []
        for item in result.get("criteria_results", []):
            quotes = " / ".join(
                in_context(report.resume.content, ev, language_code)
                for ev in item.get("evidence", [])[:2]
            )
            criteria_rows.append(
                [
                    criterion_label(item["criterion"]["kind"], item["criterion"]["name"]),
                    f"{VERDICT_MARKS.get(item['verdict'], MARKS['unknown'])} "
                    f"{label(VERDICTS, item['verdict'])}",
                    f"{item['score']:g}/{item['max_score']:g}",
                    quotes[:160],
                    item.get("reason", "")[:200],
                ]
            )
        salary = result.get("salary_suggestion")
        return Report(
            title=_("Resume screening report"),
            subtitle=f"{report.resume.candidate_name} · {report.task.position.title}",
            language=language_code,
            meta=[
                (_("Candidate"), report.resume.candidate_name),
                (_("Position"), report.task.position.title),
                (_("Criteria version"), str(report.task.criteria_version.number)),
                *_decision_meta(result, review),
                (
                    _("Engine"),
                    f"{engine_label(result.get('engine', report.engine))} "
                    f"{result.get('engine_version', '')}".strip(),
                ),
                (_("Screened at"), local_time(report.completed_at)),
            ],
            charts=[
                BarChart(
                    title=_("Dimension scores"),
                    bars=[
                        Bar(pgettext("report dimension", "HR"), result.get("hr", 0)),
                        Bar(_("Technical"), result.get("technical", 0)),
                        Bar(_("Management"), result.get("manager", 0)),
                        Bar(_("Overall"), result.get("overall", 0)),
                    ],
                )
            ],
            sections=[
                review_section(review),
                Section(heading=_("Summary"), paragraphs=[result.get("summary", "")]),
                Section(
                    heading=_("Criteria and evidence"),
                    table=Table(
                        columns=[
                            _("Criterion"),
                            _("Verdict"),
                            _("Score"),
                            _("Evidence"),
                            _("Reason"),
                        ],
                        rows=criteria_rows,
                    ),
                ),
                Section(heading=_("Strengths"), bullets=result.get("strengths", [])),
                Section(heading=_("Weaknesses"), bullets=result.get("weaknesses", [])),
                Section(heading=_("Interview focus"), bullets=result.get("interview_focus", [])),
                Section(
                    heading=_("Salary suggestion"),
                    paragraphs=[str(salary) if salary is not None else _("No salary range set")],
                ),
            ],
            footer=_("Machine assessment for a human decision; evidence quotes the resume."),
            created=report.completed_at,
        )


def export(report: ScreeningReport, *, fmt: str, language: str) -> ExportedFile:
    """The report as a file: ``json`` is the stored machine result with the human review
    (``human_review``) next to it; the rest are rendered."""
    if fmt == "json":
        with translation.override(language):
            data = {**(report.result or {}), "human_review": review_outcome(report)}
        content = orjson.dumps(data, option=orjson.OPT_INDENT_2)
        content_type, extension = "application/json", "json"
    else:
        content, content_type, extension = render(build_report(report, language=language), fmt)
    with translation.override(language):
        name = f"{_('screening-report')}-{report.resume.candidate_name}.{extension}"
    return ExportedFile(content, content_type, name)
