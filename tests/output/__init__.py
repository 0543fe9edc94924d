"""Tests of `site_builder.output`: the writer, staging and the output folder's integrity,
whatever a build meets (a kill, a hostile site, a planted cache)."""
