"""Tests of `site_builder.commands`: each verb through the real command line."""
