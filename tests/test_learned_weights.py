"""What notebook 05 reads from trained weights: word scores, how positions read, principal directions.

Expected values are worked out by hand or with plain numpy (covariance eigenvalues), not with the code
under test.
"""

import numpy as np
import pytest

from embedpool_utils.experiments import learned_weights, training


def weights(table, kernel):
    table, kernel = np.asarray(table, float), np.asarray(kernel, float)
    return training.Weights(table, kernel, np.zeros((table.shape[0], kernel.shape[2])))


def test_word_scores_are_each_row_times_the_kernel_column():
    w = weights([[[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]]], [[[2.0, 10.0], [1.0, 20.0]]])
    np.testing.assert_allclose(learned_weights.word_scores(w), [[1 * 2 + 2 * 1, 0 * 2 - 1 * 1, 3 * 2 + 0.5 * 1]])
    np.testing.assert_allclose(learned_weights.word_scores(w, head=1), [[10 + 40, -20, 30 + 10]])


def test_word_scores_refuse_a_kernel_that_reads_positions():
    w = weights(np.zeros((1, 5, 2)), np.zeros((1, 10, 1)))  # channels_first: one weight per position
    with pytest.raises(ValueError, match=r"channels_last model.*reads 10"):
        learned_weights.word_scores(w)


def test_a_position_reads_right_when_its_weight_has_the_sign_of_positive_minus_negative():
    # word 1 positive, word 2 negative; run 0: positive words have the larger row mean, run 1 the smaller
    table = [[[0.0, 0.0], [1.0, 3.0], [-1.0, -1.0]], [[0.0, 0.0], [-2.0, 0.0], [1.0, 1.0]]]
    kernel = [[[0.5], [-0.5], [0.0]], [[0.5], [-0.5], [2.0]]]
    reads = learned_weights.positions_reading_right(weights(table, kernel), [1], [2])
    assert reads.tolist() == [[True, False, False], [False, True, False]]


def test_explained_variance_of_points_on_a_line_and_in_a_plane():
    line = np.outer(np.arange(5.0), [1.0, 2.0, -1.0])  # 5 words along one direction of 3
    np.testing.assert_allclose(learned_weights.explained_variance(line), [1, 0, 0], atol=1e-12)
    square = np.array([[1.0, 1, 0], [1, -1, 0], [-1, 1, 0], [-1, -1, 0]])
    np.testing.assert_allclose(learned_weights.explained_variance(square), [0.5, 0.5, 0], atol=1e-12)


def test_explained_variance_matches_the_covariance_eigenvalues_for_every_run():
    rows = np.random.default_rng(0).normal(size=(3, 30, 4)) * [3.0, 2.0, 1.0, 0.5]
    shares = learned_weights.explained_variance(rows)
    assert shares.shape == (3, 4)
    for run, share in zip(rows, shares):
        eigenvalues = np.sort(np.linalg.eigvalsh(np.cov(run.T)))[::-1]
        np.testing.assert_allclose(share, eigenvalues / eigenvalues.sum(), rtol=1e-10)


def test_principal_coordinates_keep_the_distances_and_fix_the_sign():
    rows = np.array([[-1.0, 0.0], [0.0, 0.0], [1.0, 0.0], [4.0, 0.0]])
    # centred: -2, -1, 0, 3 along the first axis; the largest coordinate in size is positive
    np.testing.assert_allclose(learned_weights.principal_coordinates(rows)[:, 0], [-2, -1, 0, 3], atol=1e-12)
    # mirrored words give the same picture: the SVD's choice of sign does not reach the figure
    np.testing.assert_allclose(learned_weights.principal_coordinates(-rows)[:, 0], [-2, -1, 0, 3], atol=1e-12)
    cloud = np.random.default_rng(1).normal(size=(12, 2))
    xy = learned_weights.principal_coordinates(cloud)

    def distances(p):
        return np.linalg.norm(p[:, None] - p[None], axis=-1)

    np.testing.assert_allclose(distances(xy), distances(cloud), atol=1e-12)  # a rotation (or mirror) of the cloud


def test_too_few_words_are_refused():
    with pytest.raises(ValueError, match="at least two words"):
        learned_weights.explained_variance(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="for one table"):
        learned_weights.principal_coordinates(np.zeros((2, 3, 4)))
