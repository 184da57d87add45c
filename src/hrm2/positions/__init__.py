"""Positions and their recruitment criteria, one immutable version per change (seed 000 §3.1)."""
