import pickle

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from lamella.transforms import DisplayedTransform, ItemTransform, Transform, TransformError
from lamella.typedtensor import TensorCategory, TensorImage, TensorMask, TensorPoint


class Flip(Transform):
    def encodes(self, x: TensorImage):
        return x.flip(-1)

    def encodes(self, x: TensorPoint):  # noqa: F811  (several cases in one body is the point)
        return x * torch.tensor([-1.0, 1.0])

    def decodes(self, x: TensorImage):
        return x.flip(-1)


def test_cases_in_the_class_body_dispatch_by_type():
    img = TensorImage(torch.arange(4.0).view(1, 2, 2))
    pts = TensorPoint([[1.0, 2.0]], img_size=(2, 2))
    out_img, out_pts, out_int = Flip()((img, pts, 3))
    assert type(out_img) is TensorImage and out_img[0, 0].tolist() == [1.0, 0.0]
    assert type(out_pts) is TensorPoint and out_pts.tolist() == [[-1.0, 2.0]] and out_pts.img_size == (2, 2)
    assert out_int == 3


def test_tuples_are_mapped_lists_are_not():
    t = Transform(lambda x: x * 2)
    assert t((1, 2)) == (2, 4)
    assert t([1, 2]) == [1, 2, 1, 2]


def test_item_transform_sees_the_whole_tuple():
    class Pair(ItemTransform):
        def encodes(self, xy: tuple):
            x, y = xy
            return x + y, y

    assert Pair()((1, 2)) == (3, 2)


def test_extension_from_outside_the_class():
    class Scale(Transform):
        def encodes(self, x: TensorImage):
            return x * 2

    @Scale.encodes
    def _(self, x: TensorMask):
        return x + 10

    assert int(Scale()(TensorMask(torch.zeros(1)))[0]) == 10
    assert int(Scale()(TensorImage(torch.ones(1)))[0]) == 2


def test_subclass_inherits_cases_and_sees_later_parent_cases():
    class Base(Transform):
        def encodes(self, x: int):
            return x + 1

    class Child(Base):
        def encodes(self, x: str):
            return x + "!"

    assert Child()(1) == 2 and Child()("a") == "a!"
    assert Base()("a") == "a"  # the child's case did not leak upward

    @Base.encodes
    def _(self, x: float):
        return x * 10

    assert Child()(1.5) == 15.0


def test_function_forms():
    def neg(x: int):
        return -x

    t = Transform(neg, lambda x: -x)
    assert t(3) == -3 and t("s") == "s" and t.decode(-3) == 3 and t.name == "neg"

    @Transform
    def double(x: float):
        return x * 2

    assert double(1.5) == 3.0 and double(1) == 1


def test_split_idx_applies_only_on_its_split():
    t = Transform(lambda x: x + 1, split_idx=0)
    assert t(1, split_idx=0) == 2
    assert t(1, split_idx=1) == 1
    assert t(1) == 1

    class TrainOnly(Transform):
        split_idx = 0

        def encodes(self, x: int):
            return x * 100

    assert TrainOnly()(1, split_idx=0) == 100 and TrainOnly()(1, split_idx=1) == 1


def test_return_annotation_casts():
    class ToImage(Transform):
        def encodes(self, x: torch.Tensor) -> TensorImage:
            return x * 1

    assert type(ToImage()(torch.zeros(1))) is TensorImage


def test_plain_result_from_typed_input_keeps_the_type_and_metadata():
    class Plain(Transform):
        def encodes(self, x: TensorPoint):
            return x.as_plain() + 1

    out = Plain()(TensorPoint([[0.0, 0.0]], img_size=(5, 5)))
    assert type(out) is TensorPoint and out.img_size == (5, 5)


def test_none_annotation_means_no_cast():
    class Plain(Transform):
        def encodes(self, x: TensorImage) -> None:
            return x.as_plain()

    assert type(Plain()(TensorImage(torch.zeros(1)))) is torch.Tensor


def test_setup_learns_from_the_training_split():
    class Items(list):
        @property
        def train(self):
            return self[:2]

    class Max(Transform):
        def setups(self, items):
            self.m = max(items)

    t = Max()
    t.setup(Items([1, 2, 30]), train_setup=True)
    assert t.m == 2
    t.setup(Items([1, 2, 30]))
    assert t.m == 30


def test_displayed_transform_repr():
    class Resize(DisplayedTransform):
        def __init__(self, size: int, method: str = "crop"):
            super().__init__()
            self.size, self.method = size, method

    assert repr(Resize(28)) == "Resize(size=28, method='crop')"


def test_repr_lists_cases():
    assert "encodes: (TensorImage, object) -> encodes, (TensorPoint, object) -> encodes" in repr(Flip())


def test_error_names_transform_case_and_input():
    class Lookup(Transform):
        def __init__(self):
            self.vocab = {"cat": 0}

        def encodes(self, x: str):
            return self.vocab[x]

    with pytest.raises(
        TransformError, match=r"Lookup failed in .*Lookup.encodes on str 'dog': KeyError: 'dog'"
    ) as e:
        Lookup()("dog")
    assert isinstance(e.value.__cause__, KeyError)

    class Bad(Transform):
        def encodes(self, x: TensorImage):
            return x.view(7)

    with pytest.raises(TransformError, match=r"on TensorImage of shape \(2, 3\), dtype torch.float32"):
        Bad()(TensorImage(torch.zeros(2, 3)))


def test_error_from_a_nested_transform_is_not_wrapped_twice():
    inner = Transform(lambda x: 1 / 0)
    outer = Transform(lambda x: inner(x))
    with pytest.raises(TransformError, match="<lambda> failed") as e:
        outer(1.0)
    assert isinstance(e.value.__cause__, ZeroDivisionError)


class Categorize(Transform):
    def setups(self, items):
        self.vocab = sorted(set(items))
        self.o2i = {v: i for i, v in enumerate(self.vocab)}

    def encodes(self, x: str):
        return TensorCategory(self.o2i[x])

    def decodes(self, x: TensorCategory):
        return self.vocab[int(x)]


@given(st.lists(st.text(min_size=1), min_size=1))
def test_decode_inverts_encode(words):
    t = Categorize()
    t.setup(words)
    for w in words:
        assert t.decode(t(w)) == w


@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=20))
def test_flip_round_trip(values):
    img = TensorImage(torch.tensor(values).view(1, 1, -1))
    assert torch.equal(Flip().decode(Flip()(img)), img)


def test_transform_with_state_pickles():
    t = Categorize()
    t.setup(["b", "a"])
    t2 = pickle.loads(pickle.dumps(t))
    assert t2.vocab == ["a", "b"] and int(t2("b")) == 1


def test_displayed_transform_without_init_shows_its_state():
    class Center(DisplayedTransform):
        def setups(self, items):
            self.mean = sum(items) / len(items)

    t = Center()
    assert repr(t) == "Center()"
    t.setup([1.0, 3.0])
    assert repr(t) == "Center(mean=2.0)"
