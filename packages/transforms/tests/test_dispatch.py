import typing

import pytest
import torch

from lamella.transforms import TypeDispatch, typedispatch
from lamella.typedtensor import TensorBase, TensorImage, TensorImageBW, TensorMask


def f_tensor(x: torch.Tensor):
    return "tensor"


def f_image(x: TensorImage):
    return "image"


def f_any(x):
    return "any"


def test_nearest_in_mro_wins():
    td = TypeDispatch([f_tensor, f_image, f_any])
    assert td(TensorImage(torch.zeros(1))) == "image"
    assert td(TensorImageBW(torch.zeros(1))) == "image"  # one step up the MRO
    assert td(TensorBase(torch.zeros(1))) == "tensor"
    assert td(torch.zeros(1)) == "tensor"
    assert td(3) == "any"


def test_registration_order_does_not_matter():
    assert TypeDispatch([f_image, f_tensor])(TensorImageBW(torch.zeros(1))) == "image"
    assert TypeDispatch([f_tensor, f_image])(TensorImageBW(torch.zeros(1))) == "image"


def test_an_image_case_never_reaches_a_mask():
    # masks hold class codes: a case written for images must not touch them (issue 15)
    assert TypeDispatch([f_image, f_tensor])(TensorMask(torch.zeros(1))) == "tensor"
    assert TypeDispatch([f_image]).lookup(TensorMask) is None


def test_typedispatch_adds_to_the_function_of_the_same_name():
    # fastai's `@typedispatch def show_batch(x: MyType, ...)` extends the library's show_batch
    class Pair(tuple):
        pass

    library, notebook = {}, {"Pair": Pair}
    exec("def show_thing(x, y): return 'generic'", {}, library)  # module-level functions, as in
    exec("def show_thing(x: Pair, y): return 'mine'", notebook, notebook)  # a package and a notebook
    shared = typedispatch(library["show_thing"])
    assert typedispatch(notebook["show_thing"]) is shared
    assert shared(Pair((1, 2)), None) == "mine" and shared(3, None) == "generic"

    def show_thing(x: int, y):  # defined inside a function: a dispatcher of its own
        return "local"

    local = typedispatch(show_thing)
    assert local is not shared and local(1, 2) == "local" and shared(1, 2) == "generic"


@pytest.mark.parametrize(
    "ann",
    [int | str, typing.Union[int, str], (int, str), typing.Optional[int]],  # noqa: UP007, UP045
    ids=["pipe", "Union", "tuple", "Optional"],
)
def test_unions_register_every_member(ann):
    def f(x):
        return "hit"

    f.__annotations__ = {"x": ann}
    td = TypeDispatch([f])
    assert td(1) == "hit"
    second = type(None) if ann == typing.Optional[int] else str  # noqa: UP045
    assert td.lookup(second) is not None
    assert td.lookup(float) is None


def test_generic_annotation_dispatches_on_origin():
    def f(x: list[int]):
        return "list"

    assert TypeDispatch([f])([1]) == "list"


def test_two_argument_dispatch():
    @typedispatch
    def show_batch(x: TensorImage, y: TensorMask, samples=None):
        return "image+mask"

    @show_batch.register
    def _(x: TensorImage, y: object, samples=None):
        return "image+anything"

    @show_batch.register
    def _(x: object, y: object, samples=None):
        return "fallback"

    img, mask = TensorImage(torch.zeros(1)), TensorMask(torch.zeros(1))
    assert show_batch(img, mask) == "image+mask"
    assert show_batch(img, 3) == "image+anything"
    assert show_batch(3, mask) == "fallback"
    assert show_batch(img, mask, samples=[1]) == "image+mask"


def test_first_argument_is_nearer_than_second():
    def a(x: TensorImage, y: object):
        return "a"

    def b(x: torch.Tensor, y: TensorMask):
        return "b"

    td = TypeDispatch([a, b])
    assert td(TensorImage(torch.zeros(1)), TensorMask(torch.zeros(1))) == "a"


def test_no_case_raises_a_clear_type_error():
    td = typedispatch(f_image)
    with pytest.raises(
        TypeError, match=r"f_image has no case for \(int\); registered: \(TensorImage, object\)"
    ):
        td(3)


def test_lookup_is_cached_and_refreshed_when_cases_are_added():
    td = TypeDispatch([f_tensor])
    assert td.lookup(TensorImage)[0] is f_tensor
    assert TensorImage in td._cache1
    td.add(f_image)
    assert td.lookup(TensorImage)[0] is f_image


def test_base_dispatchers_are_a_fallback_that_sees_later_cases():
    parent = TypeDispatch([f_tensor])
    child = TypeDispatch([f_image], bases=[parent])
    assert child(torch.zeros(1)) == "tensor"
    assert child.lookup(int) is None

    def f_int(x: int):
        return "int"

    parent.add(f_int)
    assert child(1) == "int"


def test_return_annotation_is_recorded():
    def f(x: int) -> TensorImage:
        return torch.zeros(1)

    def g(x: str) -> None:
        return None

    td = TypeDispatch([f, g])
    assert td.lookup(int)[1] is TensorImage
    assert td.lookup(str)[1] is type(None)


def test_repr_lists_cases():
    td = TypeDispatch([f_image, f_any], name="show")
    assert repr(td) == "show: (TensorImage, object) -> f_image, (object, object) -> f_any"
    assert repr(TypeDispatch(name="empty")) == "empty: no cases"


def test_bad_annotation_is_refused():
    def f(x: "NoSuchName"):  # noqa: F821
        return x

    with pytest.raises(TypeError, match="cannot read the annotations of"):
        TypeDispatch([f])

    def g(x: 3):
        return x

    with pytest.raises(TypeError, match="cannot dispatch on the annotation 3"):
        TypeDispatch([g])


def test_method_dispatch_skips_self():
    def enc(self, x: int):
        return (self, x + 1)

    td = TypeDispatch([enc], is_method=True)
    assert td("me", 1) == ("me", 2)


def test_callable_objects_and_partials_dispatch():
    import functools

    class Labeller:
        def __call__(self, x: str):
            return x.upper()

    assert TypeDispatch([Labeller()])("a") == "A"
    assert TypeDispatch([Labeller()]).lookup(int) is None
    assert TypeDispatch([functools.partial(lambda x, y: x + y, y=1)])(1) == 2


def test_a_second_parameter_with_a_default_is_not_dispatched_on():
    from lamella.transforms import Transform

    def pad(xs: list, fill: int = 0) -> list:
        return xs + [fill]

    assert Transform(pad)([1]) == [1, 0]
