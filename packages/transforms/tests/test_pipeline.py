import pickle

import pytest
import torch

from lamella.transforms import Pipeline, Transform
from lamella.typedtensor import TensorCategory, TensorImage


class Add(Transform):
    def __init__(self, n, order=0):
        self.n, self.order = n, order

    def encodes(self, x: int):
        return x + self.n

    def decodes(self, x: int):
        return x - self.n


class Counter(Transform):
    """Counts how often it runs and records what its setup saw."""

    def __init__(self, order=0):
        self.order, self.calls, self.seen = order, 0, None

    def setups(self, items):
        self.seen = list(items)

    def encodes(self, x: int):
        self.calls += 1
        return x * 10


def test_sorted_by_order_stable_among_equals():
    a, b, c = Add(1, order=5), Add(2), Add(3)
    pipe = Pipeline([a, b, c])
    assert pipe.fs == [b, c, a]
    assert pipe[0] is b and isinstance(pipe[1:], Pipeline) and len(pipe[1:]) == 2


def test_accepts_callables_and_single_transforms():
    assert Pipeline(lambda x: x + 1)(1) == 2
    assert Pipeline(Add(2))(1) == 3
    assert Pipeline()(5) == 5
    assert Pipeline(Pipeline([Add(1)]))(1) == 2


def test_each_transform_sets_up_on_the_output_of_those_before_it():
    first, second = Counter(), Counter(order=1)
    pipe = Pipeline([second, Add(1, order=0), first])
    pipe.setup([1, 2, 3])
    assert first.seen == [2, 3, 4]  # after Add(1)
    assert second.seen == [20, 30, 40]  # after Add(1) then first
    assert first.calls == 3 and second.calls == 0  # first ran once per item, for second's setup


def test_setup_on_the_training_split():
    class Split(list):
        train = [5]

    c = Counter()
    Pipeline([c]).setup(Split([1, 2]), train_setup=True)
    assert c.seen == [5]


def test_decode_in_reverse_and_partial_decode():
    class ToCat(Transform):
        def encodes(self, x: int):
            return TensorCategory(x)

    pipe = Pipeline([Add(1), Add(10), ToCat()])
    enc = pipe(0)
    assert type(enc) is TensorCategory and int(enc) == 11
    assert pipe.decode(11) == 0
    assert int(pipe.decode(enc, full=False)) == 11  # ToCat cannot decode: stop at once
    keep = Transform(lambda x: x)  # no decodes
    pipe = Pipeline([Add(1), keep, Add(10)])
    assert pipe.decode(20) == 9
    assert pipe.decode(20, full=False) == 10  # Add(10) decoded, then `keep` could not


def test_split_idx_is_passed_to_each_transform():
    train_only = Transform(lambda x: x * 100, split_idx=0)
    assert Pipeline([train_only], split_idx=0)(1) == 100
    assert Pipeline([train_only], split_idx=1)(1) == 1


def test_add_sets_up_the_new_transform():
    pipe = Pipeline([Add(1)])
    c = Counter()
    pipe.add(c, items=[1, 2])
    assert c.seen == [2, 3] and pipe(1) == 20


def test_show_decodes_until_showable():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")

    class ToImage(Transform):
        def encodes(self, x: int):
            return torch.full((3, 2, 2), float(x)) / 10

        def decodes(self, x: TensorImage):
            return x

    class Wrap(Transform):
        def encodes(self, x: torch.Tensor):
            return TensorImage(x) * 2

        def decodes(self, x: TensorImage):
            return x / 2

    pipe = Pipeline([ToImage(), Wrap()])
    ax = pipe.show(pipe(1))
    assert len(ax.get_images()) == 1
    ax = pipe.show((pipe(1), TensorCategory(3)))
    assert ax.get_title() == "3"
    with pytest.raises(TypeError, match="cannot show int"):
        Pipeline([Add(1)]).show(3)


def test_repr():
    assert repr(Pipeline([Add(1), Counter()])) == "Pipeline: Add -> Counter"
    assert repr(Pipeline()) == "Pipeline: (empty)"


