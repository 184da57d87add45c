"""The fault suites reuse the end-to-end fixtures: real processes on a throwaway database."""

from tests.e2e.conftest import (  # noqa: F401 (fixtures and the report hook, re-exported)
    e2e,
    e2e_database_url,
    pytest_runtest_makereport,
)
