"""Speed measurements for hoscase: run them all with ``python -m bench.run`` (see docs/benchmarks.md)."""
