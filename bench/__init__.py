"""Benchmarks: `python -m bench` (make bench) measures every profile; see docs/performance.md."""
