"""A throw-away JupyterLab server for the browser test.

The server runs from the project's own environment (``sys.executable``), serves
a temporary copy of the notebooks, and keeps all of its state (config,
settings, workspaces, runtime files, notebook-signing key, IPython profile) in
a temporary folder, so a run neither reads a learner's own Jupyter set-up nor
writes anything into the repository.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil

# Environment variables the server (and so every kernel it starts) must not
# inherit: the kernels run with JupyterLab's inline matplotlib backend, as a
# learner's do (strict nbval already runs them with MPLBACKEND=Agg), and extra
# Jupyter search paths could bring in another "python3" kernelspec or
# someone's config.
VARIABLES_TO_DROP = ("MPLBACKEND", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH")

# The kernels run the series as the Makefile does: Keras 3 on JAX, on the CPU.
KERNEL_VARIABLES = {"KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}

# Page config read by JupyterLab from <JUPYTER_CONFIG_DIR>/labconfig/. The
# announcements plugin asks, in a toast, whether to fetch Jupyter news; there is
# no network here and the toast can cover what the test clicks.
PAGE_CONFIG = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}

# User settings read from JUPYTERLAB_SETTINGS_DIR. JupyterLab 4 only attaches
# the cells near the viewport to the page by default ("windowing"), so cells
# further down would be missing from the DOM; "none" attaches every cell.
USER_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_without_outputs(source: Path, target: Path) -> None:
    """Copy a notebook with every output, execution count and saved widget state removed.

    The browser must produce everything the test looks at: a stored figure or
    a stored traceback would otherwise pass or fail the test on its own.
    """
    notebook = json.loads(source.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    notebook.get("metadata", {}).pop("widgets", None)
    target.write_text(json.dumps(notebook, indent=1), encoding="utf-8")


@dataclass
class LabServer:
    """A running JupyterLab server; ``stop()`` ends it and its kernels."""

    process: subprocess.Popen
    base_url: str
    token: str
    root_dir: Path
    log_path: Path

    def notebook_url(self, name: str) -> str:
        # "reset" starts from an empty workspace: otherwise JupyterLab reopens
        # the notebooks of the previous test next to this one.
        return f"{self.base_url}/lab/tree/{name}?reset&token={self.token}"

    def api(self, method: str, path: str) -> object:
        """Call the server's REST API; returns the decoded JSON answer (None if empty)."""
        request = urllib.request.Request(
            f"{self.base_url}/api/{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]

    def kernel_for(self, notebook_name: str) -> dict | None:
        """The server's record of the kernel attached to the open notebook (id, execution_state, ...)."""
        for session in self.api("GET", "sessions"):
            if session.get("path") == notebook_name and session.get("kernel"):
                return session["kernel"]
        return None

    def kernel_id_for(self, notebook_name: str) -> str | None:
        kernel = self.kernel_for(notebook_name)
        return kernel["id"] if kernel else None

    def kernel_state_for(self, notebook_name: str) -> str | None:
        kernel = self.kernel_for(notebook_name)
        return kernel["execution_state"] if kernel else None

    def kernel_process(self, kernel_id: str) -> psutil.Process | None:
        """The kernel's OS process, found by its connection file among the server's children."""
        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                if any(f"kernel-{kernel_id}.json" in part for part in child.cmdline()):
                    return child
            except psutil.Error:  # ended or not readable meanwhile: not the kernel we look for
                continue
        return None

    def shut_down_kernels(self) -> None:
        """Shut every kernel down, so one notebook's kernel does not hold memory during the next."""
        for session in self.api("GET", "sessions"):
            self.api("DELETE", f"sessions/{session['id']}")

    def stop(self) -> None:
        """End the server, then any kernel it left behind (kernels run in their own session)."""
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            children = []
        if self.process.poll() is None:
            # SIGTERM lets the server shut its kernels down cleanly.
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        _, survivors = psutil.wait_procs(children, timeout=5)
        for survivor in survivors:
            with contextlib.suppress(psutil.NoSuchProcess):
                survivor.kill()


def start_lab_server(work_dir: Path, notebooks: list[Path], *, startup_timeout: float = 60.0) -> LabServer:
    """Start ``python -m jupyterlab`` on a free port with a random token, serving copies of ``notebooks``.

    ``work_dir`` must be an empty temporary folder; everything the server
    writes goes below it.
    """
    root_dir = work_dir / "notebooks"
    config_dir = work_dir / "jupyter-config"
    settings_dir = work_dir / "lab-settings"
    for folder in (root_dir, config_dir / "labconfig", settings_dir):
        folder.mkdir(parents=True)
    for notebook in notebooks:
        copy_without_outputs(notebook, root_dir / notebook.name)
    (config_dir / "labconfig" / "page_config.json").write_text(json.dumps(PAGE_CONFIG), encoding="utf-8")
    for relative_path, settings in USER_SETTINGS.items():
        settings_file = settings_dir / relative_path
        settings_file.parent.mkdir(parents=True, exist_ok=True)
        settings_file.write_text(json.dumps(settings), encoding="utf-8")

    env = {key: value for key, value in os.environ.items() if key not in VARIABLES_TO_DROP}
    env.update(KERNEL_VARIABLES)
    # JUPYTER_DATA_DIR only replaces the per-user data folder: the kernelspec
    # and the widgets extension are still found under sys.prefix/share/jupyter.
    env.update(
        JUPYTER_CONFIG_DIR=str(config_dir),
        JUPYTER_DATA_DIR=str(work_dir / "jupyter-data"),
        JUPYTER_RUNTIME_DIR=str(work_dir / "jupyter-runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings_dir),
        JUPYTERLAB_WORKSPACES_DIR=str(work_dir / "lab-workspaces"),
        IPYTHONDIR=str(work_dir / "ipython"),
    )

    port = free_port()
    token = secrets.token_hex(24)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        # Fail instead of silently moving to another port if ours was taken meanwhile.
        "--ServerApp.port_retries=0",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        "--ServerApp.terminals_enabled=False",
        # No check against PyPI for a newer JupyterLab (no network, and it adds a toast).
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")

    log_path = work_dir / "jupyterlab-server.log"
    with log_path.open("w", encoding="utf-8") as log:
        # A new session, so that stop() can signal the server's whole process group.
        process = subprocess.Popen(
            command, cwd=root_dir, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = LabServer(process, f"http://127.0.0.1:{port}", token, root_dir, log_path)

    deadline = time.monotonic() + startup_timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {process.returncode}:\n{server.log_tail()}")
        try:
            server.api("GET", "status")
            return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(
                    f"JupyterLab did not answer on {server.base_url} within {startup_timeout:.0f} s:\n"
                    f"{server.log_tail()}"
                ) from None
            time.sleep(0.2)


def save_log(server: LabServer, target: Path) -> None:
    """Keep the server log next to the screenshots, for a failed CI run."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(server.log_path, target)
