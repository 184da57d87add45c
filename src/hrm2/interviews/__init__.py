"""The interview assistant (seed 000 §3.5): resume-grounded questions, evaluation, reports."""
