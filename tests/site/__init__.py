"""Tests of `site_builder.site`: the pages, feeds, data and calendars a site is made of,
parsed back from real builds."""
