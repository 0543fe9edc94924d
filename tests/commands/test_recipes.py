"""Recipes that run: the commands of the CI files `init` writes, and of the guide's new-site
steps and hosting recipes, executed as written, in order, in a fresh clone of a site made
by `init`, with site-builder installed from this checkout.

How the checkout stands in for the published package: the one install line of each recipe
(`pip install "$SITE_BUILDER"`) gets `SITE_BUILDER` pointed at a copy of the checkout, and
pip is told (`PIP_NO_DEPS`) not to fetch the dependencies, which this test's own
interpreter already has (on `PYTHONPATH`): no network is needed. `pip` itself comes from a
fresh virtual environment, as `actions/setup-python` or a `python:3.12` image give one.
Commands that need a remote server (`aws s3 sync`, `rsync` to a web server) are listed in
`NEEDS_A_SERVER`; any other command of a recipe is run.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from site_builder.commands.init import init_site
from site_builder.content.site_starter import GITHUB_WORKFLOW, GITLAB_CI
from tests.support.git import commit, git, make_repo
from tests.support.sites import REPO_ROOT

GUIDE = REPO_ROOT / "docs/guide.md"
REQUIREMENT = f"site-builder=={metadata.version('site-builder')}"
#: What GitHub gives the workflow's `${{ … }}` expressions that its run steps read.
EXPRESSIONS = {"steps.pages.outputs.base_url": "https://owner.github.io/alder-plans"}
#: What pip needs of the checkout to install it.
PACKAGE_FILES = {"pyproject.toml", "README.md", "site_builder", "themes"}
#: Lines of the guide's recipes that only a remote server can run.
NEEDS_A_SERVER = {
    "pip install awscli && aws s3 sync output/ s3://plans-example-gov/ --delete",
    "rsync -a --delete output/ webserver:/var/www/safety-plans/",
}


@dataclass(frozen=True)
class Machine:
    """A CI machine in miniature: a fresh Python environment with pip, and a home."""

    bin: Path
    home: Path
    package: Path  # the copy of this checkout that `SITE_BUILDER` names

    def env(self, recipe: dict[str, str]) -> dict[str, str]:
        """The recipe's variables, with `SITE_BUILDER` the checkout, on this machine."""
        base = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("GIT_", "PIP_", "VIRTUAL_ENV", "PYTHON"))
        }
        return {
            **base,
            **recipe,
            "SITE_BUILDER": str(self.package),
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "PYTHONPATH": sysconfig.get_paths()["purelib"],  # the dependencies, no network
            "PIP_NO_DEPS": "1",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "HOME": str(self.home),
            "GIT_CONFIG_GLOBAL": str(self.home / ".gitconfig"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "CI": "true",
        }

    def run(self, script: str, cwd: Path, recipe: dict[str, str]) -> str:
        """Run `script` as GitHub runs a step (`bash -eo pipefail`); what it printed."""
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=cwd,
            env=self.env(recipe),
            capture_output=True,
            text=True,
            check=False,
        )
        printed = done.stdout + done.stderr
        assert done.returncode == 0, f"{script}\n{printed}"
        assert "Traceback" not in printed, printed
        return printed


