"""site_builder: a static-site generator for living public plans.

Folders are layers, each importing only those below it (docs/architecture.md):
engine (machinery) < content (files to records) < history (git to what changed) <
site (records to pages) < render (pages to bytes) < output (bytes to the output folder) <
commands (one module per verb) < cli.
"""

__version__ = "0.1.0"
