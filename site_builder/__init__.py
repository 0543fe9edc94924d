"""site_builder: a static-site generator for living public plans."""

__version__ = "0.1.0"
