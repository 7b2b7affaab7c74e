"""The real stack on free ports for tests, evaluation and the benchmark (not used in production)."""
