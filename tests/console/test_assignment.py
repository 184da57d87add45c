"""Review assignment in the console: HR assigns a screening job's or a group's documents to
reviewers by name, the reviewer finds them in the review queue and reviews them, and the
workload page counts what waits per reviewer."""

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from hrm2.audit import services as audit_services
from hrm2.audit.models import CrossReviewTask, Document, TaskParticipant
from hrm2.resumes.models import ResumeGroup

pytestmark = pytest.mark.django_db

ASSIGN = "/console/assignments/assign/"
WORKLOAD = "/console/assignments/"
QUEUE = "/console/reviews/"
RAW_CODES = re.compile(r">\s*(reserve|reject|interview|pending|confirmed)\s*<")


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _named(user, first, last):
    user.first_name, user.last_name = first, last
    user.save()
    return user


def _flashes(page: str) -> list[str]:
    return re.findall(r'<p class="flash[^"]*"[^>]*>(.*?)</p>', page, re.S)


@pytest.fixture
def reviewer(console_for, make_user):
    client = console_for("reviewer", user=_named(make_user("reviewer"), "Min", "Zhao"))
    return client


def _assign_job(hr_console, task, *reviewers, follow=True):
    return hr_console.post(
        ASSIGN,
        {
            "scope": "job",
            "job_id": str(task.pk),
            "reviewer_ids": [str(r.pk) for r in reviewers],
            "next": f"/console/screening/{task.pk}/",
        },
        follow=follow,
    )


def test_the_assign_form_on_the_screening_job_lists_reviewers_by_name(
    hr_console, reviewer, screened, make_user
):
    interviewer = make_user("interviewer")
    page = html(hr_console.get(f"/console/screening/{screened.pk}/"))
    form = page[page.index('id="assign-form"') :]
    assert "将本次筛选的文档分配给审核人" in form
    assert "Min Zhao" in form and "评审人" in form
    assert f'name="reviewer_ids" value="{reviewer.user.pk}"' in form
    assert f'value="{interviewer.pk}"' not in form  # interviewers are not review-capable
    assert f'name="job_id" value="{screened.pk}"' in form
    assert "2 份已筛选文档" in form
    assert "@" not in form  # no e-mail addresses
    # a reviewer opening the same page sees no form
    assert 'id="assign-form"' not in html(reviewer.get(f"/console/screening/{screened.pk}/"))


def test_assigned_reviewer_sees_the_job_in_the_queue_and_reviews_it(
    hr_console, reviewer, screened, resumes
):
    _named(hr_console.user, "Anna", "Hu")
    # before: nothing, and the empty state says how to get work
    empty = html(reviewer.get(QUEUE))
    assert 'id="queue-empty"' in empty
    assert "请联系 HR 为你分配审核工作" in empty
    assert re.search(r'id="count-pending">0<', empty)

    done = _assign_job(hr_console, screened, reviewer.user)
    assert done.redirect_chain[-1][0] == f"/console/screening/{screened.pk}/"
    assert any("已将 2 份文档分配给 Min Zhao" in m for m in _flashes(done.content.decode()))
    after = html(hr_console.get(f"/console/screening/{screened.pk}/"))
    assert re.search(r'class="assigned-now">已分配：\s*Min Zhao<', after)

    queue = html(reviewer.get(QUEUE))
    assert re.search(r'id="count-pending">2<', queue)
    assert re.search(r'id="count-confirmed">0<', queue)
    assert "Alice Zhang" in queue and "Bob Li" in queue
    assert "Backend Engineer" in queue  # the position
    assert re.search(r"推荐面试|备选|不匹配", queue)  # the machine recommendation in words
    assert " 分" in queue  # the score in points
    assert "由 Anna Hu 分配" in queue  # by whom
    assert not RAW_CODES.search(queue), RAW_CODES.search(queue)
    assert queue.count('<tr data-document="') == 2
    # newest first
    ids = [int(i) for i in re.findall(r'<tr data-document="(\d+)"', queue)]
    assert ids == sorted(ids, reverse=True)
    # the row opens the review page, where the reviewer may act
    document = Document.objects.get(pk=ids[0])
    assert f'href="/console/reviews/{document.pk}/"' in queue
    assert 'id="audit-panel"' in html(reviewer.get(f"/console/reviews/{document.pk}/"))

    # confirmed documents move to 已完成
    audit_services.confirm_document(user=reviewer.user, document_id=document.pk)
    queue = html(reviewer.get(QUEUE))
    assert re.search(r'id="count-pending">1<', queue)
    assert re.search(r'id="count-confirmed">1<', queue)
    assert html(reviewer.get(QUEUE + "?state=confirmed")).count('<tr data-document="') == 1


