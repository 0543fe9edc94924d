"""`site-builder init`: a new site that builds with --strict, checks clean, leaves git
status clean after a build, and never overwrites a file."""

from __future__ import annotations

import datetime as dt
from importlib import metadata
from pathlib import Path

import yaml

from site_builder.commands.init import init_site
from site_builder.content import kinds
from site_builder.content.load import load_content
from site_builder.content.site_starter import GITHUB_WORKFLOW, GITLAB_CI
from site_builder.content.starter import EDIT_ME
from site_builder.engine.cache import CACHE_FOLDER
from site_builder.output.writer import OutputWriter
from tests.support.fixtures import TreeDigest
from tests.support.git import commit, git, make_repo
from tests.support.sites import run_cli

TODAY = dt.date(2026, 3, 2)


def test_a_new_site_has_settings_examples_of_every_kind_and_ci_files(tmp_path: Path) -> None:
    site = tmp_path / "safer-alder-bend"
    written = init_site(site, TODAY)
    assert {"site.yaml", ".gitignore", "README.md", GITHUB_WORKFLOW, GITLAB_CI} <= set(written)
    assert sorted(written) == sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
    )
    settings = yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))
    assert settings == {"title": "Safer alder bend", "language": "en"}
    content = load_content(site)
    for kind in kinds.KINDS:  # one example of each kind, marked as one, no placeholder
        (item,) = content.of(kind.name)
        text = (site / item.path).read_text(encoding="utf-8")
        assert text.startswith("---\n# Example written by 'site-builder init'"), item.path
        assert "(example)" in (getattr(item, "title", None) or item.name)
    for path in written:
        assert EDIT_ME not in (site / path).read_text(encoding="utf-8"), path


def test_a_new_site_builds_strict_checks_clean_and_leaves_git_status_clean(
    tmp_path: Path,
) -> None:
    site = tmp_path / "plans"
    result = run_cli("init", str(site))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Created a new site in {site}: 10 files")
    make_repo(site)
    commit(site, {}, "Start the site")
    for command in (["build", "--strict"], ["check"], ["build", "--output", "public"]):
        done = run_cli(*command, cwd=site)
        assert done.returncode == 0, done.stderr
        assert "warning" not in done.stderr, done.stderr
    assert (site / "output/index.html").is_file() and (site / "public/index.html").is_file()
    assert git(site, "status", "--porcelain", "--untracked-files=all") == ""
    ignored = git(site, "status", "--porcelain", "--ignored", "--untracked-files=normal")
    assert ignored.splitlines() == sorted(ignored.splitlines())
    assert {line.removeprefix("!! ").rstrip("/") for line in ignored.splitlines()} >= {
        "output",
        "public",
        ".site-builder-cache",
        ".output.lock",
    }


def test_the_gitignore_covers_every_path_a_build_writes_beside_its_content(
    tmp_path: Path,
) -> None:
    site = make_repo(tmp_path / "site")
    init_site(site, TODAY)
    folders, files = [CACHE_FOLDER], []
    for output in ("output", "public"):  # the default, and GitLab Pages' folder
        writer = OutputWriter(site / output)
        folders += [output, writer.staging.name, f".{output}.retired", f".{output}.trash"]
        files.append(writer.lock_path.name)  # the names output/writer.py and folders.py use
    for folder in folders:
        (site / folder).mkdir()
    for file in files:
        (site / file).touch()
    state = [*folders, *files]
    assert git(site, "check-ignore", *state).splitlines() == state
    assert git(site, "check-ignore", "site.yaml", "content/x.md", check=False) == ""


def test_init_refuses_to_overwrite_and_writes_nothing(
    tmp_path: Path, tree_digest: TreeDigest
) -> None:
    site = tmp_path / "old"
    site.mkdir()
    (site / "README.md").write_text("Our own README\n", encoding="utf-8")
    (site / "content/plans").mkdir(parents=True)
    before = tree_digest(site)
    result = run_cli("init", cwd=site)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "site-builder: .: README.md already exists; init never overwrites a file: give it a "
        "new or empty folder, like 'site-builder init my-plans'"
    ]
    assert tree_digest(site) == before


def test_init_names_a_file_given_as_its_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = run_cli("init", "notes.txt", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        "site-builder: notes.txt is a file; give init a folder, new or empty\n",
    )


def test_the_ci_files_install_one_pinned_requirement(tmp_path: Path) -> None:
    init_site(tmp_path / "pinned", TODAY)
    init_site(tmp_path / "own", TODAY, "git+https://git.example.gov/site-builder.git@v0.1.0")
    for name, requirement in [
        ("pinned", f"site-builder=={metadata.version('site-builder')}"),
        ("own", "git+https://git.example.gov/site-builder.git@v0.1.0"),
    ]:
        workflow = yaml.safe_load((tmp_path / name / GITHUB_WORKFLOW).read_text())
        gitlab = yaml.safe_load((tmp_path / name / GITLAB_CI).read_text())
        assert workflow["env"] == {"SITE_BUILDER": requirement}
        assert gitlab["variables"]["SITE_BUILDER"] == requirement
        runs = [s["run"] for s in workflow["jobs"]["build"]["steps"] if "run" in s]
        assert [r for r in [*runs, *gitlab["pages"]["script"]] if "pip" in r] == [
            'pip install "$SITE_BUILDER"'
        ] * 2
