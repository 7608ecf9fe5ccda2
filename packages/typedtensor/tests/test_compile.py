import pytest
import torch

from lamella.typedtensor import TensorImage, TensorPoint, typed_compile


def f(x, scale=2.0):
    return (x * scale + 1).flip(-1)


@pytest.mark.parametrize("backend", ["eager", "aot_eager"])
def test_compiled_function_keeps_type_and_values(backend):
    img = TensorImage(torch.rand(3, 8, 8), note="m")
    res = typed_compile(f, backend=backend)(img)
    assert type(res) is TensorImage and res.note == "m"
    torch.testing.assert_close(res.as_plain(), f(img.as_plain()))


def test_compiled_function_on_plain_inputs_stays_plain():
    assert type(typed_compile(f, backend="eager")(torch.rand(2, 2))) is torch.Tensor


def test_typed_keyword_argument_and_tuple_outputs():
    def g(a, pts=None):
        return pts * 2, (pts * a).sum()

    pts = TensorPoint([[1.0, 2.0]], img_size=(4, 4))
    doubled, total = typed_compile(g, backend="aot_eager")(3.0, pts=pts)
    assert type(doubled) is TensorPoint and doubled.img_size == (4, 4)
    assert type(total) is torch.Tensor and float(total) == 9.0


# Dynamo reads `.grad` of the zero-copy alias of a leaf while tracing and torch warns about it;
# harmless here (the alias is never the leaf we read gradients from).
@pytest.mark.filterwarnings("ignore:The .grad attribute of a Tensor that is not a leaf")
def test_gradients_flow_through_compiled_function():
    img = TensorImage(torch.rand(1, 2, 2)).requires_grad_()
    typed_compile(f, backend="aot_eager")(img).sum().backward()
    torch.testing.assert_close(img.grad.as_plain(), torch.full((1, 2, 2), 2.0))
