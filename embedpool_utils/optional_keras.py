"""Keras, imported inside the functions that need it, and the one message for when it cannot be.

``import embedpool_utils`` loads numpy only; Keras and its backend's library come
with the ``notebooks`` extra. A function that needs them calls
:func:`import_keras`, so that a learner without them reads what needed Keras,
why the import failed and what to install, worded once.
"""

from __future__ import annotations

from typing import Any

__all__ = ["import_keras"]


def import_keras(needed_for: str) -> Any:
    """The ``keras`` module, or an ImportError that says what needed it and how to install it.

    Parameters
    ----------
    needed_for : str
        What needs Keras, as the subject of a sentence, e.g.
        ``"Measuring what layers do with a mask"``.

    Returns
    -------
    module
        ``keras``, on the backend ``KERAS_BACKEND`` names.

    Raises
    ------
    ImportError
        If Keras, or the library of its backend, cannot be imported. The
        message names ``needed_for``, the import's own error and the install
        command.

    Examples
    --------
    >>> import_keras("This example").__name__
    'keras'
    """
    try:
        import keras
    except ImportError as error:  # Keras itself, or the library of the backend KERAS_BACKEND names
        raise ImportError(
            f"{needed_for} needs Keras 3 and its backend's library, and importing it failed: {error}. "
            "pip install 'embedpool-utils[notebooks]' installs Keras on JAX."
        ) from None
    return keras
