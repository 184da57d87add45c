"""Turn a stored screening result into a ``documents.reports.Report`` (md, pdf, docx, json)."""

import orjson
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hrm2.api.downloads import ExportedFile
from hrm2.documents.reports import Bar, BarChart, Report, Section, Table, render
from hrm2.screening.models import ScreeningReport

VERDICT_LABELS = {"pass": "✓", "fail": "✗", "partial": "◐", "unknown": "?"}


def build_report(report: ScreeningReport, *, language: str) -> Report:
    result = report.result or {}
    with translation.override(language):
        language_code = "en" if language.startswith("en") else "zh-hans"
        criteria_rows = []
        for item in result.get("criteria_results", []):
            quotes = " / ".join(ev["quote"] for ev in item.get("evidence", [])[:2])
            criteria_rows.append(
                [
                    item["criterion"]["name"],
                    f"{VERDICT_LABELS.get(item['verdict'], '?')} {item['verdict']}",
                    f"{item['score']:g}/{item['max_score']:g}",
                    quotes[:120],
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
                (_("Overall score"), f"{result.get('overall', 0):.1f}"),
                (_("Recommendation"), result.get("recommendation_label", report.recommendation)),
                (
                    _("Engine"),
                    f"{result.get('engine', report.engine)} "
                    f"{result.get('engine_version', '')}".strip(),
                ),
                (_("Screened at"), report.completed_at.isoformat() if report.completed_at else ""),
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
    """The report as a file: ``json`` is the stored machine result, the rest are rendered."""
    if fmt == "json":
        content = orjson.dumps(report.result, option=orjson.OPT_INDENT_2)
        content_type, extension = "application/json", "json"
    else:
        content, content_type, extension = render(build_report(report, language=language), fmt)
    with translation.override(language):
        name = f"{_('screening-report')}-{report.resume.candidate_name}.{extension}"
    return ExportedFile(content, content_type, name)
