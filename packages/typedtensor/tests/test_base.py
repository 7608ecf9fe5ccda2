import copy
import io
import pickle

import pytest
import torch
import torch.nn.functional as F

from lamella.typedtensor import TensorBase, TensorBBox, TensorCategory, TensorImage, TensorMask, TensorPoint


@pytest.fixture
def img():
    return TensorImage(torch.rand(2, 3, 8, 8), note="meta")


# One row per op: the op, and whether its result keeps the input's type.
KEEP = [
    ("add", lambda x: x + 1),
    ("radd", lambda x: 1 + x),
    ("sub", lambda x: x - 1),
    ("rsub", lambda x: 1 - x),
    ("mul", lambda x: x * 2),
    ("rmul", lambda x: 2 * x),
    ("div", lambda x: x / 2),
    ("rdiv", lambda x: 2 / (x + 1)),
    ("pow", lambda x: x**2),
    ("neg", lambda x: -x),
    ("flip", lambda x: x.flip(-1)),
    ("index", lambda x: x[0]),
    ("slice", lambda x: x[:, :2]),
    ("mask-index", lambda x: x[x > 0.5]),
    ("view", lambda x: x.view(2, -1)),
    ("reshape", lambda x: x.reshape(-1)),
    ("permute", lambda x: x.permute(0, 2, 3, 1)),
    ("to-dtype", lambda x: x.to(torch.float64)),
    ("half", lambda x: x.half()),
    ("clone", lambda x: x.clone()),
    ("detach", lambda x: x.detach()),
    ("contiguous-T", lambda x: x.transpose(-1, -2).contiguous()),
    ("cat", lambda x: torch.cat([x, x])),
    ("stack", lambda x: torch.stack([x, x])),
    ("interpolate", lambda x: F.interpolate(x, size=(4, 4))),
    ("conv", lambda x: F.conv2d(x, torch.ones(1, 3, 3, 3))),
    ("clamp", lambda x: x.clamp(0.2, 0.8)),
    ("where", lambda x: torch.where(x > 0.5, x, torch.zeros_like(x))),
    ("sum-dim", lambda x: x.sum(dim=1)),
    ("mean-dim", lambda x: x.mean(dim=(2, 3))),
    ("argmax-dim", lambda x: x.argmax(dim=1)),
    ("sigmoid", torch.sigmoid),
    ("exp", torch.exp),
    ("matmul", lambda x: x @ x.transpose(-1, -2)),
    ("compare", lambda x: x > 0.5),
    ("new_zeros", lambda x: x.new_zeros(3)),
    ("zeros_like", torch.zeros_like),
    ("pad", lambda x: F.pad(x, (1, 1, 1, 1))),
    ("grid_sample", lambda x: F.grid_sample(x, torch.zeros(2, 4, 4, 2), align_corners=False)),
    ("expand", lambda x: x[:1].expand(3, -1, -1, -1)),
    ("squeeze", lambda x: x[:1].squeeze(0)),
    ("unsqueeze", lambda x: x.unsqueeze(0)),
    ("float", lambda x: x.float()),
]

PLAIN = [
    ("mean", lambda x: x.mean()),
    ("sum", lambda x: x.sum()),
    ("max", lambda x: x.max()),
    ("norm", lambda x: x.norm()),
    ("mse", lambda x: F.mse_loss(x, torch.zeros_like(x))),
]


@pytest.mark.parametrize("name,op", KEEP, ids=[k for k, _ in KEEP])
def test_ops_keep_type_and_metadata(img, name, op):
    res = op(img)
    assert type(res) is TensorImage, name
    assert res.note == "meta"


@pytest.mark.parametrize("name,op", PLAIN, ids=[k for k, _ in PLAIN])
def test_full_reductions_are_plain(img, name, op):
    assert type(op(img)) is torch.Tensor


def test_non_tensor_results_pass_through(img):
    assert img.shape == (2, 3, 8, 8)
    assert isinstance(img.tolist(), list)
    assert isinstance(img[0, 0, 0, 0].item(), float)
    assert type(img.numpy()).__name__ == "ndarray"


def test_tuple_results_keep_type(img):
    vals, idxs = img.max(dim=1)
    assert type(vals) is TensorImage and type(idxs) is TensorImage
    assert all(type(t) is TensorImage and t.note == "meta" for t in img.unbind(0))
    assert all(type(t) is TensorImage for t in img.split(1))


def test_first_typed_input_wins():
    img = TensorImage(torch.rand(4, 4))
    mask = TensorMask(torch.zeros(4, 4))
    assert type(img + mask) is TensorImage
    assert type(mask + img) is TensorMask
    assert type(torch.cat([mask, img])) is TensorMask
    assert type(torch.rand(4, 4) + img) is TensorImage
    assert type(torch.add(torch.rand(4, 4), mask)) is TensorMask


