"""Tests of `site_builder.history`: git to revisions to what changed, from real
repositories, odd and hostile ones included."""
