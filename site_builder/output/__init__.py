"""The only code that touches the output folder: the writer, its marker and records, the
staging folder and its twin, the search index, and the branch a site is published on.
Imports site, history (its git runner), content (the kinds Pagefind reads), engine."""
