"""lamella.typedtensor: tensors that know what they are.

The foundation layer. Semantic `torch.Tensor` subclasses (`TensorImage`, `TensorMask`,
`TensorPoint`, `TensorBBox`, `TensorCategory`...) keep their type and metadata through torch
ops, can `show()` themselves, and are dropped zero-copy (`as_plain`) at the model boundary.
Depends on torch and numpy; matplotlib only to show (`lamella-typedtensor[show]`).

Examples:
    >>> import torch
    >>> from lamella.typedtensor import TensorImage
    >>> type(TensorImage(torch.rand(3, 4, 4)).flip(-1)).__name__
    'TensorImage'
"""

from .base import TensorBase as TensorBase
from .base import tensor as tensor
from .compile import typed_compile as typed_compile
from .convert import (
    apply as apply,
)
from .convert import (
    as_plain as as_plain,
)
from .convert import (
    cast as cast,
)
from .convert import (
    default_device as default_device,
)
from .convert import (
    is_listy as is_listy,
)
from .convert import (
    retain_type as retain_type,
)
from .convert import (
    to_cpu as to_cpu,
)
from .convert import (
    to_device as to_device,
)
from .convert import (
    to_np as to_np,
)
from .seed import set_seed as set_seed
from .show import (
    show_image as show_image,
)
from .show import (
    show_images as show_images,
)
from .show import (
    show_title as show_title,
)
from .show import (
    show_titled_image as show_titled_image,
)
from .show import (
    subplots as subplots,
)
from .types import (
    TensorBBox as TensorBBox,
)
from .types import (
    TensorCategory as TensorCategory,
)
from .types import (
    TensorImage as TensorImage,
)
from .types import (
    TensorImageBase as TensorImageBase,
)
from .types import (
    TensorImageBW as TensorImageBW,
)
from .types import (
    TensorMask as TensorMask,
)
from .types import (
    TensorMultiCategory as TensorMultiCategory,
)
from .types import (
    TensorPoint as TensorPoint,
)
from .types import (
    TensorText as TensorText,
)

__all__ = [
    "TensorBBox",
    "TensorBase",
    "TensorCategory",
    "TensorImage",
    "TensorImageBW",
    "TensorImageBase",
    "TensorMask",
    "TensorMultiCategory",
    "TensorPoint",
    "TensorText",
    "apply",
    "as_plain",
    "cast",
    "default_device",
    "is_listy",
    "retain_type",
    "set_seed",
    "show_image",
    "show_images",
    "show_title",
    "show_titled_image",
    "subplots",
    "tensor",
    "to_cpu",
    "to_device",
    "to_np",
    "typed_compile",
]
