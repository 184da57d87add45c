"""Console fixtures: signed-in session clients per role, a position, resumes, a screening."""

import pytest
from django.test import Client

from hrm2.positions import services as position_services
from hrm2.positions.schemas import CriteriaIn
from hrm2.resumes import services as resume_services
from hrm2.screening import services as screening_services
from hrm2.screening.schemas import ScreeningIn

ALICE = (
    "Alice Zhang\nSenior backend engineer, 6 years of Python and Django (2018-2024).\n"
    "本科 计算机科学. Led a team of 5 on 3 projects with PostgreSQL and Redis.\n"
)
BOB = "Bob Li\nFrontend developer, 2 years of Vue and CSS.\n大专.\n"


@pytest.fixture
def console_for(make_user):
    """A Django test client signed in (session) as a new user of ``role``."""

    def _client(role="hr", user=None, **kwargs):
        client = Client(**kwargs)
        client.user = user or make_user(role)
        client.force_login(client.user)
        return client

    return _client


@pytest.fixture
def hr_console(console_for):
    return console_for("hr")


@pytest.fixture
def reviewer_console(console_for):
    return console_for("reviewer")


@pytest.fixture
def position(hr_console):
    criteria = CriteriaIn.model_validate(
        {
            "position": "Backend Engineer",
            "department": "R&D",
            "required_skills": ["Python", "Django"],
            "optional_skills": ["Redis"],
            "min_experience": 3,
            "education": ["本科"],
        }
    )
    saved, _created = position_services.save_criteria(criteria=criteria, user=hr_console.user)
    return saved


@pytest.fixture
def resumes(position, hr_console):
    return [
        resume_services.create_resume(position=position, content=text, user=hr_console.user)
        for text in (ALICE, BOB)
    ]


@pytest.fixture
def screened(position, resumes, hr_console, django_capture_on_commit_callbacks):
    """Both resumes screened (Celery runs eagerly in the tests); returns the task."""
    with django_capture_on_commit_callbacks(execute=True):
        task = screening_services.submit_screening(
            data=ScreeningIn(position_id=position.pk, resume_data_ids=[r.pk for r in resumes]),
            user=hr_console.user,
            language="en",
        )
    task.job.refresh_from_db()
    assert task.job.status == "completed", task.job.error
    for resume in resumes:
        resume.refresh_from_db()
    return task


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so the browser fixture can screenshot failures."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
