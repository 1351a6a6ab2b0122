"""One build at a time per output folder, and no process left behind by a build whose main process is killed.

Each test makes the moment it needs with a fault point (briefsite/faults.py): a build that stops itself
with SIGSTOP while it holds the lock, or kills itself while its workers or Pagefind run. No test sleeps.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from briefsite.build import Options, build_site
from briefsite.errors import BuildFailed
from briefsite.output.folder import locked

from conftest import ROOT, brief_text, tree, write_site


def make_source(folder: Path, briefs: int, search: bool = True) -> Path:
    return write_site(folder, {f"b{i}.md": brief_text(title=f"Brief {i}", tags=f"[t{i}]") for i in range(briefs)},
                      f"search: {str(search).lower()}\nshare_images: true\n")


def start(source: Path, output: Path, *flags: str, fault: str | None = None) -> subprocess.Popen:
    """`build.py build` in a subprocess; with `fault` ("point:count:kind") it breaks itself there."""
    env = {name: value for name, value in os.environ.items() if name not in ("BRIEFSITE_FAULT", "BRIEFSITE_KILL_AT")}
    if fault:
        env["BRIEFSITE_FAULT"] = fault
    command = [sys.executable, str(ROOT / "build.py"), "build", "--source", str(source), "--output", str(output)]
    return subprocess.Popen([*command, *flags], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def holder(tmp_path):
    """A build of tmp_path/out from tmp_path/src stopped at "staged": it holds the lock, its tree staged."""
    src, out = make_source(tmp_path / "src", 3), tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    (src / "briefings" / "b0.md").write_text(brief_text(title="Edited", tags="[t0]"))
    first = start(src, out, "--no-cache", "--quiet", fault="staged:1:stop")
    _, status = os.waitpid(first.pid, os.WUNTRACED)  # returns once it has stopped itself
    assert os.WIFSTOPPED(status), first.communicate()
    yield first
    if first.returncode is None:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()


def finish(build: subprocess.Popen) -> None:
    os.kill(build.pid, signal.SIGCONT)
    stdout, stderr = build.communicate(timeout=120)
    assert build.returncode == 0, stderr


def clean(src: Path, tmp_path: Path) -> dict[str, bytes]:
    build_site(Options(src, tmp_path / "clean", jobs=1, cache=False))
    return tree(tmp_path / "clean")


def test_a_second_build_waits_for_the_first_then_builds(holder, tmp_path):
    second = start(tmp_path / "src", tmp_path / "out", "--no-cache")
    assert second.stderr.readline() == f"Waiting for another build writing into {tmp_path}/ to finish...\n"
    assert (tmp_path / ".out.staging" / "index.html").is_file()  # the first one's draft, untouched
    finish(holder)
    finish(second)
    assert tree(tmp_path / "out") == clean(tmp_path / "src", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean", "out", "src"]


def test_with_no_wait_a_second_build_fails_at_once(holder, tmp_path):
    out = tmp_path / "out"
    second = start(tmp_path / "src", out, "--no-wait")
    stdout, stderr = second.communicate(timeout=120)
    assert second.returncode == 1
    assert stderr == (f"{out}: another build is writing into {tmp_path}/; try again when it has finished, or leave "
                      f"out --no-wait to wait for it\nBuild failed with 1 error; {out}/ was left unchanged.\n")
    assert (tmp_path / ".out.staging" / "index.html").is_file()
    finish(holder)
    assert tree(out) == clean(tmp_path / "src", tmp_path)


def test_a_build_in_this_process_fails_at_once_without_waiting(tmp_path):
    src, out = make_source(tmp_path / "src", 1, search=False), tmp_path / "out"
    with locked(out), pytest.raises(BuildFailed) as failure:
        build_site(Options(src, out, jobs=1, wait=False))
    assert [str(p) for p in failure.value.problems] == [
        f"{out}: another build is writing into {tmp_path}/; try again when it has finished, or leave out "
        "--no-wait to wait for it"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


# Runs a command as a child subreaper: the children its child leaves behind become its own, so it can
# wait for each. It prints the command's status, then how each child it reaped ended (-9: by SIGKILL);
# a child still running after the command has died makes it kill them and exit with status 3 (the alarm
# only bounds a failure).
REAPER = textwrap.dedent("""
    import ctypes, os, signal, subprocess, sys
    ctypes.CDLL(None, use_errno=True).prctl(36, 1)  # PR_SET_CHILD_SUBREAPER
    status = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def left(*_):
        children = open(f"/proc/self/task/{os.getpid()}/children").read().split()
        for pid in children:
            os.kill(int(pid), signal.SIGKILL)
        print(f"still running after the build died: {children}")
        sys.exit(3)

    signal.signal(signal.SIGALRM, left)
    signal.alarm(60)
    ended = []
    while True:
        try:
            ended.append(os.waitstatus_to_exitcode(os.wait()[1]))
        except ChildProcessError:
            break
    print(status, *ended)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="children die with their parent on Linux")
@pytest.mark.parametrize(("point", "search", "children"), [("pooled", False, 2), ("searching", True, 1)],
                         ids=["mid-render", "mid-search"])
def test_killing_only_the_main_process_leaves_no_child_running(tmp_path, point, search, children):
    """Mid-render its two forked workers are rendering; mid-search Pagefind is indexing."""
    src = make_source(tmp_path / "src", 120, search)  # enough pages for the worker processes
    command = [sys.executable, "-c", REAPER, sys.executable, str(ROOT / "build.py"),
               "build", "--source", str(src), "--output", str(tmp_path / "out"), "--jobs", "3", "--quiet"]
    env = {**os.environ, "BRIEFSITE_FAULT": f"{point}:1:kill"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    killed = -signal.SIGKILL
    assert done.stdout.split() == [str(killed)] * (1 + children)  # killed, and each child it left died with it
