"""Reading plan history from real git repositories, checked against `git log --follow`."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.history.reading import Revision, read_history
from tests.support.git import commit, git, head, log_follow, make_repo, merge

RIVERTON = "content/plans/riverton/plan.md"
RIVERTON_FLAT = "content/plans/riverton.md"
ZOE = ("Zoë Ngụyễn", "zoe@example.org")
JOSE = ("José Álvarez", "jose@example.org")


def text(name: str, changes: dict[int, str] | None = None) -> str:
    """Ten lines that only `name`'s plan has (so git never takes one plan for a copy of
    another); `changes` rewrites some of them, far enough apart to merge cleanly."""
    lines = [f"{name}: paragraph {n} of the plan for {name}, street by street." for n in range(10)]
    for number, words in (changes or {}).items():
        lines[number] = f"{name}: paragraph {number} now says {words}."
    return "\n".join(lines) + "\n"


def days() -> Iterator[str]:
    """One commit date a day, so git's log order is the order the test wrote them in."""
    start = dt.datetime(2024, 1, 1, 10, tzinfo=dt.UTC)
    return ((start + dt.timedelta(days=n)).isoformat() for n in itertools.count())


def commits_of(revisions: tuple[Revision, ...]) -> list[str]:
    """Commit ids newest first, the order `git log` prints them in."""
    return [revision.commit for revision in reversed(revisions)]


def test_renames_and_merges_are_followed_as_git_log_follow_does(repo: Path) -> None:
    date = days()
    lakeside, lake_shore = "content/plans/lakeside/plan.md", "content/plans/lake-shore/plan.md"
    commit(
        repo,
        {RIVERTON_FLAT: text("riverton"), "content/plans/lake/plan.md": text("lake")},
        "Start two plans",
        date=next(date),
    )
    commit(repo, {RIVERTON_FLAT: text("riverton", {1: "one"})}, "Edit", date=next(date))
    moved = commit(
        repo,
        {RIVERTON_FLAT: None, RIVERTON: text("riverton", {1: "one"})},
        "Move the plan into its own folder",
        date=next(date),
    )
    commit(
        repo,
        {"content/plans/lake/plan.md": None, lakeside: text("lake", {0: "renamed"})},
        "Rename and edit",
        date=next(date),
    )
    # A clean merge: the plan changed on one branch only.
    git(repo, "switch", "-q", "-c", "one-side")
    commit(repo, {RIVERTON: text("riverton", {1: "one", 2: "side"})}, "Side", date=next(date))
    git(repo, "switch", "-q", "main")
    commit(repo, {lakeside: text("lake", {0: "renamed", 5: "main"})}, "Main", date=next(date))
    merges = [merge(repo, "one-side", "Merge one side", date=next(date))]
    # The plan changed on both branches, merged without a conflict.
    git(repo, "switch", "-q", "-c", "both-sides")
    commit(repo, {RIVERTON: text("riverton", {1: "one", 2: "side", 8: "b"})}, "B", date=next(date))
    git(repo, "switch", "-q", "main")
    commit(repo, {RIVERTON: text("riverton", {1: "one", 2: "side", 5: "m"})}, "M", date=next(date))
    merges.append(merge(repo, "both-sides", "Merge both sides", date=next(date)))
    # Both branches changed the same line: a conflict resolved by hand.
    resolved = text("riverton", {1: "one", 2: "side", 5: "m", 8: "b", 3: "both"})
    git(repo, "switch", "-q", "-c", "conflict")
    commit(
        repo,
        {RIVERTON: text("riverton", {1: "one", 2: "side", 5: "m", 8: "b", 3: "x"})},
        "X",
        date=next(date),
    )
    git(repo, "switch", "-q", "main")
    commit(
        repo,
        {RIVERTON: text("riverton", {1: "one", 2: "side", 5: "m", 8: "b", 3: "y"})},
        "Y",
        date=next(date),
    )
    merges.append(merge(repo, "conflict", "Resolve", {RIVERTON: resolved}, date=next(date)))
    # A branch whose change the merge throws away.
    git(repo, "switch", "-q", "-c", "discarded")
    thrown_away = commit(
        repo, {RIVERTON: text("riverton", {7: "never"})}, "Thrown away", date=next(date)
    )
    git(repo, "switch", "-q", "main")
    git(
        repo,
        "merge",
        "-q",
        "--no-ff",
        "-s",
        "ours",
        "-m",
        "Keep ours",
        "discarded",
        date=next(date),
    )
    merges.append(head(repo))
    # A move on a branch while main keeps editing the file under its old name.
    git(repo, "switch", "-q", "-c", "move")
    commit(
        repo,
        {lakeside: None, lake_shore: text("lake", {0: "renamed", 5: "main"})},
        "Move lakeside",
        date=next(date),
    )
    git(repo, "switch", "-q", "main")
    late_edit = commit(
        repo,
        {lakeside: text("lake", {0: "renamed", 5: "main", 9: "late"})},
        "Edit under the old name",
        date=next(date),
    )
    merges.append(merge(repo, "move", "Merge the move", date=next(date)))
    assert (repo / lake_shore).read_text() == text("lake", {0: "renamed", 5: "main", 9: "late"})

    history = read_history(repo, [RIVERTON, lake_shore])

    assert history.state == "full" and history.git_processes == 3
    for plan in (RIVERTON, lake_shore):
        assert commits_of(history.revisions[plan]) == log_follow(repo, plan)
    listed = {r.commit for revisions in history.revisions.values() for r in revisions}
    assert not listed & set(merges)  # --follow lists no merge commit,
    assert moved in listed and thrown_away in listed  # pure renames, and every branch,
    assert late_edit not in listed  # but follows one name at a time, in log order
    assert [r.path for r in history.revisions[RIVERTON][:3]] == [RIVERTON_FLAT] * 2 + [RIVERTON]


