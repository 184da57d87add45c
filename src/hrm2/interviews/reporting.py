"""Turn a stored interview report into a ``documents.reports.Report`` (md, pdf, docx, json).

The PDF shows the six dimensions as a radar chart (Markdown and DOCX show them as a table).
"""

import orjson
from django.utils import translation
from django.utils.translation import gettext as _

from hrm2.api.downloads import ExportedFile
from hrm2.documents.reports import (
    MARKS,
    Bar,
    RadarChart,
    Report,
    Section,
    Table,
    local_time,
    render,
)
from hrm2.interviews.models import InterviewReport


def _yes(value: bool) -> str:
    return MARKS["yes"] if value else MARKS["no"]


def build_report(report: InterviewReport, *, language: str) -> Report:
    result = report.result or {}
    session = report.session
    with translation.override(language):
        language_code = "en" if language.startswith("en") else "zh-hans"
        dims = result.get("dimension_analysis", [])
        score = result.get("overall_score")
        charts = []
        if not result.get("insufficient_evidence") and all(
            d.get("average") is not None for d in dims
        ):
            charts.append(
                RadarChart(
                    title=_("Interview dimensions"),
                    axes=[Bar(d["label"], d["average"], maximum=4) for d in dims],
                )
            )
        skill_rows = [
            [
                s["skill"],
                _yes(s["required"]),
                _yes(s["asked"]),
                _yes(s["demonstrated"]),
                "" if s.get("average_score") is None else f"{s['average_score']:g}",
                " / ".join(s.get("evidence", [])[:2])[:160],
            ]
            for s in result.get("skill_assessment", [])
        ]
        coverage = result.get("coverage", {})
        ratio = coverage.get("ratio")
        sections = [
            Section(heading=_("Summary"), paragraphs=[result.get("summary", "")]),
            Section(
                heading=_("Dimension analysis"),
                table=Table(
                    columns=[_("Dimension"), _("Average (1–4)"), _("Level"), _("Comment")],
                    rows=[
                        [
                            d["label"],
                            "" if d.get("average") is None else f"{d['average']:g}",
                            d["level"],
                            d["comment"],
                        ]
                        for d in dims
                    ],
                ),
            ),
            Section(
                heading=_("Skill assessment"),
                table=Table(
                    columns=[
                        _("Skill"),
                        _("Required"),
                        _("Asked"),
                        _("Shown"),
                        _("Score"),
                        _("Evidence"),
                    ],
                    rows=skill_rows,
                )
                if skill_rows
                else None,
            ),
            Section(heading=_("Highlights"), bullets=result.get("highlights", [])),
            Section(heading=_("Red flags"), bullets=result.get("red_flags", [])),
            Section(
                heading=_("Coverage of the position's criteria"),
                paragraphs=[
                    _("Covered: %(covered)s; not covered: %(uncovered)s; ratio: %(ratio)s")
                    % {
                        "covered": ", ".join(coverage.get("covered", [])) or "-",
                        "uncovered": ", ".join(coverage.get("uncovered", [])) or "-",
                        "ratio": "-" if ratio is None else f"{ratio:.0%}",
                    }
                ],
            ),
            Section(
                heading=_("Suggested next steps"), bullets=result.get("suggested_next_steps", [])
            ),
        ]
        if result.get("hr_notes"):
            sections.append(Section(heading=_("HR notes"), paragraphs=[result["hr_notes"]]))
        log = result.get("conversation_log")
        if log:
            sections.append(
                Section(
                    heading=_("Conversation log"),
                    table=Table(
                        columns=["#", _("Question"), _("Answer"), _("Score")],
                        rows=[
                            [
                                str(row["round_number"]),
                                row["question"][:300],
                                row["answer"][:600],
                                ""
                                if row.get("normalized_score") is None
                                else f"{row['normalized_score']:g}",
                            ]
                            for row in log
                        ],
                    ),
                )
            )
        over = result.get("overconfidence", {})
        return Report(
            title=_("Interview assessment report"),
            subtitle=f"{session.resume.candidate_name} · {session.position_title}",
            language=language_code,
            meta=[
                (_("Candidate"), session.resume.candidate_name),
                (_("Position"), session.position_title),
                (_("Interviewer"), session.interviewer_name),
                (_("Overall score"), _("not enough evidence") if score is None else f"{score:g}"),
                (_("Recommendation"), result.get("recommendation_label", "")),
                (
                    _("Evaluated answers"),
                    f"{result.get('evaluated_answers', 0)}/{result.get('total_answers', 0)}",
                ),
                (_("Overconfident answers"), str(over.get("count", 0))),
                (_("Engine"), f"{result.get('engine', '')} {result.get('engine_version', '')}"),
                (_("Generated at"), local_time(report.created_at)),
            ],
            charts=charts,
            sections=sections,
            footer=_("Machine assessment for a human decision; evidence quotes the answers."),
            created=report.created_at,
        )


def export(report: InterviewReport, *, fmt: str, language: str) -> ExportedFile:
    """The report as a file: ``json`` is the stored result, the rest are rendered."""
    if fmt == "json":
        content = orjson.dumps(report.result, option=orjson.OPT_INDENT_2)
        content_type, extension = "application/json", "json"
    else:
        content, content_type, extension = render(build_report(report, language=language), fmt)
    with translation.override(language):
        name = f"{_('interview-report')}-{report.session.resume.candidate_name}.{extension}"
    return ExportedFile(content, content_type, name)
