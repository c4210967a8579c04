"""Deterministic synthetic corpus of education reports with ground truth (see generate.py)."""