def test_pickles_with_state():
    c = Counter()
    pipe = Pipeline([Add(2), c], split_idx=1)
    pipe.setup([1])
    back = pickle.loads(pickle.dumps(pipe))
    assert back(1) == 30 and back.fs[1].seen == [3] and back.split_idx == 1


def test_the_docs_worked_example():
    from lamella.transforms import DisplayedTransform, TransformError

    class Categorize(DisplayedTransform):
        def setups(self, items):
            self.vocab = sorted(set(items))
            self.o2i = {v: i for i, v in enumerate(self.vocab)}

        def encodes(self, x: str):
            return TensorCategory(self.o2i[x])

        def decodes(self, x: TensorCategory):
            return self.vocab[int(x)]

    def parent_label(path: str) -> str:
        return path.split("/")[-2]

    pipe = Pipeline([parent_label, Categorize()])
    pipe.setup(["train/cat/1.png", "train/dog/2.png", "train/cat/3.png"])
    assert type(pipe("valid/dog/9.png")) is TensorCategory and int(pipe("valid/dog/9.png")) == 1
    assert pipe.decode(TensorCategory(1)) == "dog"
    assert repr(pipe.fs[1]) == "Categorize(vocab=['cat', 'dog'], o2i={'cat': 0, 'dog': 1})"
    with pytest.raises(
        TransformError, match="Categorize failed in .*Categorize.encodes on str 'bird': KeyError"
    ):
        pipe("valid/bird/1.png")


def test_setups_can_read_state_of_the_transforms_before():
    class Vocab(Transform):
        def setups(self, items):
            self.vocab = sorted(set(items))

    class Size(Transform):
        def setups(self, items):
            self.c = len(items.vocab)

    size = Size()
    Pipeline([Vocab(), size]).setup(["a", "b", "a"])
    assert size.c == 2

    class Needs(Transform):
        def setups(self, items):
            return items.missing

    from lamella.transforms import TransformError

    with pytest.raises(TransformError, match="no transform before this one has 'missing'"):
        Pipeline([Vocab(), Needs()]).setup(["a"])


def test_show_not_strict_returns_ctx():
    assert Pipeline([Add(1)]).show(3, ctx="axes", strict=False) == "axes"


def test_a_failure_during_setup_names_the_item():
    from lamella.transforms import TransformError

    def half(x: int):
        return 10 // x

    with pytest.raises(TransformError, match=r"setting up on item 2 \(int 0\): half failed"):
        Pipeline([half, Counter()]).setup([1, 2, 0])


def test_an_overridden_call_is_honoured():
    class Logged(Transform):
        seen = []

        def __call__(self, x, split_idx=None):
            self.seen.append(split_idx)
            return super().__call__(x, split_idx) * 2

    assert Pipeline([Logged(), Add(1)], split_idx=1)(1) == 3 and Logged.seen == [1]


def test_attributes_pass_through_to_the_transforms():
    # fastai's `tfms.vocab`: the latest transform holding the attribute answers
    class Vocab(Transform):
        def setups(self, items):
            self.vocab = sorted(set(items))

    pipe = Pipeline([Vocab()])
    pipe.setup(["b", "a", "b"])
    assert pipe.vocab == ["a", "b"]
    with pytest.raises(AttributeError, match="no transform of this Pipeline has 'nothing'"):
        getattr(pipe, "nothing")  # noqa: B009


def test_each_transform_chooses_the_items_it_sets_up_on():
    class Items(list):
        train = None

    items = Items([1, 2, 3, 4])
    items.train = [1, 2]
    seen = {}

    class Train(Transform):
        def setups(self, xs):
            seen["train"] = list(xs)

    class Every(Transform):
        train_setup = False  # a tokenizer: every item, validation ones too

        def setups(self, xs):
            seen["every"] = list(xs)

    Pipeline([lambda x: x * 10, Train(), Every()]).setup(items, train_setup=True)
    assert seen == {"train": [10, 20], "every": [10, 20, 30, 40]}
