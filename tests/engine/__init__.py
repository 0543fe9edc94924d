"""Tests of `site_builder.engine`: work shared out among forked processes."""
