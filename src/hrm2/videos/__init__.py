"""Interview videos and their analysis (seed 000 §3.3), and the resume ↔ video link."""
