"""Benchmarks: generator, LOAD CSV statements and the runner (python -m benchmarks.run)."""
