"""Git to revisions to what changed: the one runner of git (`git`), what `git log` says
(`log`), the reading of every revision (`reading`) and what of a commit may be published
(`publishable`), the prose diff (`prose_diff`, and `redline`'s alignment of blocks), the
field diff (`field_diff`) and the words for a change (`wording`). Imports engine."""