def test_assigning_twice_adds_nothing(hr_console, reviewer, screened):
    _assign_job(hr_console, screened, reviewer.user)
    again = _assign_job(hr_console, screened, reviewer.user)
    assert any("未做更改" in m for m in _flashes(again.content.decode()))
    assert CrossReviewTask.objects.count() == 1
    assert TaskParticipant.objects.filter(user=reviewer.user).count() == 1


def test_an_invalid_assignee_is_refused_in_words(hr_console, screened, make_user):
    interviewer = make_user("interviewer")
    refused = _assign_job(hr_console, screened, interviewer)
    flashes = _flashes(refused.content.decode())
    assert any("不能被分配" in m for m in flashes), flashes
    nobody = _assign_job(hr_console, screened)
    assert any("请至少选择一位审核人" in m for m in _flashes(nobody.content.decode()))
    assert CrossReviewTask.objects.count() == 0


def test_only_hr_and_admin_assign_and_see_the_workload(reviewer, console_for, screened):
    assert _assign_job(reviewer, screened, reviewer.user, follow=False).status_code == 403
    assert reviewer.get(WORKLOAD).status_code == 403
    assert console_for("interviewer").get(WORKLOAD).status_code == 403
    assert 'href="/console/assignments/"' not in html(reviewer.get(QUEUE))
    assert 'href="/console/assignments/"' in html(console_for("admin").get(WORKLOAD))


def test_group_assignment_and_workload_counts(hr_console, reviewer, screened, resumes, make_user):
    idle = _named(make_user("reviewer"), "Lei", "Sun")
    hr_console.post(
        "/console/groups/create/", {"group_name": "Shortlist", "resume_ids": [str(resumes[0].pk)]}
    )
    group = ResumeGroup.objects.get()
    page = html(hr_console.get(f"/console/groups/{group.pk}/"))
    assert "将本分组的文档分配给审核人" in page and f'name="group_id" value="{group.pk}"' in page
    done = hr_console.post(
        ASSIGN,
        {
            "scope": "group",
            "group_id": str(group.pk),
            "reviewer_ids": [str(reviewer.user.pk)],
            "next": f"/console/groups/{group.pk}/",
        },
        follow=True,
    )
    assert done.redirect_chain[-1][0] == f"/console/groups/{group.pk}/"
    assert any("已将 1 份文档分配给 Min Zhao" in m for m in _flashes(done.content.decode()))

    workload = html(hr_console.get(WORKLOAD))
    assert "审核分配" in workload
    row = re.search(rf'<tr data-reviewer="{reviewer.user.pk}".*?</tr>', workload, re.S).group(0)
    assert "Min Zhao" in row and "评审人" in row
    assert re.search(r'data-count="pending"[^>]*>1<', row)
    assert re.search(r'data-count="confirmed"[^>]*>0<', row)
    idle_row = re.search(rf'<tr data-reviewer="{idle.pk}".*?</tr>', workload, re.S).group(0)
    assert re.search(r'data-count="pending"[^>]*>0<', idle_row)
    # the reviewer's documents, linked to the review page
    detail = html(hr_console.get(f"{WORKLOAD}?reviewer={reviewer.user.pk}"))
    section = detail[detail.index('id="reviewer-documents"') :]
    assert "Alice Zhang" in section and "Bob Li" not in section
    document = Document.objects.get(title__startswith="Alice Zhang")
    assert f'href="/console/reviews/{document.pk}/"' in section
    # completing it moves the count
    audit_services.confirm_document(user=reviewer.user, document_id=document.pk)
    workload = html(hr_console.get(WORKLOAD))
    row = re.search(rf'<tr data-reviewer="{reviewer.user.pk}".*?</tr>', workload, re.S).group(0)
    assert re.search(r'data-count="pending"[^>]*>0<', row)
    assert re.search(r'data-count="confirmed"[^>]*>1<', row)


