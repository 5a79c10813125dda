"""Benchmarks: each figure is a ratio to a baseline measured in the same run (machines are noisy)."""
