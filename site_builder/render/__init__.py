"""Pages to bytes: the Jinja environment over the theme's templates, the one configured
Markdown renderer, and the check of the links written in content. Imports site, history
(the words for a value), content, engine."""
