"""The quick-compile flags: chosen by jaxlib version, never over a reader's own, and accepted by the jaxlib here."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version

import pytest

import embedpool_utils as ep
from embedpool_utils.xla_flags import quick_compile_flags

OPT_0 = "--xla_backend_optimization_level=0"
OLDER_EMITTERS = "--xla_cpu_use_fusion_emitters=false"


@pytest.mark.parametrize(
    ("jaxlib_version", "expected"),
    [
        (None, []),
        ("0.4.34", [OPT_0]),
        ("0.6.2", [OPT_0, OLDER_EMITTERS]),
        ("0.10.2", [OPT_0, OLDER_EMITTERS]),
        ("0.10.3.dev20260101", [OPT_0, OLDER_EMITTERS]),
        ("0.11.0", [OPT_0]),
        ("1.0", [OPT_0]),
        ("nightly", [OPT_0]),
    ],
)
def test_flags_by_jaxlib_version(jaxlib_version, expected):
    assert quick_compile_flags(jaxlib_version) == expected


def test_a_readers_own_flags_are_kept(monkeypatch):
    monkeypatch.setenv("XLA_FLAGS", "--xla_dump_to=/somewhere")
    assert ep.use_quick_compiles() == "--xla_dump_to=/somewhere"
    assert os.environ["XLA_FLAGS"] == "--xla_dump_to=/somewhere"


@pytest.mark.parametrize(
    ("installed", "expected"),
    [("0.10.2", f"{OPT_0} {OLDER_EMITTERS}"), ("0.12.1", OPT_0), (None, "")],
)
def test_flags_are_set_from_the_installed_jaxlib_when_none_are(installed, expected, monkeypatch):
    def jaxlib_version(name):
        assert name == "jaxlib"
        if installed is None:
            raise PackageNotFoundError(name)
        return installed

    monkeypatch.setattr(importlib.metadata, "version", jaxlib_version)
    monkeypatch.delenv("XLA_FLAGS", raising=False)
    assert ep.use_quick_compiles() == expected
    assert os.environ["XLA_FLAGS"] == expected


def jax_runs_with(flags: str) -> subprocess.CompletedProcess:
    code = "import jax, jax.numpy as jnp; print(float(jax.jit(lambda x: (x * 2).mean())(jnp.arange(4.0))))"
    env = {**os.environ, "XLA_FLAGS": flags, "JAX_PLATFORMS": "cpu"}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


def test_the_installed_jaxlib_accepts_the_flags_it_is_given():
    """XLA stops the process on a flag it does not know; the flags chosen for this jaxlib must not do that."""
    flags = " ".join(quick_compile_flags(version("jaxlib")))
    done = jax_runs_with(flags)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "3.0"


def test_an_unknown_flag_does_stop_jax():
    """The check above can fail: XLA really refuses a flag it does not know."""
    done = jax_runs_with("--xla_embedpool_no_such_flag=1")
    assert done.returncode != 0
    assert "xla_embedpool_no_such_flag" in done.stderr