def authored_history(repo: Path) -> list[tuple[str, str]]:
    """A plan edited by several people with notable messages; (commit, text) oldest first."""
    make_repo(repo)
    steps = [
        (ZOE, "2024-03-01T09:30:00+02:00", "Première version — «brouillon»", RIVERTON_FLAT),
        (JOSE, "2024-03-02T09:30:00-05:00", "Move the plan into its own folder", RIVERTON),
        (
            ("jane.doe@example.org", "jane.doe@example.org"),
            "2024-03-03T10:00:00+00:00",
            "Adopt <b>the</b> plan\n\nCouncil adopted it <script>alert(1)</script> today.\n\n"
            "Signed-off-by: Jane Doe <jane.doe@example.org>",
            RIVERTON,
        ),
        (
            ("Sam Okafor sam@example.org", "sam@example.org"),
            "2024-03-04T10:00:00+00:00",
            "Fix a typo\n\nChange-Type: minor",
            RIVERTON,
        ),
        (("x_y+z@example.org", "x@example.org"), "2024-03-05T10:00:00+00:00", "", RIVERTON),
        (
            ("-", "dash@example.org"),
            "2024-03-06T10:00:00+00:00",
            "Lower the target\n\nWrite to ops@example.org with questions.\n\nchange-type : MINOR",
            RIVERTON,
        ),
        (
            ("Ops (ops@example.org)", "ops@example.org"),
            "2024-03-07T10:00:00+00:00",
            "Change-Type: minor",
            RIVERTON,
        ),
        (ZOE, "2024-03-08T10:00:00+00:00", "Raise the target\n\nChange-Type: major", RIVERTON),
    ]
    made = []
    for number, (author, date, message, path) in enumerate(steps):
        version = text("riverton", {1: str(number)})
        files: dict[str, str | None] = {path: version}
        if path != RIVERTON_FLAT and (repo / RIVERTON_FLAT).exists():
            files[RIVERTON_FLAT] = None  # the move, with an edit
        made.append((commit(repo, files, message, author=author, date=date), version))
    commit(
        repo,
        {"site.yaml": "title: Test\n"},
        "Configure",
        author=ZOE,
        date="2024-03-09T08:00:00+09:00",
    )
    return made


