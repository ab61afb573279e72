"""Benchmarks: a synthetic corpus generator (corpus.py) and the build benchmark (run.py)."""
