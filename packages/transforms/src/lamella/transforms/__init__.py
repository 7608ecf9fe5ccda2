"""lamella.transforms: Transform and Pipeline with type dispatch, decode and setup.

The engine every lamella data pipeline runs on. `typedispatch` picks a function by the types
of its first two arguments; a `Transform` has `encodes`, `decodes` and `setups` cases chosen by
the type of the input, maps over tuples, and keeps semantic types; a `Pipeline` composes
transforms in `order`, sets each up on what the ones before it produce, and decodes in reverse.
Depends on lamella-typedtensor only.

Examples:
    >>> from lamella.transforms import Pipeline, Transform
    >>> class Upper(Transform):
    ...     def encodes(self, x: str): return x.upper()
    ...     def decodes(self, x: str): return x.lower()
    >>> pipe = Pipeline([Upper()])
    >>> pipe(("dog", 3)), pipe.decode("DOG")
    (('DOG', 3), 'dog')
"""

from .dispatch import TypeDispatch as TypeDispatch
from .dispatch import typedispatch as typedispatch
from .pipeline import Pipeline as Pipeline
from .transform import DisplayedTransform as DisplayedTransform
from .transform import ItemTransform as ItemTransform
from .transform import Transform as Transform
from .transform import TransformError as TransformError
from .transform import instantiate as instantiate

__all__ = [
    "DisplayedTransform",
    "ItemTransform",
    "Pipeline",
    "Transform",
    "TransformError",
    "TypeDispatch",
    "instantiate",
    "typedispatch",
]
