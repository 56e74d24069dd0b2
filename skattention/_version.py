"""The version, in a module of its own: model files record it, and setup.cfg reads it without importing
the package."""

__version__ = "0.1.0"