def test_hr_sees_own_uploads_and_can_switch_to_assigned(hr_console, console_for, screened):
    other_hr = console_for("hr")
    page = html(hr_console.get(QUEUE))
    assert page.count('<tr data-document="') == 2 and "由你上传" in page
    assert html(hr_console.get(QUEUE + "?source=assigned")).count('<tr data-document="') == 0
    # another HR gets one document assigned: it shows under 分配给我的
    document = Document.objects.order_by("id").first()
    hr_console.post(
        ASSIGN,
        {
            "scope": "documents",
            "document_ids": [str(document.pk)],
            "reviewer_ids": [other_hr.user.pk],
        },
    )
    mine = html(other_hr.get(QUEUE + "?source=assigned"))
    assert mine.count('<tr data-document="') == 1 and f"/console/reviews/{document.pk}/" in mine
    assert html(other_hr.get(QUEUE + "?source=uploaded")).count('<tr data-document="') == 0


def test_pages_in_english(hr_console, reviewer, screened):
    _assign_job(hr_console, screened, reviewer.user)
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    queue = html(reviewer.get(QUEUE, **english))
    assert "Review queue" in queue and "waiting for review" in queue
    assert "待审核" not in queue and not RAW_CODES.search(queue)
    assert re.search(r"Recommended for interview|Keep in reserve|Not a match", queue)
    workload = html(hr_console.get(WORKLOAD, **english))
    assert "Review assignment" in workload and "Waiting for review" in workload
    assert "Reviewer" in workload
    form = html(hr_console.get(f"/console/screening/{screened.pk}/", **english))
    assert "Assign this job&#x27;s documents to reviewers" in form or (
        "Assign this job's documents to reviewers" in form
    )
    empty = html(hr_console.get(QUEUE + "?source=assigned", **english))
    assert "Nothing waits for you yet." in empty


def test_the_include_works_with_a_list_of_document_ids(hr_console, screened, reviewer):
    ids = list(Document.objects.order_by("id").values_list("id", flat=True))
    request = RequestFactory().get("/console/resumes/x/")
    request.user = hr_console.user
    template = Template(
        '{% include "console/assignments/_assign_form.html" with scope="documents" '
        "document_ids=ids form_id='assign-candidate' %}"
    )
    rendered = template.render(Context({"ids": ids, "can_write": True, "request": request}))
    assert 'id="assign-candidate"' in rendered
    for document_id in ids:
        assert f'name="document_ids" value="{document_id}"' in rendered
    assert 'name="scope" value="documents"' in rendered and "Min Zhao" in rendered
    assert 'name="next" value="/console/resumes/x/"' in rendered
    hidden = Template(
        '{% include "console/assignments/_assign_form.html" with scope="documents" '
        "document_ids=ids %}"
    ).render(Context({"ids": ids, "can_write": False, "request": request}))
    assert "reviewer_ids" not in hidden
    # and posting what it renders assigns those documents
    hr_console.post(
        ASSIGN,
        {
            "scope": "documents",
            "document_ids": [str(i) for i in ids],
            "reviewer_ids": [reviewer.user.pk],
        },
    )
    queue = html(reviewer.get(QUEUE))
    assert queue.count('<tr data-document="') == 2


def test_hostile_form_values_are_refused_not_500(hr_console, screened, reviewer):
    for data in (
        {"scope": "documents", "document_ids": ["99999999999999999999999"], "reviewer_ids": "1"},
        {"scope": "documents", "document_ids": ["1"], "reviewer_ids": ["9" * 30]},
        {"scope": "job", "job_id": "not-a-uuid", "reviewer_ids": [reviewer.user.pk]},
        {"scope": "nothing"},
    ):
        response = hr_console.post(ASSIGN, data, follow=True)
        assert response.status_code in (200, 403), data
    assert hr_console.get(WORKLOAD + "?reviewer=99999999999999999999999").status_code == 200


def test_candidate_and_review_pages_assign_one_document(hr_console, screened, resumes):
    """HR assigns a single candidate from the candidate page or the review page."""
    from hrm2.audit.models import Document, TaskDocument
    from hrm2.screening.models import ScreeningReport

    report = ScreeningReport.objects.get(resume=resumes[0], status="completed")
    document = Document.objects.get(source_id=str(report.pk))
    candidate = hr_console.get(f"/console/resumes/{resumes[0].pk}/").content.decode()
    assert 'id="assign-candidate"' in candidate and "将该候选人分配给审核人" in candidate
    assert f'name="document_ids" value="{document.pk}"' in candidate
    review = hr_console.get(f"/console/reviews/{document.pk}/").content.decode()
    assert 'id="assign-document"' in review
    assert not TaskDocument.objects.filter(document=document).exists()
