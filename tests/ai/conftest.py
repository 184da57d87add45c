"""Fixtures for the AI engine tests (plain pytest: no database)."""

from datetime import date

import pytest

from hrm2.ai.embedded import EmbeddedEngine

from .fixtures.labelled import REFERENCE_DATE


@pytest.fixture(scope="session")
def engine():
    return EmbeddedEngine(reference_date=date(*REFERENCE_DATE))


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: long measurements (e.g. LLM throughput); run with HRM2_RUN_SLOW=1"
    )
