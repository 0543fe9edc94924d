"""Files to validated records: site.yaml, front matter, the content model, discovery,
loading, the theme's files, and the one table of content kinds. No git, no pages.
Imports engine."""
