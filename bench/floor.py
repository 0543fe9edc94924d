"""The Python floor: the least any Python generator must do for one HTML page per Markdown
page, to measure site-builder against.

    python bench/floor.py SITE OUTPUT [--processes 2]

For each `content/pages/*.md`: read it, split the front matter, load it with libyaml's
`CSafeLoader`, render the Markdown with markdown-it-py (CommonMark and tables), fill one
compiled Jinja2 template, write `OUTPUT/<page>/index.html`. No validation, no links made
relative, no sitemap, nothing else. The pages are shared out among forked processes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }}</title>
<meta name="description" content="{{ description }}"></head>
<body><header><a href="/">Home</a></header>
<main><h1>{{ title }}</h1>
{{ body }}
</main>
<footer>A benchmark page.</footer>
</body>
</html>
"""


def render_all(paths: list[Path], output: Path) -> None:
    """Everything one process does for its share of the pages."""
    markdown = MarkdownIt("commonmark").enable("table")
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    for path in paths:
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        fields = yaml.load(front, Loader=yaml.CSafeLoader)
        html = template.render(
            title=fields["title"],
            description=fields.get("description"),
            body=jinja2.utils.markupsafe.Markup(markdown.render(body)),
        )
        folder = output / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(html, encoding="utf-8")


def floor(site: Path, output: Path, processes: int = 2) -> float:
    """Seconds to build the pages of `site` into `output` with `processes` processes."""
    started = time.perf_counter()
    paths = sorted((site / "content/pages").glob("*.md"))
    shares = [paths[index::processes] for index in range(processes)]
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=render_all, args=(share, output)) for share in shares]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
        if worker.exitcode != 0:
            raise SystemExit("the floor build failed")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    seconds = floor(args.site, args.output, args.processes)
    print(f"{seconds:.2f} s")


if __name__ == "__main__":
    main()