@pytest.fixture(scope="module")
def machine(tmp_path_factory: pytest.TempPathFactory) -> Machine:
    top = tmp_path_factory.mktemp("machine")
    package = top / "site-builder"
    ignored = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    shutil.copytree(
        REPO_ROOT,
        package,
        ignore=lambda folder, names: [
            *ignored(folder, names),
            *(n for n in names if folder == str(REPO_ROOT) and n not in PACKAGE_FILES),
        ],
    )
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", top / "env"], check=True)
    pip = top / "env/bin/pip"  # pip from the dependencies on PYTHONPATH, into this env
    pip.write_text('#!/bin/sh\nexec "$(dirname "$0")/python" -m pip "$@"\n')
    pip.chmod(0o755)
    home = top / "home"
    home.mkdir()
    (home / ".gitconfig").write_text(
        "[user]\n\tname = Site editor\n\temail = editor@example.org\n"
        "[init]\n\tdefaultBranch = main\n"
    )
    return Machine(top / "env/bin", home, package)


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A fresh clone of a site just made by `init` and committed, as CI checks it out."""
    site = make_repo(tmp_path / "alder-plans")
    init_site(site, dt.date(2026, 3, 2))
    commit(site, {}, "Start the site")
    git(tmp_path, "clone", "-q", str(site), "clone")
    return tmp_path / "clone"


def test_the_github_workflow_checks_builds_and_deploys_with_the_pages_actions(
    clone: Path, machine: Machine
) -> None:
    workflow = yaml.safe_load((clone / GITHUB_WORKFLOW).read_text(encoding="utf-8"))
    assert workflow[True]["push"] == {"branches": ["main"]}  # YAML 1.1 reads `on` as true
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert workflow["env"] == {"SITE_BUILDER": REQUIREMENT}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    actions = {step["uses"].split("@")[0]: step for step in build["steps"] if "uses" in step}
    assert actions["actions/checkout"]["with"] == {"fetch-depth": 0}
    assert "actions/setup-python" in actions and "actions/configure-pages" in actions
    assert (deploy["needs"], deploy["environment"]["name"]) == ("build", "github-pages")
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    runs = [step for step in build["steps"] if "run" in step]
    assert [step["run"] for step in runs] == [
        'pip install "$SITE_BUILDER"',
        "site-builder check",
        'site-builder build --strict --base-url "$BASE_URL"',
    ]
    for step in runs:
        variables = {**workflow["env"], **build.get("env", {}), **step.get("env", {})}
        machine.run(step["run"], clone, {k: _evaluated(v) for k, v in variables.items()})
    uploaded = clone / actions["actions/upload-pages-artifact"]["with"]["path"]
    _assert_published(uploaded, "https://owner.github.io/alder-plans/")
    assert git(clone, "status", "--porcelain", "--untracked-files=all") == ""


def test_the_gitlab_pages_job_builds_public_from_the_full_history(
    clone: Path, machine: Machine
) -> None:
    ci = yaml.safe_load((clone / GITLAB_CI).read_text(encoding="utf-8"))
    assert ci["variables"] == {"GIT_DEPTH": 0, "SITE_BUILDER": REQUIREMENT}
    job = ci["pages"]
    assert job["artifacts"] == {"paths": ["public"]}
    assert job["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    given = {"CI_PAGES_URL": "https://owner.gitlab.io/alder-plans", "CI_COMMIT_BRANCH": "main"}
    variables = {k: str(v) for k, v in ci["variables"].items()}
    for line in job["script"]:
        machine.run(line, clone, {**variables, **given})
    _assert_published(clone / "public", "https://owner.gitlab.io/alder-plans/")
    assert git(clone, "status", "--porcelain", "--untracked-files=all") == ""


def test_every_yaml_and_toml_example_of_the_guide_parses() -> None:
    parsed = {"yaml": 0, "toml": 0}
    for info, text, _ in _fences():
        if info == "yaml":
            assert yaml.safe_load(text) is not None, text
        elif info == "toml":
            assert tomllib.loads(text), text
        parsed[info] = parsed.get(info, 0) + 1
    assert parsed["yaml"] >= 4 and parsed["toml"] == 1


def test_the_guides_new_site_steps_run_and_show_what_it_says(
    tmp_path: Path, machine: Machine
) -> None:
    remote = make_repo(tmp_path / "github")  # stands for the empty repository on GitHub
    git(remote, "config", "receive.denyCurrentBranch", "ignore")
    blocks = [text for info, text, section in _fences() if section == "Start a new site"]
    script = "\n".join(blocks)
    assert REQUIREMENT in script, "the guide installs another version than this one"
    script = script.replace(REQUIREMENT, '"$SITE_BUILDER"').replace(
        "https://github.com/<owner>/<repository>.git", str(remote)
    )
    work = tmp_path / "work"
    work.mkdir()
    printed = machine.run(script, work, {})
    section = _section("Start a new site")
    for shown in re.findall(r"You see `([^`]+)`", section):
        for part in shown.split("…"):
            assert part.strip() in printed, f"the guide shows {shown!r}; it printed:\n{printed}"
    assert git(work / "safer-alder-bend", "status", "--porcelain") == ""
    assert git(remote, "log", "--format=%s", "main") == "Start the site\n"


def test_the_netlify_recipe_builds_the_publish_folder(clone: Path, machine: Machine) -> None:
    ((_, text, _),) = [f for f in _fences() if f[0] == "toml"]
    netlify = tomllib.loads(text)
    assert netlify["build"]["environment"]["SITE_BUILDER"] == REQUIREMENT
    given = {"URL": "https://alder-plans.netlify.app"}
    machine.run(netlify["build"]["command"], clone, {**netlify["build"]["environment"], **given})
    _assert_published(clone / netlify["build"]["publish"], "https://alder-plans.netlify.app/")


def test_the_s3_and_web_server_recipes_build_what_they_upload(
    clone: Path, tmp_path: Path, machine: Machine
) -> None:
    (steps,) = [
        yaml.safe_load(text) for _, text, heading in _fences() if heading.startswith("Amazon S3")
    ]
    assert steps[0] == {"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}}
    s3_lines = [step["run"] for step in steps if "run" in step]
    for line in s3_lines:
        if line not in NEEDS_A_SERVER:
            machine.run(line, clone, {})
    _assert_published(clone / "output", "https://plans.example.gov/")

    (block,) = [text for _, text, heading in _fences() if heading == "A city web server"]
    server_lines = block.splitlines()
    git(tmp_path, "clone", "-q", "--bare", str(clone), "plans.git")  # stands for the city's
    script = "\n".join(line for line in server_lines if line not in NEEDS_A_SERVER)
    (tmp_path / "server").mkdir()
    machine.run(
        script.replace("https://git.example.gov/plans.git", "../plans.git"), tmp_path / "server", {}
    )
    _assert_published(tmp_path / "server/plans/output", "https://www.example.gov/safety-plans/")
    # Each line left out is in the guide, and nothing else was left out.
    assert {*s3_lines, *server_lines} & NEEDS_A_SERVER == NEEDS_A_SERVER


def _evaluated(value: Any) -> str:
    """A workflow value with its `${{ … }}` expressions replaced by GitHub's values."""
    return re.sub(r"\$\{\{\s*(.+?)\s*\}\}", lambda m: EXPRESSIONS[m[1]], str(value))


def _assert_published(folder: Path, base_url: str) -> None:
    """The folder holds a built site whose canonical links name `base_url`."""
    home = BeautifulSoup((folder / "index.html").read_bytes(), "html.parser")
    canonical = home.find("link", rel="canonical")
    assert canonical is not None and canonical["href"] == base_url


def _fences() -> Iterator[tuple[str, str, str]]:
    """Each fenced block of the guide: its language, its text, and the heading above it."""
    heading = ""
    tokens = MarkdownIt().parse(GUIDE.read_text(encoding="utf-8"))
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            heading = tokens[index + 1].content
        elif token.type == "fence":
            yield token.info.strip(), token.content, heading


def _section(heading: str) -> str:
    """The guide's text under `## heading`, to the next heading of that level."""
    text = GUIDE.read_text(encoding="utf-8")
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
