"""Time site-builder on a generated network-scale repository.

    python bench/run.py            # 200 plans × 40 revisions, 1,000 updates, 300 fellows
    python bench/run.py --quick    # a smaller corpus, same figures, well under two minutes

Prints, for one run: the cold build (no cache, no output), the warm build (nothing
changed), the build after one committed edit to one plan, the number of git processes
each build started, peak memory and pages per second. Builds run as separate processes,
as a user runs them; git processes are counted by a `git` wrapper put first on PATH.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WRAPPER = """#!/bin/sh
echo "$*" >> "{log}"
exec "{git}" "$@"
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--revisions", type=int, default=40)
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--fellows", type=int, default=300)
    parser.add_argument("--convenings", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="50 plans × 10 revisions")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    if args.quick:
        args.plans, args.revisions, args.updates, args.fellows = 50, 10, 150, 60

    work = Path(tempfile.mkdtemp(prefix="site-builder-bench-"))
    repo = args.keep or work / "site"
    try:
        started = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / "make_history_repo.py"), str(repo),
                        "--plans", str(args.plans), "--revisions", str(args.revisions),
                        "--updates", str(args.updates), "--fellows", str(args.fellows),
                        "--convenings", str(args.convenings)], check=True)
        print(f"corpus: {args.plans} plans × {args.revisions} revisions, {args.updates} "
              f"updates, {args.fellows} fellows, {args.convenings} convenings "
              f"(generated in {time.perf_counter() - started:.1f} s)")
        shutil.rmtree(repo / ".site-builder-cache", ignore_errors=True)
        shutil.rmtree(repo / "output", ignore_errors=True)
        report("cold build", *timed_build(repo, work))
        report("warm build", *timed_build(repo, work))
        edit_one_plan(repo)
        report("one-edit build", *timed_build(repo, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def timed_build(repo: Path, work: Path) -> tuple[float, int, int, float]:
    """(seconds, pages, git processes, peak MiB) of one `site-builder build`."""
    log = work / "git.log"
    log.write_text("")
    shims = work / "bin"
    shims.mkdir(exist_ok=True)
    real_git = shutil.which("git") or "git"
    shim = shims / "git"
    shim.write_text(WRAPPER.format(log=log, git=real_git))
    shim.chmod(0o755)
    env = dict(os.environ, PATH=f"{shims}{os.pathsep}{os.environ['PATH']}")
    out, err = work / "stdout", work / "stderr"
    started = time.perf_counter()
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "site_builder.cli", "build",
                                    "--source", str(repo)], stdout=stdout, stderr=stderr,
                                   env=env)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"build failed:\n{err.read_text()}")
    pages = int(out.read_text().split("Built ", 1)[1].split(" ", 1)[0])
    git_processes = len(log.read_text().splitlines())
    return seconds, pages, git_processes, usage.ru_maxrss / 1024


def edit_one_plan(repo: Path) -> None:
    """Change one word of one plan and commit it, as a communications officer would."""
    plan = sorted((repo / "content/plans").glob("*/plan.md"))[0]
    plan.write_text(plan.read_text().replace("residents", "neighbours", 1))
    env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.org",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.org")
    subprocess.run(["git", "commit", "-qam", "Say neighbours"], cwd=repo, env=env, check=True)


def report(label: str, seconds: float, pages: int, git_processes: int, peak_mib: float) -> None:
    print(f"{label:>15}: {seconds:7.2f} s  {pages:6d} pages  {pages / seconds:8.0f} pages/s  "
          f"{git_processes} git processes  peak {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
