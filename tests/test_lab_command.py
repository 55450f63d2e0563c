"""`make lab` opens the course for any user: root gets --allow-root (with a notice), others do not.

JupyterLab refuses to start as root without --allow-root, which is how containers, cloud VMs and
administrator-installed lab machines run it. The command is scripts/lab.sh (what `make lab` calls).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAB = ROOT / "scripts" / "lab.sh"


def _dry_run(prefix=()):
    env = {**os.environ, "LAB_DRY_RUN": "1"}
    return subprocess.run([*prefix, "bash", str(LAB), "--no-browser"], capture_output=True, text=True,
                          env=env, check=True, cwd=ROOT)


def test_make_lab_calls_the_script():
    makefile = (ROOT / "Makefile").read_text()
    lab_rule = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "scripts/lab.sh" in lab_rule


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to be root")
def test_root_gets_allow_root_and_a_notice():
    done = _dry_run()
    assert "--allow-root" in done.stdout.split()
    assert "notebooks/" in done.stdout.split()
    assert "--allow-root" in done.stderr and "root" in done.stderr  # the one-line notice


def test_normal_user_gets_no_allow_root():
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot become a normal user")
        done = _dry_run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"])
    else:
        done = _dry_run()
    assert "--allow-root" not in done.stdout
    assert done.stderr == ""
    assert done.stdout.split()[1:3] == ["lab", "notebooks/"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_really_starts_for_this_user(tmp_path):
    """Starts JupyterLab through the script as the current user (root in CI) and asks its API for status."""
    jupyter = Path(sys.executable).parent / "jupyter"
    if not jupyter.exists():
        pytest.skip("no jupyter beside this python")
    port, token = _free_port(), "course-lab-test"
    env = {**os.environ, "JUPYTER": str(jupyter), "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"), "JUPYTER_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen(["bash", str(LAB), "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
                             f"--ServerApp.token={token}", "--ServerApp.port_retries=0"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{proc.stdout.read()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2) as r:
                    assert r.status == 200
                    return
            except OSError:
                time.sleep(0.5)
        pytest.fail("jupyter lab did not answer within 90 s")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
