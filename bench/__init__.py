"""Benchmarks of every pipeline stage on a synthetic national-scale corpus (not in CI)."""
