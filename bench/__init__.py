"""Benchmarks: ``python -m bench.NAME DATA... --out FILE.json``."""
