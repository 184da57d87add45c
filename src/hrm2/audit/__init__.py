"""Evaluation audit (seed 002): people pass or fail every machine verdict and confirm documents."""
