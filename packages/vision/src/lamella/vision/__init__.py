"""lamella.vision: computer vision in four lines.

Image items (`PILImage`, `PILImageBW`, `PILMask`), `Resize`, vision blocks (`ImageBlock`,
`MaskBlock`, `PointBlock`, `BBoxBlock`, `BBoxLblBlock`), `ImageDataLoaders` and
`SegmentationDataLoaders`, torchvision
architectures cut into a body and a new head (`create_cnn_model`), and `vision_learner`.
Depends on lamella-learner, torchvision, Pillow and matplotlib.

Examples:
    >>> import lamella.samples
    >>> from lamella.vision import ImageDataLoaders, Resize
    >>> path = lamella.samples.path("mnist_tiny")
    >>> dls = ImageDataLoaders.from_folder(path, item_tfms=Resize(28), device="cpu")
    >>> dls.one_batch()[0].shape
    torch.Size([64, 3, 28, 28])
"""

from . import models as models
from .annotations import get_annotations as get_annotations
from .block import AddMaskCodes as AddMaskCodes
from .block import BBoxBlock as BBoxBlock
from .block import BBoxLblBlock as BBoxLblBlock
from .block import ImageBlock as ImageBlock
from .block import MaskBlock as MaskBlock
from .block import MaskError as MaskError
from .block import MaskMatchesImage as MaskMatchesImage
from .block import PointBlock as PointBlock
from .coords import PointScaler as PointScaler
from .coords import bb_pad as bb_pad
from .factories import ImageDataLoaders as ImageDataLoaders
from .factories import SegmentationDataLoaders as SegmentationDataLoaders
from .files import download_images as download_images
from .files import resize_images as resize_images
from .files import verify_image as verify_image
from .files import verify_images as verify_images
from .flip import DihedralItem as DihedralItem
from .flip import FlipItem as FlipItem
from .flip import dihedral as dihedral
from .flip import flip_lr as flip_lr
from .gan import AddChannels as AddChannels
from .gan import GANLoss as GANLoss
from .gan import GANModule as GANModule
from .gan import InvisibleTensor as InvisibleTensor
from .gan import basic_critic as basic_critic
from .gan import basic_generator as basic_generator
from .gan import gan_loss_from_func as gan_loss_from_func
from .gan import generate_noise as generate_noise
from .gan_learner import AdaptiveGANSwitcher as AdaptiveGANSwitcher
from .gan_learner import FixedGANSwitcher as FixedGANSwitcher
from .gan_learner import GANLearner as GANLearner
from .gan_learner import GANTrainer as GANTrainer
from .gan_learner import set_freeze_model as set_freeze_model
from .image import ImageReadError as ImageReadError
from .image import PILBase as PILBase
from .image import PILImage as PILImage
from .image import PILImageBW as PILImageBW
from .image import PILMask as PILMask
from .image import get_image_files as get_image_files
from .image import image2tensor as image2tensor
from .image import image_extensions as image_extensions
from .image import load_image as load_image
from .learner import cnn_learner as cnn_learner
from .learner import vision_learner as vision_learner
from .models import AdaptiveConcatPool2d as AdaptiveConcatPool2d
from .models import add_head as add_head
from .models import cifar_stats as cifar_stats
from .models import cnn_splitter as cnn_splitter
from .models import convnext_tiny as convnext_tiny
from .models import create_body as create_body
from .models import create_cnn_model as create_cnn_model
from .models import create_head as create_head
from .models import create_vision_model as create_vision_model
from .models import cut_model as cut_model
from .models import default_split as default_split
from .models import efficientnet_b0 as efficientnet_b0
from .models import imagenet_stats as imagenet_stats
from .models import load_arch as load_arch
from .models import mnist_stats as mnist_stats
from .models import model_meta as model_meta
from .models import num_features_model as num_features_model
from .models import register_arch as register_arch
from .models import resnet18 as resnet18
from .models import resnet34 as resnet34
from .models import resnet50 as resnet50
from .models import resnet_split as resnet_split
from .models import splitter_for as splitter_for
from .models import xresnet_split as xresnet_split
from .resize import CropPad as CropPad
from .resize import PadMode as PadMode
from .resize import RandomCrop as RandomCrop
from .resize import RandomResizedCrop as RandomResizedCrop
from .resize import Resize as Resize
from .resize import ResizeMethod as ResizeMethod
from .show import show_boxes as show_boxes
from .timm_models import TimmBody as TimmBody
from .timm_models import create_timm_model as create_timm_model
from .unet import DynamicUnet as DynamicUnet
from .unet import create_unet_model as create_unet_model
from .unet import unet_learner as unet_learner
from .unet import unet_splitter as unet_splitter
from .widgets import DELETE as DELETE
from .widgets import KEEP as KEEP
from .widgets import ImageClassifierCleaner as ImageClassifierCleaner
from .xresnet import ConvLayer as ConvLayer
from .xresnet import XResNet as XResNet
from .xresnet import xresnet18 as xresnet18
from .xresnet import xresnet34 as xresnet34
from .xresnet import xresnet50 as xresnet50

__all__ = [
    "AdaptiveConcatPool2d",
    "AdaptiveGANSwitcher",
    "AddChannels",
    "AddMaskCodes",
    "BBoxBlock",
    "BBoxLblBlock",
    "ConvLayer",
    "CropPad",
    "DELETE",
    "DihedralItem",
    "DynamicUnet",
    "FixedGANSwitcher",
    "FlipItem",
    "GANLearner",
    "GANLoss",
    "GANModule",
    "GANTrainer",
    "ImageBlock",
    "ImageClassifierCleaner",
    "ImageDataLoaders",
    "ImageReadError",
    "InvisibleTensor",
    "KEEP",
    "MaskBlock",
    "MaskError",
    "MaskMatchesImage",
    "PILBase",
    "PILImage",
    "PILImageBW",
    "PILMask",
    "PadMode",
    "PointBlock",
    "PointScaler",
    "RandomCrop",
    "RandomResizedCrop",
    "Resize",
    "ResizeMethod",
    "SegmentationDataLoaders",
    "TimmBody",
    "XResNet",
    "add_head",
    "basic_critic",
    "basic_generator",
    "bb_pad",
    "cifar_stats",
    "cnn_learner",
    "cnn_splitter",
    "convnext_tiny",
    "create_body",
    "create_cnn_model",
    "create_head",
    "create_timm_model",
    "create_unet_model",
    "create_vision_model",
    "cut_model",
    "default_split",
    "dihedral",
    "download_images",
    "efficientnet_b0",
    "flip_lr",
    "gan_loss_from_func",
    "generate_noise",
    "get_annotations",
    "get_image_files",
    "image2tensor",
    "image_extensions",
    "imagenet_stats",
    "load_arch",
    "load_image",
    "mnist_stats",
    "model_meta",
    "models",
    "num_features_model",
    "register_arch",
    "resize_images",
    "resnet18",
    "resnet34",
    "resnet50",
    "resnet_split",
    "set_freeze_model",
    "show_boxes",
    "splitter_for",
    "unet_learner",
    "unet_splitter",
    "verify_image",
    "verify_images",
    "vision_learner",
    "xresnet18",
    "xresnet34",
    "xresnet50",
    "xresnet_split",
]