def test_revisions_carry_message_author_date_and_content(tmp_path: Path) -> None:
    made = authored_history(tmp_path)

    history = read_history(tmp_path, [RIVERTON])

    revisions = history.revisions[RIVERTON]
    assert [(r.commit, r.raw) for r in revisions] == [(c, v.encode()) for c, v in made]
    assert commits_of(revisions) == log_follow(tmp_path, RIVERTON)
    assert [r.author for r in revisions] == [
        "Zoë Ngụyễn",
        "José Álvarez",
        "Jane Doe",
        "Sam Okafor",
        "X Y Z",
        "Unnamed contributor",
        "Ops",
        "Zoë Ngụyễn",
    ]
    assert [r.minor for r in revisions] == [False, False, False, True, False, True, False, False]
    assert [r.subject for r in revisions][:3] == [
        "Première version — «brouillon»",
        "Move the plan into its own folder",
        "Adopt <b>the</b> plan",
    ]
    assert revisions[2].body == (
        "Council adopted it <script>alert(1)</script> today.\n\nSigned-off-by: Jane Doe"
    )
    assert (revisions[4].subject, revisions[4].body) == ("", "")
    assert revisions[5].body.startswith("Write to [address removed] with questions.")
    assert revisions[6].subject == "Change-Type: minor"  # a subject is never a trailer
    for revision in revisions:
        assert "@" not in revision.author + revision.subject + revision.body
        assert (
            revision.blob
            == git(tmp_path, "rev-parse", f"{revision.commit}:{revision.path}").strip()
        )
    assert [r.path for r in revisions[:2]] == [RIVERTON_FLAT, RIVERTON]
    assert revisions[0].date.isoformat() == "2024-03-01T09:30:00+02:00"
    assert revisions[1].date.isoformat() == "2024-03-02T09:30:00-05:00"
    assert history.head_date == dt.datetime.fromisoformat("2024-03-09T08:00:00+09:00")
    assert history.head_date.utcoffset() == dt.timedelta(hours=9)


def test_last_modified_covers_every_committed_file_under_content(repo: Path) -> None:
    commit(
        repo,
        {
            RIVERTON: text("riverton"),
            "content/fellows/old-name.md": text("ana"),
            "content/images/map.png": b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\xff",
            "content/pages/café au lait.md": "Non-ASCII, with spaces.\n",
            "content/pages/gone.md": "Soon deleted.\n",
            "README.md": "Not content.\n",
        },
        "Start",
        date="2024-01-01T10:00:00+02:00",
    )
    commit(
        repo,
        {
            "content/plans/riverton/updates/2024-h1.md": text("update"),
            "content/pages/gone.md": None,
        },
        "Update",
        date="2024-02-01T10:00:00-05:00",
    )
    commit(
        repo,
        {"content/fellows/old-name.md": None, "content/fellows/new-name.md": text("ana")},
        "Rename a fellow",
        date="2024-03-01T10:00:00+00:00",
    )
    commit(repo, {"README.md": "Still not content.\n"}, "Readme", date="2024-04-01T10:00:00Z")

    history = read_history(repo, [RIVERTON])

    files = sorted(
        p.relative_to(repo).as_posix() for p in (repo / "content").rglob("*") if p.is_file()
    )
    assert len(files) == 5
    for path in files:
        expected = git(repo, "log", "-1", "--format=%aI", "--", path).strip()
        assert history.last_modified[path] == dt.datetime.fromisoformat(expected), path
    assert history.last_modified["content/fellows/new-name.md"].month == 3
    assert "README.md" not in history.last_modified


