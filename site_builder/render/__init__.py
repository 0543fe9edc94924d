"""Pages to bytes: the theme's templates and the one configured Markdown renderer, and
the check of the links written in content. Imports site, content, engine, errors."""
