"""Reproducible performance benchmark: `python -m benchmarks.run --n 1000 10000 100000`."""