def test_inputs_returned_keep_their_own_type():
    plain = torch.zeros(3)
    plain += TensorImage(torch.ones(3))
    assert type(plain) is torch.Tensor
    out = torch.empty(3)
    torch.add(TensorImage(torch.ones(3)), 1, out=out)
    assert type(out) is torch.Tensor
    img = TensorImage(torch.ones(3))
    img += 1
    assert type(img) is TensorImage
    assert type(plain.to(img)) is torch.Tensor


def test_indexing_to_zero_dim_keeps_the_type():
    labels = TensorCategory([3, 1, 2])
    assert type(labels[0]) is TensorCategory and int(labels[0]) == 3
    assert all(type(t) is TensorCategory for t in labels.unbind(0))
    assert type(TensorImage(torch.rand(2, 2))[0, 0]) is TensorImage


def test_zero_dim_typed_inputs_stay_typed():
    c = TensorCategory(3)
    assert type(c + 1) is TensorCategory
    assert int(c + 1) == 4


def test_metadata_survives_copies_pickle_and_save():
    p = TensorPoint([[1.0, 2.0]], img_size=(28, 28))
    for q in (p.clone(), copy.deepcopy(p), copy.copy(p), pickle.loads(pickle.dumps(p)), p.to("cpu"), p.cpu()):
        assert type(q) is TensorPoint and q.img_size == (28, 28)
        assert torch.equal(q.as_plain(), p.as_plain())
    buf = io.BytesIO()
    torch.save({"pts": p}, buf)
    buf.seek(0)
    q = torch.load(buf, weights_only=False)["pts"]
    assert type(q) is TensorPoint and q.img_size == (28, 28)


def test_deepcopy_copies_metadata_deeply():
    b = TensorBBox([[0.0, 0.0, 1.0, 1.0]], img_size=[8, 8])
    c = copy.deepcopy(b)
    c.img_size.append(1)
    assert b.img_size == [8, 8]


def test_autograd_flows_through_typed_tensors():
    x = TensorImage(torch.rand(1, 3, 4, 4)).requires_grad_()
    y = (x.flip(-1) * 3).sigmoid()
    assert type(y) is TensorImage and y.grad_fn is not None
    y.sum().backward()
    assert x.grad is not None and x.grad.shape == x.shape
    expected = torch.rand(1, 3, 4, 4)
    expected_x = expected.clone().requires_grad_()
    (expected_x.flip(-1) * 3).sigmoid().sum().backward()
    x2 = TensorImage(expected.clone()).requires_grad_()
    (x2.flip(-1) * 3).sigmoid().sum().backward()
    torch.testing.assert_close(x2.grad.as_plain(), expected_x.grad)


def test_arithmetic_matches_plain_values(img):
    plain = img.as_plain()
    for op in (lambda t: t + 1, lambda t: 2 - t, lambda t: t * t, lambda t: -t / 3, lambda t: t**2):
        torch.testing.assert_close(op(img).as_plain(), op(plain))


def test_fast_operator_rejects_bad_operand_like_torch(img):
    with pytest.raises(TypeError):
        img + "a"


class TensorAudio(TensorBase):
    pass


def test_subclassing_is_a_few_lines():
    a = TensorAudio(torch.zeros(1, 100), sr=16000)
    b = F.pad(a, (0, 10)) * 2
    assert type(b) is TensorAudio and b.sr == 16000
    assert type(pickle.loads(pickle.dumps(b))) is TensorAudio


def test_as_plain_is_zero_copy(img):
    p = img.as_plain()
    assert type(p) is torch.Tensor and p.data_ptr() == img.data_ptr()


def test_base_cannot_show():
    with pytest.raises(NotImplementedError, match="TensorBase has no way to show itself"):
        TensorBase([1]).show()


class _ImageDataset(torch.utils.data.Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        return TensorImage(torch.full((3, 4, 4), float(i)), idx=i), TensorCategory(i % 2)


@pytest.mark.parametrize("num_workers", [0, 2])
def test_dataloader_collation_keeps_types(num_workers):
    dl = torch.utils.data.DataLoader(_ImageDataset(), batch_size=4, num_workers=num_workers)
    batches = list(dl)
    assert len(batches) == 2
    x, y = batches[1]
    assert type(x) is TensorImage and type(y) is TensorCategory
    assert x.shape == (4, 3, 4, 4) and x[:, 0, 0, 0].tolist() == [4.0, 5.0, 6.0, 7.0]
    assert y.tolist() == [0, 1, 0, 1]
