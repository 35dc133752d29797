"""Notebook 05's experiments: toy data, a classifier trained in numpy for many runs at once, their spread and claims.

* :mod:`~embedpool_utils.experiments.sentiment_data`: a tiny sentiment data set;
  :mod:`~embedpool_utils.experiments.two_label_data`: the same with a topic label too;
* :mod:`~embedpool_utils.experiments.stacked_classifier`: the model, for many runs at once;
  :mod:`~embedpool_utils.experiments.training`: trains it as Keras' ``fit`` with Adam would;
* :mod:`~embedpool_utils.experiments.seeds`: the seeds of every run, derived from one first seed;
  :mod:`~embedpool_utils.experiments.sweeps`: one experiment over many runs, and its spread;
* :mod:`~embedpool_utils.experiments.claims`: quantified sentences checked on the runs, printed as verdicts;
  :mod:`~embedpool_utils.experiments.variance_split`: how much the weight seed and the data seed each decide;
* :mod:`~embedpool_utils.experiments.learned_weights`: what the trained runs learned.
"""

__all__ = [
    "claims",
    "learned_weights",
    "seeds",
    "sentiment_data",
    "stacked_classifier",
    "sweeps",
    "training",
    "two_label_data",
    "variance_split",
]
