"""Machinery that knows no domain: keys and the signed cache, forked workers, the
characters that are unsafe where, and the errors every layer raises (a mistake is a
`path:line` problem). Imports nothing of site_builder's."""
