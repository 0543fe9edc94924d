"""Tests of `site_builder.content`: files to validated records, the kinds table, and the
hostile names, links, YAML and markup the content layer refuses."""
