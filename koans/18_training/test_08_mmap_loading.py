"""Loading without copying: torch.load(mmap=True), torch.from_file, map_location and load_state_dict(assign=True)."""

import io
import mmap
import sys
import warnings

import pytest
import torch
import torch.nn as nn

from kata import __, raises


def small_linear():
    m = nn.Linear(2, 1)
    with torch.no_grad():
        m.weight.copy_(torch.tensor([[1.0, 2.0]]))
        m.bias.fill_(3.0)
    return m


def raw_file(path, values):
    """Write float32 values as raw bytes, no header: the format torch.from_file reads."""
    path.write_bytes(torch.tensor(values, dtype=torch.float32).numpy().tobytes())
    return path


def test_mmap_needs_a_file_on_disk():
    """mmap=True maps the checkpoint file into memory instead of reading it, so torch.load must be given a name on disk; a file-like object such as BytesIO cannot be mapped.

    Hint: the message says what f must be.
    """
    buf = io.BytesIO()
    torch.save({"w": torch.ones(2)}, buf)
    buf.seek(0)
    with raises(ValueError, match=__):
        torch.load(buf, mmap=True)


def test_a_private_mapping_keeps_writes_in_memory(tmp_path):
    """By default the mapping is MAP_PRIVATE (copy on write): pages are read from the file lazily, when first touched, and a page you write is copied into memory first, so in-place changes never reach the file.

    Hint: the first value is the tensor you changed, the second a fresh read of the file.
    """
    path = tmp_path / "ckpt.pt"
    torch.save({"w": torch.tensor([1.0, 2.0])}, path)
    mapped = torch.load(path, mmap=True)
    mapped["w"].mul_(10)
    assert (mapped["w"].tolist(), torch.load(path)["w"].tolist()) == __


def test_a_shared_mapping_writes_through_to_the_file(tmp_path):
    """Under set_default_mmap_options(mmap.MAP_SHARED) the tensors are the file's own pages: an in-place change is a change of the checkpoint on disk (not supported on Windows).

    Hint: the reload reads the pages the multiplication wrote.
    """
    if sys.platform == "win32":
        pytest.skip("set_default_mmap_options is not supported on Windows")
    path = tmp_path / "ckpt.pt"
    torch.save({"w": torch.tensor([1.0, 2.0])}, path)
    with torch.serialization.set_default_mmap_options(mmap.MAP_SHARED):
        mapped = torch.load(path, mmap=True)
    mapped["w"].mul_(10)
    del mapped
    assert torch.load(path)["w"].tolist() == __


def test_from_file_counts_elements_of_its_dtype(tmp_path):
    """torch.from_file(filename, shared, size, dtype) maps a raw binary file as a 1-D tensor of size elements of dtype; a private mapping may not reach past the end of the file.

    Hint: the file holds four float32 values; a float64 takes twice the bytes.
    """
    path = raw_file(tmp_path / "raw.bin", [1.0, 2.0, 3.0, 4.0])
    t = torch.from_file(str(path), shared=False, size=__, dtype=torch.float64)
    assert t.untyped_storage().nbytes() == path.stat().st_size


def test_from_file_shared_decides_whether_writes_reach_the_file(tmp_path):
    """from_file(shared=False) is a private copy-on-write mapping; shared=True maps the file itself, so writes go to disk (and the storage reports the file name).

    Hint: each list is a fresh read of the file after the multiplication.
    """
    private = raw_file(tmp_path / "private.bin", [1.0, 2.0])
    shared = raw_file(tmp_path / "shared.bin", [1.0, 2.0])
    torch.from_file(str(private), shared=False, size=2).mul_(10)
    torch.from_file(str(shared), shared=True, size=2).mul_(10)
    reread = [torch.from_file(str(p), size=2).tolist() for p in (private, shared)]
    assert reread == __


def test_a_map_location_dict_moves_only_the_tags_it_names(tmp_path):
    """map_location may be a dict from the location tag a storage was saved from ("cpu", "cuda:0", ...) to the device to restore it on; a storage whose tag is not a key is restored where it was saved. On "meta" a tensor keeps its shape and dtype, and no data is read.

    Hint: the file was written on this machine's CPU; read each dict's keys as "saved from".
    """
    path = tmp_path / "ckpt.pt"
    torch.save({"w": torch.arange(6.0).reshape(2, 3)}, path)
    from_gpu = torch.load(path, map_location={"cuda:0": "meta"})["w"]
    from_cpu = torch.load(path, map_location={"cpu": "meta"})["w"]
    assert (from_gpu.device.type, from_cpu.device.type) == __


def test_loading_into_a_meta_module_copies_nothing(tmp_path):
    """A module built under torch.device("meta") has parameters with a shape and no data; the default load_state_dict copies into them in place, which on meta tensors does nothing (PyTorch warns about it).

    Hint: the copy went nowhere; a Linear's weight has shape (out_features, in_features).
    """
    path = tmp_path / "ckpt.pt"
    torch.save(small_linear().state_dict(), path)
    with torch.device("meta"):
        m = nn.Linear(2, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m.load_state_dict(torch.load(path))
    assert (tuple(m.weight.shape), m.weight.is_meta) == __


def test_assign_true_takes_the_loaded_tensors_themselves(tmp_path):
    """load_state_dict(sd, assign=True) replaces each parameter by the tensor in sd (wrapped as a Parameter with the old requires_grad) instead of copying, so a meta module gets real parameters and, with mmap=True, they stay file-backed without a copy.

    Hint: compare the device, the class and the memory address of the new weight with the loaded one.
    """
    path = tmp_path / "ckpt.pt"
    torch.save(small_linear().state_dict(), path)
    with torch.device("meta"):
        m = nn.Linear(2, 1)
    sd = torch.load(path, mmap=True)
    m.load_state_dict(sd, assign=True)
    same_memory = m.weight.data_ptr() == sd["weight"].data_ptr()
    assert (m.weight.device.type, isinstance(m.weight, nn.Parameter), same_memory) == __
    assert m(torch.tensor([[1.0, 1.0]])).item() == __