def test_site_in_a_subfolder_of_the_repository(repo: Path) -> None:
    münster = "content/plans/münster/plan.md"
    date = days()
    commit(
        repo,
        {
            "content/plans/decoy/plan.md": text("decoy"),
            f"sité/{RIVERTON_FLAT}": text("riverton"),
            f"sité/{münster}": text("münster"),
        },
        "Start",
        date=next(date),
    )
    commit(
        repo,
        {f"sité/{RIVERTON_FLAT}": None, f"sité/{RIVERTON}": text("riverton")},
        "Move",
        date=next(date),
    )
    commit(
        repo,
        {
            "content/plans/decoy/plan.md": text("decoy", {1: "x"}),
            f"sité/{münster}": text("münster", {1: "y"}),
        },
        "Edit both",
        date=next(date),
    )
    site = repo / "sité"

    history = read_history(site, [RIVERTON, münster])

    for plan in (RIVERTON, münster):
        assert commits_of(history.revisions[plan]) == log_follow(site, plan)
    assert [r.path for r in history.revisions[RIVERTON]] == [RIVERTON_FLAT, RIVERTON]
    assert history.revisions[münster][-1].raw == text("münster", {1: "y"}).encode()
    assert set(history.last_modified) == {RIVERTON, RIVERTON_FLAT, münster}


def make_linear(repo: Path, revisions: int) -> list[str]:
    make_repo(repo)
    date = days()
    return [
        commit(repo, {RIVERTON: text("riverton", {1: str(n)})}, f"Revision {n}", date=next(date))
        for n in range(revisions)
    ]


def test_git_processes_do_not_grow_with_the_history(tmp_path: Path, git_calls: Path) -> None:
    counted = {}
    for revisions in (8, 32):
        repo = tmp_path / f"site-{revisions}"
        make_linear(repo, revisions)
        git_calls.write_text("")
        history = read_history(repo, [RIVERTON])
        assert len(history.revisions[RIVERTON]) == revisions
        counted[revisions] = (history.git_processes, len(git_calls.read_text().splitlines()))
    assert counted[8] == counted[32] == (3, 3)


def test_translations_get_their_commits_in_the_same_git_processes(
    tmp_path: Path, git_calls: Path
) -> None:
    """A translation edited with every other revision of its plan: its commits listed and
    its newest text read, the git processes as many as for the plan alone."""
    spanish = RIVERTON.replace("plan.md", "plan.es.md")
    counted = {}
    for revisions in (8, 32):
        repo = make_repo(tmp_path / f"site-{revisions}")
        date = days()
        made = [
            commit(
                repo,
                {RIVERTON: text("riverton", {1: str(n)})}
                | ({spanish: text("río", {2: str(n)})} if n % 2 else {}),
                f"Revision {n}",
                date=next(date),
            )
            for n in range(revisions)
        ]
        git_calls.write_text("")
        history = read_history(repo, [RIVERTON], logged=[spanish])
        log = history.logs[spanish]
        assert [c.commit for c in log.commits] == made[1::2]
        assert log.text == text("río", {2: str(revisions - 1)}).encode()
        assert [history.order[c] for c in made] == list(range(revisions))
        assert spanish not in history.revisions
        counted[revisions] = (history.git_processes, len(git_calls.read_text().splitlines()))
    assert counted[8] == counted[32] == (3, 3)


def test_shallow_clone_is_marked_and_read(tmp_path: Path) -> None:
    made = make_linear(tmp_path / "origin", 5)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", (tmp_path / "origin").as_uri(), str(clone))

    history = read_history(clone, [RIVERTON])

    assert history.state == "shallow"
    assert commits_of(history.revisions[RIVERTON]) == log_follow(clone, RIVERTON) == made[:2:-1]
    assert history.revisions[RIVERTON][0].raw == text("riverton", {1: "3"}).encode()
    assert history.head_date is not None and history.git_processes == 3


