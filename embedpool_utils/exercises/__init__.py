"""The notebooks' self-check exercises: the engine, and a bank module per notebook (``nb01`` ... ``nb07``).

``check`` and ``exercise_inputs`` are what a notebook calls (as ``ep.check``
and ``ep.exercise_inputs``). The bank modules are imported the first time an
exercise is looked up, so importing this package builds nothing.
"""

from embedpool_utils.exercises.engine import check, exercise_inputs

__all__ = ["check", "exercise_inputs"]
