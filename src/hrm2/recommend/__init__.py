"""Final recommendation (seed 000 §3.4): evaluate a group of candidates, rank them, report."""
