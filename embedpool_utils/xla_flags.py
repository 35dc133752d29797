"""XLA compiler flags that make the notebooks' tiny Keras computations compile quickly.

Every Keras call on the JAX backend is compiled by XLA before it runs. The
series' arrays are tiny (a few sentences of ten tokens), so compiling costs
far more than running, and XLA's optimisations buy nothing here. A notebook's
set-up cell calls :func:`use_quick_compiles` before it imports Keras::

    import embedpool_utils as ep
    ep.use_quick_compiles()

The flags change how long a compile takes, not what it computes: every
notebook prints the same outputs with and without them (the notebook tests
were run both ways). XLA stops the process on a flag it does not know, so a
flag goes in only for the jaxlib versions it was tried with; this module does
not import jax or jaxlib, it reads the installed version from its metadata.
"""

from __future__ import annotations

import os
import re

__all__ = ["quick_compile_flags", "use_quick_compiles"]

# Skip the backend's (LLVM's) optimisation passes: a long-standing XLA option.
OPTIMISATION_OFF = "--xla_backend_optimization_level=0"
# jaxlib 0.10 compiles CPU fusions with its newer "fusion emitters"; the older emitters compile a tiny
# function in about two thirds of the time (measured on this series). jaxlib 0.6 accepts the flag and
# already uses the older emitters.
OLDER_FUSION_EMITTERS = "--xla_cpu_use_fusion_emitters=false"
OLDER_EMITTERS_TRIED = ((0, 6), (0, 11))  # jaxlib versions from 0.6 up to, not including, 0.11


def _release(version: str) -> tuple[int, int] | None:
    found = re.match(r"(\d+)\.(\d+)", version)
    return (int(found.group(1)), int(found.group(2))) if found else None


def quick_compile_flags(jaxlib_version: str | None) -> list[str]:
    """The XLA flags for quick compiles that a jaxlib version is known to accept.

    Parameters
    ----------
    jaxlib_version : str or None
        The installed jaxlib's version, e.g. ``"0.10.2"``; None if jaxlib is
        not installed.

    Returns
    -------
    list of str
        No flag without jaxlib; the optimisation level 0 for any jaxlib; and
        the older fusion emitters too for the versions they were tried with.

    Examples
    --------
    >>> quick_compile_flags("0.10.2")
    ['--xla_backend_optimization_level=0', '--xla_cpu_use_fusion_emitters=false']
    >>> quick_compile_flags("0.12.0")
    ['--xla_backend_optimization_level=0']
    """
    if jaxlib_version is None:
        return []
    flags = [OPTIMISATION_OFF]
    release = _release(jaxlib_version)
    if release is not None and OLDER_EMITTERS_TRIED[0] <= release < OLDER_EMITTERS_TRIED[1]:
        flags.append(OLDER_FUSION_EMITTERS)
    return flags


def use_quick_compiles() -> str:
    """Set ``XLA_FLAGS`` for quick compiles of tiny arrays, unless it is set already; return its value.

    Call it before the first JAX computation (in the notebooks: before
    ``import keras``). A reader's own ``XLA_FLAGS`` is left as it is.

    Returns
    -------
    str
        The value of ``XLA_FLAGS`` now in effect (empty when none is).
    """
    if "XLA_FLAGS" not in os.environ:
        from importlib.metadata import PackageNotFoundError, version

        try:
            installed = version("jaxlib")
        except PackageNotFoundError:
            installed = None
        os.environ["XLA_FLAGS"] = " ".join(quick_compile_flags(installed))
    return os.environ["XLA_FLAGS"]
