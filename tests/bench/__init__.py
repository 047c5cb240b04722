"""Benchmarks: not part of the default test run (pytest is configured with --ignore=tests/bench).

Run from the repository root, e.g. `python -m tests.bench.bench_inbox --rows 1000000`.
"""
