"""Machinery that knows no domain: keys and the signed cache, forked workers, the
characters that are unsafe where. Imports nothing of site_builder's."""
