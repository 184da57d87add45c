"""Resumes submitted to a position, and groups of them (seed 000 §3.2, /resume-screening/)."""
