"""Time the two README commands on a fresh clone of this repository.

Prints how long `make run` takes until the demo site answers on loopback, and how long
`make test` takes (set-up included). Usage: .venv/bin/python bench/fresh_clone.py [--skip-test]
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = "8765"


def wait_for(url, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 -- loopback URL we built
                return response.status
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(url)


def main():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "VIRTUAL_ENV"}}
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "schoolbrug"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)  # noqa: S603, S607 -- fixed arguments
        start = time.monotonic()
        server = subprocess.Popen(  # noqa: S603 -- fixed arguments
            ["make", "run", f"PORT={PORT}"],  # noqa: S607 -- make from PATH
            cwd=clone,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_for(f"http://127.0.0.1:{PORT}/accounts/login/", timeout=600)
            run_seconds = time.monotonic() - start
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
        print(f"make run, fresh clone until the login page answers: {run_seconds:.1f} s")
        if "--skip-test" not in sys.argv:
            start = time.monotonic()
            result = subprocess.run(["make", "test"], cwd=clone, env=env, capture_output=True)  # noqa: S607 -- fixed arguments
            test_seconds = time.monotonic() - start
            summary = result.stdout.decode().strip().splitlines()[-1:]
            print(f"make test on the same clone (venv exists): {test_seconds:.1f} s {summary}")


if __name__ == "__main__":
    main()
