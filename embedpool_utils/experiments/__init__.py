"""Notebook 05's experiments: toy data, a classifier trained in numpy for many runs at once, and their spread.

* :mod:`~embedpool_utils.experiments.sentiment_data`: a tiny sentiment data set;
  :mod:`~embedpool_utils.experiments.two_label_data`: the same with a topic label too;
* :mod:`~embedpool_utils.experiments.stacked_classifier`: the model, for many runs at once;
  :mod:`~embedpool_utils.experiments.training`: trains it as Keras' ``fit`` with Adam would;
* :mod:`~embedpool_utils.experiments.sweeps`: one experiment over a grid of seeds, and its spread;
* :mod:`~embedpool_utils.experiments.learned_weights`: what the trained runs learned.
"""

__all__ = ["learned_weights", "sentiment_data", "stacked_classifier", "sweeps", "training", "two_label_data"]
