"""Git to revisions to what changed: the one runner of git, the reading of every
revision, the prose and field diffs. Imports engine, errors."""
