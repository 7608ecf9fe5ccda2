"""Batch augmentation on the batch's device: affine and perspective in one resample, lighting in one pass.

Transforms run on whole batches wherever they live (CPU or CUDA), each item with its own
random parameters, and move masks, points and boxes with their images. `aug_transforms()`
gives fastai's defaults, ready for `batch_tfms`.

Examples:
    >>> import torch
    >>> from lamella.data.augment import aug_transforms
    >>> from lamella.typedtensor import TensorImage
    >>> tfms = aug_transforms(size=32)
    >>> x = TensorImage(torch.rand(4, 3, 48, 48))
    >>> for t in tfms:
    ...     x = t(x, split_idx=0)
    >>> tuple(x.shape)
    (4, 3, 32, 32)
"""

from .affine import AffineCoordTfm as AffineCoordTfm
from .affine import CropPadBatch as CropPadBatch
from .affine import Dihedral as Dihedral
from .affine import Flip as Flip
from .affine import RandomResizedCropGPU as RandomResizedCropGPU
from .affine import ResizeBatch as ResizeBatch
from .affine import Rotate as Rotate
from .affine import Warp as Warp
from .affine import Zoom as Zoom
from .erasing import RandomErasing as RandomErasing
from .erasing import erase_image as erase_image
from .kernels import affine_bboxes as affine_bboxes
from .kernels import affine_image as affine_image
from .kernels import affine_mask as affine_mask
from .kernels import affine_points as affine_points
from .kernels import homography_grid as homography_grid
from .lighting import Brightness as Brightness
from .lighting import Contrast as Contrast
from .lighting import Hue as Hue
from .lighting import LightingTfm as LightingTfm
from .lighting import Saturation as Saturation
from .lighting import color_image as color_image
from .lighting import lighting_image as lighting_image
from .presets import aug_transforms as aug_transforms
from .presets import setup_aug_tfms as setup_aug_tfms
from .random import RandTransform as RandTransform
from .random import batch_info as batch_info

__all__ = [
    "AffineCoordTfm",
    "Brightness",
    "Contrast",
    "CropPadBatch",
    "Dihedral",
    "Flip",
    "Hue",
    "LightingTfm",
    "RandTransform",
    "RandomErasing",
    "RandomResizedCropGPU",
    "ResizeBatch",
    "Rotate",
    "Saturation",
    "Warp",
    "Zoom",
    "affine_bboxes",
    "affine_image",
    "affine_mask",
    "affine_points",
    "aug_transforms",
    "batch_info",
    "color_image",
    "erase_image",
    "homography_grid",
    "lighting_image",
    "setup_aug_tfms",
]
