"""Simulated action days: people, vehicles and reports written as each country writes them.

Deterministic per seed, at any size: the demo, the end-to-end tests and the benchmarks all use it.
"""
