"""The DICOM tensor types keep their type through torch operations and batching, and show in their colours."""

import pytest
import torch

from lamella.medical.types import TensorCTScan, TensorDicom
from lamella.typedtensor import TensorImage, TensorImageBW


def test_types_survive_operations_and_carry_their_colour_maps():
    ct = TensorCTScan(torch.linspace(-1000, 1000, 16).view(1, 4, 4))
    assert isinstance(ct, TensorImageBW) and type(ct[:, :2].flip(-1) * 2) is TensorCTScan
    assert type(torch.stack([ct, ct])) is TensorCTScan
    dcm = TensorDicom(torch.zeros(1, 4, 4))
    assert isinstance(dcm, TensorImage) and type(dcm + 1) is TensorDicom
    assert (ct._show_args, dcm._show_args) == ({"cmap": "bone"}, {"cmap": "gray"})


def test_a_ct_scan_shows_in_bone_colours():
    plt = pytest.importorskip("matplotlib.pyplot")
    ax = TensorCTScan(torch.rand(1, 8, 8)).show()
    assert ax.images[0].get_cmap().name == "bone"
    plt.close("all")
