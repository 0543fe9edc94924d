"""The text of a new site for `site-builder init` (`commands/init.py` decides where it
goes and writes it): settings, the editors' README, the `.gitignore` of everything a build
writes, and the CI files that publish on GitHub Pages and GitLab Pages.

Decision: a new site builds with `--strict` as written. Its example items (one of each
kind, in `example_content.py`) are fictional but real-looking text, marked as examples in
comments and titles, never with the «edit me» placeholders of `site-builder new`: those
are for a file an author has just started, and they stop a strict build.

Decision: the CI files install site-builder from one line, the `SITE_BUILDER` variable (a
pip requirement, pinned), so that a site builds the same way until someone changes that
line, and a test can point it at a checkout.
"""

from __future__ import annotations

import datetime as dt
import json

from .example_content import example_files

#: Everything a build, a preview or a publish writes inside the site folder: the output
#: (`output/`, or `public/` as GitLab Pages wants it), the staging folder, lock and
#: retired copies beside it (`output/writer.py`, `output/folders.py`) and the cache
#: (`engine/cache.py:CACHE_FOLDER`).
BUILD_STATE = ("/output/", "/.output.*", "/public/", "/.public.*", "/.site-builder-cache/")

GITIGNORE = (
    "# What site-builder writes when it builds: made again from the files above, never\n"
    "# committed.\n" + "".join(f"{line}\n" for line in BUILD_STATE)
)

GITHUB_WORKFLOW = ".github/workflows/pages.yml"
GITLAB_CI = ".gitlab-ci.yml"


def site_files(title: str, requirement: str, today: dt.date) -> dict[str, str]:
    """Every file of a new site, by its path in the site folder."""
    return {
        "site.yaml": site_yaml(title),
        ".gitignore": GITIGNORE,
        "README.md": editors_readme(title),
        GITHUB_WORKFLOW: github_workflow(requirement),
        GITLAB_CI: gitlab_ci(requirement),
        **example_files(today),
    }


def site_yaml(title: str) -> str:
    """The settings, each explained; the optional ones switched off with a '#'."""
    return f"""\
# The settings of this site. Each line is explained after its '#'. A line that starts
# with '#' is switched off: delete the '#' to use it.

title: {json.dumps(title, ensure_ascii=False)}  # the site's name, shown on every page
language: en  # the language of the content, like en or es
# languages: [en, es]
#   For a site in more than one language: the first is the language of the content, the
#   others those of the translations beside it (plan.es.md beside plan.md).
# description: One sentence about the site, for search engines.
# organization: Who publishes the site
# organization_url: https://www.example.gov/

# base_url: https://www.example.gov/safety-plans/
#   The address the site is published at. Leave it out when publishing with the CI
#   files of this folder: they give the address of your GitHub or GitLab Pages site.

# Who held which office when: each revision of a plan is then labelled with who held
# office on that day. Leave out 'end' while the term lasts, and 'city' for an office
# over every plan.
# administrations:
#   - office: Mayor
#     name: Full name
#     city: Alder Bend
#     start: 2024-01-08
"""


def editors_readme(title: str) -> str:
    """The README of the site's repository: for the people who edit it."""
    return f"""\
# {title}

The text of a website of living public plans. Every file here is plain text: edit it in
any text editor or in your git host's web editor, commit, and the site is rebuilt and
published from these files, with every revision of every plan.

## What is where

| file or folder | what it holds |
| --- | --- |
| `site.yaml` | the site's name and settings |
| `content/plans/<plan>/plan.md` | a plan: its fields, then its text |
| `content/plans/<plan>/updates/` | the plan's outcome updates |
| `content/fellows/`, `content/convenings/` | fellowship profiles and convenings |
| `content/pages/` | pages of your own, such as `about.md` |
| `static/` | images and documents, published as they are |
| `{GITHUB_WORKFLOW}`, `{GITLAB_CI}` | how GitHub or GitLab publishes the site |

The files under `content/` that say *Example* are fictional examples, one of each kind:
rewrite them as your own or delete them.

## Edit, preview, check, commit

```sh
site-builder new plan riverton   # start a file with every field explained
site-builder serve               # preview at http://127.0.0.1:8000/ while you write
site-builder check               # every mistake, as file:line: what to fix
git add -A && git commit         # the message is published as the change note
```

## Publishing

Each push to `main` runs `{GITHUB_WORKFLOW}` on GitHub (once, in the repository's
*Settings › Pages*, choose *Source: GitHub Actions*) or `{GITLAB_CI}` on GitLab. Both
install site-builder from the line `SITE_BUILDER:` near their top; change its version to
upgrade. What a build writes here (`output/`, `.site-builder-cache/` and the rest) is
listed in `.gitignore` and never committed.
"""


def github_workflow(requirement: str) -> str:
    """Build, check and deploy with GitHub's own Pages actions, from the full history."""
    return f"""\
# Publishes the site on GitHub Pages at every push to main. Once, in the repository's
# Settings > Pages, choose "Source: GitHub Actions".
name: Publish the site
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:  # one publication at a time, and none cancelled halfway
  group: pages
  cancel-in-progress: false
env:
  # How site-builder is installed: a pip requirement, pinned so that the site builds the
  # same way until this line changes. To upgrade, change the version.
  SITE_BUILDER: {json.dumps(requirement)}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # the full history: every revision of every plan
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - id: pages
        uses: actions/configure-pages@v5
      - run: pip install "$SITE_BUILDER"
      - run: site-builder check
      - run: site-builder build --strict --base-url "$BASE_URL"
        env:
          BASE_URL: ${{{{ steps.pages.outputs.base_url }}}}/
      - uses: actions/upload-pages-artifact@v3
        with:
          path: output/
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def gitlab_ci(requirement: str) -> str:
    """Build and check into `public/`, the folder GitLab Pages publishes."""
    return f"""\
# Publishes the site on GitLab Pages at every push to the default branch.
variables:
  GIT_DEPTH: 0  # the full history: every revision of every plan
  # How site-builder is installed: a pip requirement, pinned so that the site builds the
  # same way until this line changes. To upgrade, change the version.
  SITE_BUILDER: {json.dumps(requirement)}
pages:
  image: python:3.12  # with git, which the plan histories are read from
  script:
    - pip install "$SITE_BUILDER"
    - site-builder check
    - site-builder build --strict --output public --base-url "$CI_PAGES_URL/"
  artifacts:
    paths:
      - public
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""
