"""Sparse tensors: COO indices and values, coalescing, CSR's compressed rows, products with dense tensors, sparse gradients."""

import pytest
import torch

from kata import __, raises

# Creating sparse tensors may warn that invariant checks are off and that CSR support is in beta:
# notices about the library, not about the learner's answer.
pytestmark = [
    pytest.mark.filterwarnings("ignore:Sparse invariant checks:UserWarning"),
    pytest.mark.filterwarnings("ignore:Sparse CSR tensor support is in beta:UserWarning"),
]


def test_coo_keeps_a_column_of_coordinates_per_value():
    """A COO tensor stores an indices tensor of shape (ndim, nnz) and a values tensor of length nnz: column k of indices holds the coordinates of values[k], and every other element is zero.

    Hint: the three columns of i are (0, 2), (1, 0) and (1, 2).
    """
    i = torch.tensor([[0, 1, 1], [2, 0, 2]])
    v = torch.tensor([3.0, 4.0, 5.0])
    s = torch.sparse_coo_tensor(i, v, (2, 3))
    assert s.to_dense().tolist() == __


def test_to_sparse_lists_the_nonzeros_in_row_major_order():
    """t.to_sparse() keeps only the non-zero elements, listed in row-major order, with their coordinates as the columns of indices().

    Hint: read t row by row and write down the (row, column) of each non-zero.
    """
    t = torch.tensor([[0.0, 2.0, 0.0], [3.0, 0.0, 4.0]])
    s = t.to_sparse()
    assert s.indices().tolist() == __
    assert s.values().tolist() == __


def test_coalesce_sums_the_values_of_repeated_coordinates():
    """A COO tensor may list the same coordinates more than once; they mean the sum of their values. It stays uncoalesced, with every entry stored, until coalesce() adds the duplicates into one entry.

    Hint: two of the three columns of i are the same coordinates.
    """
    i = torch.tensor([[0, 0, 1], [1, 1, 0]])
    s = torch.sparse_coo_tensor(i, torch.tensor([1.0, 2.0, 3.0]), (2, 2))
    assert s._nnz() == __
    c = s.coalesce()
    assert c._nnz() == __
    assert c.to_dense().tolist() == __


def test_coalesce_sorts_the_coordinates():
    """coalesce() also sorts the entries by their coordinates, in row-major order, so the values come back in that order and not in the order they were given.

    Hint: the coordinates were given as 2, 0, 1.
    """
    s = torch.sparse_coo_tensor(torch.tensor([[2, 0, 1]]), torch.tensor([10.0, 20.0, 30.0]), (3,))
    assert s.coalesce().values().tolist() == __


def test_a_hybrid_tensor_stores_dense_slices():
    """The values of a COO tensor may themselves have dimensions: indices then locate whole dense slices, and dense_dim() counts the dimensions the values add.

    Hint: the one sparse dimension picks rows 0 and 2; each value is a whole row.
    """
    i = torch.tensor([[0, 2]])
    v = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    s = torch.sparse_coo_tensor(i, v, (3, 2))
    assert s.dense_dim() == __
    assert s.to_dense().tolist() == __


def test_coo_memory_grows_with_the_stored_values_not_the_size():
    """A COO tensor's memory is its indices, one int64 per dimension for each stored value, plus the values themselves, however large its dense shape; it pays off only when few elements are non-zero.

    Hint: a dense float32 tensor of this shape would take four million bytes; here count the indices and the values separately.
    """
    i = torch.tensor([[0, 500, 999], [1, 2, 3]])
    s = torch.sparse_coo_tensor(i, torch.tensor([1.0, 2.0, 3.0]), (1000, 1000)).coalesce()
    assert s.indices().nbytes + s.values().nbytes == __


def test_csr_compresses_the_row_coordinates():
    """CSR replaces the row coordinates by crow_indices, one more entry than there are rows: it starts at 0, and entry r + 1 minus entry r is the number of non-zeros in row r; col_indices holds each value's column.

    Hint: count the non-zeros of each row and keep a running total; the last row is empty.
    """
    t = torch.tensor([[0.0, 2.0, 0.0], [3.0, 0.0, 4.0], [0.0, 0.0, 0.0]])
    s = t.to_sparse_csr()
    assert s.crow_indices().tolist() == __
    assert s.col_indices().tolist() == __


def test_csr_from_its_compressed_rows():
    """Reading CSR back: the values of row r are those from position crow_indices[r] up to crow_indices[r + 1], placed at the columns col_indices names.

    Hint: row 0 owns positions 0 and 1, row 1 owns none.
    """
    crow = torch.tensor([0, 2, 2, 3])
    col = torch.tensor([0, 2, 1])
    values = torch.tensor([1.0, 2.0, 3.0])
    s = torch.sparse_csr_tensor(crow, col, values, (3, 3))
    assert s.to_dense().tolist() == __


def test_sparse_times_dense_is_dense():
    """A sparse matrix times a dense one visits only the stored entries, and the product, which has no reason to be sparse, comes back as an ordinary dense tensor.

    Hint: each stored entry s[r, c] adds s[r, c] times row c of d into row r of the product.
    """
    s = torch.sparse_coo_tensor(torch.tensor([[0, 1, 1], [2, 0, 2]]), torch.tensor([3.0, 4.0, 5.0]), (2, 3))
    d = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    product = s @ d
    assert product.layout == __
    assert product.tolist() == __


def test_a_sparse_embedding_has_a_sparse_gradient_with_one_row_per_lookup():
    """nn.Embedding(sparse=True) makes its weight's gradient a COO tensor holding one gradient row per looked-up index, uncoalesced, rather than a dense table mostly of zeros.

    Hint: three lookups of two distinct rows; the gradient of a sum is 1 for every element of every looked-up row.
    """
    torch.manual_seed(0)
    emb = torch.nn.Embedding(5, 2, sparse=True)
    emb(torch.tensor([1, 3, 1])).sum().backward()
    grad = emb.weight.grad
    assert grad.layout == __
    assert grad._nnz() == __
    assert grad.coalesce().values().tolist() == __


def test_adam_refuses_a_sparse_gradient():
    """Adam keeps a dense running average of every element's gradient and squared gradient, which a sparse gradient would turn into dense work, so its step raises a RuntimeError that names the optimizer meant for sparse gradients instead.

    Hint: the message suggests an optimizer whose name says what kind of gradient it handles.
    """
    emb = torch.nn.Embedding(5, 2, sparse=True)
    emb(torch.tensor([1])).sum().backward()
    optimizer = torch.optim.Adam(emb.parameters())
    with raises(RuntimeError, match=__):
        optimizer.step()
