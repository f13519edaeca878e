"""Hefei-model replicability warehouse: ingest, build and publish tooling."""

__version__ = "0.1.0"
