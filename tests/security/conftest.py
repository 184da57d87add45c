"""Closing line of the security suites: how many fuzz cases were tried, by status class."""

import sys


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    fuzz = sys.modules.get("tests.security.test_fuzz_openapi")
    if fuzz is None or not fuzz.TRIED:
        return
    stats = terminalreporter.stats
    failed = len(stats.get("failed", [])) + len(stats.get("error", []))
    by_class = ", ".join(f"{k} {v}" for k, v in sorted(fuzz.TRIED.items()))
    terminalreporter.write_line(
        f"fuzz: {sum(fuzz.TRIED.values())} cases tried ({by_class}); {failed} failed"
    )
