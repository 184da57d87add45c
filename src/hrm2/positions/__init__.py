"""Positions and their recruitment criteria, with an immutable version per change (seed 000 §3.1)."""
