"""Screening jobs: score resumes against a position's criteria with an AI engine, keep reports."""