def test_folder_without_git_is_absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "site").mkdir()

    history = read_history(tmp_path / "site", [RIVERTON])

    assert history.state == "absent" and "no .git folder" in history.reason
    assert history.revisions == {RIVERTON: ()} and history.last_modified == {}
    assert history.head_date is None and history.git_processes == 1


def test_missing_git_program_is_absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_linear(tmp_path, 1)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))

    history = read_history(tmp_path, [RIVERTON])

    assert history.state == "absent" and "git is not installed" in history.reason
    assert history.git_processes == 0


def test_repository_without_commits_is_full_and_empty(repo: Path) -> None:
    history = read_history(repo, [RIVERTON])

    assert (history.state, history.revisions, history.last_modified, history.head_date) == (
        "full",
        {RIVERTON: ()},
        {},
        None,
    )
    assert history.git_processes == 1


def test_recreated_plan_starts_its_history_again(repo: Path) -> None:
    """Unlike `git log --follow`, a plan deleted and created anew has none of the old
    file's revisions: it is another plan that happens to have the same name."""
    date = days()
    commit(repo, {RIVERTON: text("riverton")}, "Old plan", date=next(date))
    commit(repo, {RIVERTON: None}, "Retire it", date=next(date))
    recreated = [
        commit(repo, {RIVERTON: text("newton")}, "New plan", date=next(date)),
        commit(repo, {RIVERTON: text("newton", {1: "x"})}, "Edit", date=next(date)),
    ]

    history = read_history(repo, [RIVERTON])

    assert commits_of(history.revisions[RIVERTON]) == recreated[::-1]
    assert len(log_follow(repo, RIVERTON)) == 4


def test_copied_plan_does_not_take_the_original_history(repo: Path) -> None:
    """`git log --follow` looks for copies too, so a plan started from another plan's file
    would show that plan's history; here it starts at its own first commit."""
    copy = "content/plans/copy/plan.md"
    date = days()
    commit(repo, {RIVERTON: text("riverton")}, "Riverton", date=next(date))
    commit(repo, {RIVERTON: text("riverton", {1: "x"})}, "Edit", date=next(date))
    started = commit(
        repo, {copy: text("riverton", {1: "x"})}, "Start from Riverton's", date=next(date)
    )

    history = read_history(repo, [copy, RIVERTON])

    assert commits_of(history.revisions[copy]) == [started]
    assert log_follow(repo, copy)[1:] == log_follow(repo, RIVERTON)
    assert len(history.revisions[RIVERTON]) == 2


def test_out_of_order_dates_and_detached_head(repo: Path) -> None:
    dates = ["2024-05-01T10:00:00+00:00", "2024-03-01T10:00:00+00:00", "2024-04-01T10:00:00-05:00"]
    made = [commit(repo, {RIVERTON: text("riverton", {1: d})}, d, date=d) for d in dates]

    history = read_history(repo, [RIVERTON])
    assert [r.commit for r in history.revisions[RIVERTON]] == made
    assert [r.date.isoformat() for r in history.revisions[RIVERTON]] == dates

    git(repo, "switch", "-q", "--detach", made[1])
    history = read_history(repo, [RIVERTON])
    assert [r.commit for r in history.revisions[RIVERTON]] == made[:2]
    assert history.head_date == dt.datetime.fromisoformat(dates[1])


def test_missing_blob_leaves_its_revision_out(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An object the clone does not have (a partial clone, a damaged repository) costs that
    revision, with a warning, never the build."""
    made = make_linear(tmp_path, 3)
    blob = git(tmp_path, "rev-parse", f"{made[0]}:{RIVERTON}").strip()
    (tmp_path / ".git/objects" / blob[:2] / blob[2:]).unlink()

    history = read_history(tmp_path, [RIVERTON])

    assert [r.commit for r in history.revisions[RIVERTON]] == made[1:]
    assert "1 of 3 plan versions are missing" in caplog.text
