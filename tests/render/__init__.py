"""Tests of `site_builder.render`: the one configured Markdown renderer."""
