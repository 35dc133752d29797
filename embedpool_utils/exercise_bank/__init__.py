"""The exercise bank: one module per notebook (``nb01`` … ``nb07``), each registering its exercises.

:mod:`embedpool_utils.exercises` (the checking engine) imports every module of
this package the first time an exercise is looked up (``ep.check``,
``ep.exercise_inputs``), so ``import embedpool_utils`` builds nothing here.

A bank module is self-contained: it imports the engine's
:class:`~embedpool_utils.exercises.Exercise`, :class:`~embedpool_utils.exercises.Mistake`
and :func:`~embedpool_utils.exercises.register`, and whatever part of the
helper computes its answers. To add an exercise to notebook NN, register it in
``nbNN.py`` (a new notebook gets a new module) with the id ``"NN-slug"``; see
CONTRIBUTING.md, "Exercises".
"""
