"""Turn the raw public data folders into the curated seed files the project commits."""
