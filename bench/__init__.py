"""Benchmarks for cpl, each one command (``python -m bench.<name>``); never part of the test suite."""
