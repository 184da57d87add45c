"""The audit log in words: each ``AuditEvent`` as one sentence a reviewer can read
("王芳 将「Python」改为不通过：没有项目经历"), in the active language.

All wording of the history lives here; the console and the API only ask for sentences.
Events keep plain ids, so names (of people and evaluation points) are looked up in bulk:
two or three queries for any number of events.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from hrm2.accounts.selectors import display_name
from hrm2.audit.models import AuditEvent, AuditStatus, EvaluationResult, Verdict

RESULT = EvaluationResult._meta.label_lower
AUDIT_STATUS = AuditStatus._meta.label_lower


@dataclass(frozen=True)
class HistoryLine:
    event: AuditEvent
    text: str

    @property
    def created_at(self) -> datetime:
        return self.event.created_at


@dataclass
class _Names:
    people: dict[int, str]
    points: dict[int, str]  # result id → point name
    statuses: dict[int, int]  # audit-status id → result id


def _result_id(event: AuditEvent, names: _Names) -> int | None:
    for state in (event.after, event.before):
        if isinstance(state, dict) and isinstance(state.get("result_id"), int):
            return state["result_id"]
    if event.object_id.isdigit():
        if event.object_type == RESULT:
            return int(event.object_id)
        if event.object_type == AUDIT_STATUS:
            return names.statuses.get(int(event.object_id))
    return None


def _lookup(events: Sequence[AuditEvent]) -> _Names:
    actor_ids = {e.actor_id for e in events if e.actor_id is not None}
    people = {}
    for user in get_user_model().objects.filter(pk__in=actor_ids):
        people[user.pk] = display_name(user)
    status_ids = {
        int(e.object_id) for e in events if e.object_type == AUDIT_STATUS and e.object_id.isdigit()
    }
    statuses = dict(AuditStatus.objects.filter(pk__in=status_ids).values_list("pk", "result_id"))
    names = _Names(people=people, points={}, statuses=statuses)
    result_ids = {r for e in events if (r := _result_id(e, names)) is not None}
    names.points = dict(
        EvaluationResult.objects.filter(pk__in=result_ids).values_list("pk", "point__name")
    )
    return names


def _score(value) -> str:
    if value is None:
        return "—"
    return f"{float(value):.1f}"


def _verdict_sentence(actor: str, point: str, verdict: str, reason: str) -> str:
    values = {"actor": actor, "point": point, "reason": reason}
    if verdict == Verdict.PASS:
        if reason:
            return _("%(actor)s passed “%(point)s”: %(reason)s") % values
        return _("%(actor)s passed “%(point)s”") % values
    if reason:
        return _("%(actor)s failed “%(point)s”: %(reason)s") % values
    return _("%(actor)s failed “%(point)s”") % values


def _review_sentence(event: AuditEvent, actor: str, point: str) -> str:
    before, after = event.before or {}, event.after or {}
    verdict = after.get("final_result", "")
    reason = (after.get("evaluated_results") or {}).get("message") or after.get("audit_message", "")
    verdict_changed = verdict != before.get("final_result") or event.action == "result.reviewed"
    message_changed = (after.get("evaluated_results") or {}).get("message") != (
        before.get("evaluated_results") or {}
    ).get("message")
    score = after.get("final_score")
    score_changed = score is not None and score != before.get("final_score")
    text = ""
    if verdict_changed or message_changed or not score_changed:
        text = _verdict_sentence(actor, point, verdict, reason)
    if score_changed:
        if text:
            text += _(" (final score %(score)s)") % {"score": _score(score)}
        else:
            text = _("%(actor)s set the score of “%(point)s” to %(score)s") % {
                "actor": actor,
                "point": point,
                "score": _score(score),
            }
    if after.get("bulk"):
        text += _(" — with “pass all remaining”")
    return text


def _sentence(event: AuditEvent, names: _Names) -> str:
    if event.actor_id is None and event.actor_name in ("", "machine"):
        actor = _("System")
    else:
        actor = names.people.get(event.actor_id) or event.actor_name or _("Someone")
    result_id = _result_id(event, names)
    point = names.points.get(result_id, "") if result_id is not None else ""
    point = point or _("an evaluation point")
    after = event.after if isinstance(event.after, dict) else {}
    action = event.action
    if action == "document.recorded":
        return _("%(actor)s recorded the machine evaluation") % {"actor": actor}
    if action in ("result.reviewed", "result.updated"):
        return _review_sentence(event, actor, point)
    if action == "audit_status.created":
        if after.get("message"):
            return _("%(actor)s recorded a review of “%(point)s”: %(reason)s") % {
                "actor": actor,
                "point": point,
                "reason": after["message"],
            }
        return _("%(actor)s recorded a review of “%(point)s”") % {"actor": actor, "point": point}
    if action == "audit_status.updated":
        return _("%(actor)s changed the review record of “%(point)s”") % {
            "actor": actor,
            "point": point,
        }
    if action == "document.confirmed":
        return _("%(actor)s confirmed the review (human total %(total)s)") % {
            "actor": actor,
            "total": _score(after.get("final_total")),
        }
    if action == "document.reopened":
        return _("%(actor)s reopened the review: %(reason)s") % {
            "actor": actor,
            "reason": after.get("reason") or "—",
        }
    if action == "task.document_added":
        return _("%(actor)s shared the document in a cross-review task") % {"actor": actor}
    return _("%(actor)s changed the review") % {"actor": actor}


def describe(events: Iterable[AuditEvent]) -> list[HistoryLine]:
    """One sentence per event, in the active language, in the order given."""
    events = list(events)
    names = _lookup(events)
    return [HistoryLine(event=event, text=_sentence(event, names)) for event in events]


def summaries(events: Iterable[AuditEvent]) -> dict[int, str]:
    """``{event id: sentence}`` (for the API's ``summary`` field)."""
    return {line.event.pk: line.text for line in describe(events)}
