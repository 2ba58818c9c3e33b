"""Benchmarks of the services over real HTTP (`make bench`)."""
