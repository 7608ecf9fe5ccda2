"""lamella.data: lazily transformed collections, DataLoader, DataBlock and batch augmentation.

The data layer. Its issue is being worked: today it holds `untar_data` and `download_url`
(cached, checksummed, atomic downloads of datasets); `TfmdLists`, `Datasets`, `DataLoader`,
`DataBlock` and batch augmentation come next. Depends on lamella-transforms.

Examples:
    >>> from lamella.data import URLs, untar_data
    >>> URLs.MNIST_TINY.split("/")[-1]
    'mnist_tiny.tgz'
"""

from .external import URLs as URLs
from .external import download_url as download_url
from .external import lamella_home as lamella_home
from .external import untar_data as untar_data

__all__ = ["URLs", "download_url", "lamella_home", "untar_data"]
