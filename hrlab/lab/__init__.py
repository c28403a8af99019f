"""Research platform: scenarios, variants and suites, the DuckDB run log, metrics and evals."""
