"""Screening quality on labelled sets written apart from the engine (``make eval``).

``eval/dev``: development sets — the engine's rules and thresholds may be calibrated on them.
``eval/blind``: held-out sets written by people who never saw the engine, from the criteria
schema and labelling instructions only. Nothing may be tuned on them; they are measured.
"""
