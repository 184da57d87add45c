"""Turn a finished group evaluation into a ``documents.reports.Report`` (md, pdf, docx).

The PDF shows a bar chart of the final scores and one radar chart per candidate over the
dimensions that have evidence (a dimension without evidence is left out, never drawn as a
made-up value); Markdown and DOCX show the same numbers as tables. Every candidate's coverage
(which inputs the result rests on, which a person confirmed, which are missing) is shown in
words next to its score, and levels are always shown in words, never as codes.
"""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hrm2.ai.recommend import DIMENSIONS, CandidateEvaluation, label
from hrm2.ai.vocabulary import engine_label
from hrm2.documents.reports import Bar, BarChart, RadarChart, Report, Section, Table, local_time
from hrm2.recommend.models import CandidateResult, GroupEvaluation


def _score(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def _two(value) -> str:
    return "—" if value is None else f"{value:.2f}"  # video values are 0–1


def _candidate_section(evaluation: CandidateEvaluation) -> Section:
    rows = []
    for dim in evaluation.dimensions:
        subs = "; ".join(
            f"{s.label} {_score(s.score)}" for s in dim.sub_scores if s.status != "not_applicable"
        )
        rows.append(
            [
                dim.label,
                f"{evaluation.effective_weights.get(dim.key, 0.0):.2f}"
                if evaluation.effective_weights
                else f"{dim.weight:.2f}",
                _score(dim.score) if dim.score is not None else _("insufficient evidence"),
                subs,
            ]
        )
    bullets = [f"+ {s}" for s in evaluation.strengths] + [f"− {w}" for w in evaluation.weaknesses]
    video = evaluation.video or {}
    paragraphs = [evaluation.analysis]
    if evaluation.coverage is not None:
        paragraphs.insert(0, _("Evidence: %(coverage)s") % {"coverage": evaluation.coverage.text})
    if evaluation.effective_weights and evaluation.insufficient_dimensions:
        used = {d.key: d.label for d in evaluation.dimensions}
        paragraphs.append(
            _("Weights renormalised over the dimensions with evidence: %(weights)s")
            % {
                "weights": ", ".join(
                    f"{used.get(k, k)} {w:.2f}" for k, w in evaluation.effective_weights.items()
                )
            }
        )
    if evaluation.fallback_reason:
        paragraphs.append(_("Engine fallback: %(reason)s") % {"reason": evaluation.fallback_reason})
    if video.get("included"):
        traits = ", ".join(
            f"{_(k.capitalize())} {v:.2f}"  # Openness … Neuroticism, as on the video page
            for k, v in (video.get("traits") or {}).items()
            if v is not None
        )
        paragraphs.append(
            _(
                "Video (advisory, not scored): confidence %(confidence)s, "
                "fraud %(fraud)s; %(traits)s"
            )
            % {
                "confidence": _two(video.get("confidence_score")),
                "fraud": _two(video.get("fraud_score")),
                "traits": traits or "—",
            }
        )
    elif video.get("reason"):
        paragraphs.append(_("Video not included: %(reason)s") % {"reason": video["reason"]})
    return Section(
        heading=f"{evaluation.name} · {_score(evaluation.final_score)} · {evaluation.level_label}",
        paragraphs=paragraphs,
        bullets=bullets,
        table=Table(
            columns=[_("Dimension"), _("Weight"), _("Score (1–5)"), _("Sub-scores")], rows=rows
        ),
    )


def build_report(evaluation: GroupEvaluation) -> Report:
    result = evaluation.result or {}
    language = evaluation.language
    with translation.override(language):
        rows = evaluation.candidates.filter(status=CandidateResult.Status.COMPLETED)
        by_id = {
            str(r.result["candidate_id"]): CandidateEvaluation.model_validate(r.result)
            for r in rows
            if r.result
        }
        ranked = [by_id[e["candidate_id"]] for e in result.get("ranking", [])]
        unranked = [by_id[e["candidate_id"]] for e in result.get("unranked", [])]
        charts: list = []
        if ranked:
            charts.append(
                BarChart(
                    title=_("Final scores"),
                    bars=[Bar(e.name, e.final_score or 0.0) for e in ranked],
                )
            )
        for candidate in [*ranked, *unranked]:
            axes = [
                Bar(d.label, d.score, maximum=5)
                for d in candidate.dimensions
                if d.score is not None
            ]
            if len(axes) >= 3:
                charts.append(RadarChart(title=candidate.name, axes=axes))
        comparison = result.get("comparison") or {"columns": [_("Candidate")], "rows": []}
        if len(comparison["columns"]) == len(DIMENSIONS) + 4:  # the evidence column: shown
            comparison = {  # in the ranking table and per candidate, too narrow here
                "columns": comparison["columns"][:-1],
                "rows": [row[:-1] for row in comparison["rows"]],
            }
        weights = ", ".join(
            f"{label(d, language)} {evaluation.weights.get(d, 0):.2f}" for d in DIMENSIONS
        )
        ranking_rows = [
            [
                str(e["rank"]),
                e["name"],
                _score(e["final_score"]),
                e["level_label"],
                e.get("coverage") or "—",
                ", ".join(e["tied_with"]) or "—",
            ]
            for e in result.get("ranking", [])
        ]
        sections = [
            Section(
                heading=_("Recommended order"),
                paragraphs=[result.get("recommended_order") or _("No candidate could be ranked")],
                table=Table(
                    columns=[
                        _("Rank"),
                        _("Candidate"),
                        _("Final score"),
                        _("Level"),
                        _("Evidence used"),
                        _("Tied with"),
                    ],
                    rows=ranking_rows,
                ),
            ),
            Section(
                heading=_("Comparison"),
                table=Table(columns=comparison["columns"], rows=comparison["rows"]),
            ),
            Section(heading=_("Trade-offs"), bullets=result.get("trade_offs", [])),
        ]
        if unranked:
            sections.append(
                Section(
                    heading=_("Not ranked: nothing to rank on"),
                    bullets=[
                        f"{e.name}: {e.coverage.text if e.coverage else _('no evidence')}"
                        for e in unranked
                    ],
                )
            )
        sections += [_candidate_section(e) for e in [*ranked, *unranked]]
        sections.append(
            Section(
                heading=_("Method"),
                paragraphs=[
                    _(
                        "Each dimension is the mean of its sub-scores (1–5); a dimension with "
                        "fewer than two scored sub-scores has no evidence and is left out. "
                        "Final score = Σ weight·(score − 1)/4·100 over the dimensions with "
                        "evidence, the weights renormalised to sum to 1 over them. Levels: ≥85 "
                        "strongly recommend, ≥70 recommend, ≥55 consider with caution, otherwise "
                        "not recommended; without an interview (or without a screening) the "
                        "level is at most recommend. A candidate is not ranked only when no "
                        "dimension has evidence. Scores within %(margin)s points of a tier's "
                        "leader are tied."
                    )
                    % {"margin": result.get("tie_margin", "")},
                    _("Weights: %(weights)s") % {"weights": weights},
                ],
                bullets=result.get("notes", []),
            )
        )
        group = evaluation.group
        return Report(
            title=_("Final recommendation report"),
            subtitle=f"{group.group_name} · {group.position.title}",
            language="en" if language.startswith("en") else "zh-hans",
            meta=[
                (_("Resume group"), group.group_name),
                (_("Position"), group.position.title),
                (_("Candidates"), str(len(by_id))),
                (_("Engine"), engine_label(evaluation.engine)),
                (_("Recommended order"), result.get("recommended_order") or "—"),
                (_("Evaluated at"), local_time(result.get("evaluated_at"))),
            ],
            charts=charts,
            sections=sections,
            footer=_(
                "Machine assessment for a human decision; every number traces back to the "
                "stored inputs."
            ),
            created=timezone.now(),
        )
