"""lamella.medical: DICOM to a trained model, with the right Hounsfield units.

`dcmread` gives a `DcmDataset` (a thin object around pydicom's `Dataset`; nothing is patched onto
pydicom) whose `scaled_px` applies the modality LUT, so CT arrives in Hounsfield units. Windows
(`dicom_windows`, `windowed`), histogram scaling (`hist_scaled`, also the `HistScaled` batch
transform), windows as channels (`to_nchan`, `ToNChan`), `PILDicom` / `DicomBlock` for the data
block API in measured float values, headers as a table (`from_dicoms`), fastai's helpers, and whole
series (`dicom_series`) ordered in space and stacked into volumes.

Examples:
    >>> import lamella.samples
    >>> from lamella.medical import dcmread, dicom_windows
    >>> dcm = dcmread(lamella.samples.path("dicom_samples") / "CT_small.dcm")
    >>> dcm.Modality, tuple(dcm.windowed(*dicom_windows.lungs).shape)
    ('CT', (128, 128))
"""

from .core import DcmDataset as DcmDataset
from .core import DicomReadError as DicomReadError
from .core import dcmread as dcmread
from .core import get_dicom_files as get_dicom_files
from .core import is_dicom as is_dicom
from .data import DicomBlock as DicomBlock
from .data import DicomSegmentationDataLoaders as DicomSegmentationDataLoaders
from .data import PILCTScan as PILCTScan
from .data import PILDicom as PILDicom
from .header import as_dict as as_dict
from .header import from_dicoms as from_dicoms
from .helpers import crop_resize as crop_resize
from .helpers import gauss_blur2d as gauss_blur2d
from .helpers import mask2bbox as mask2bbox
from .helpers import mask_from_blur as mask_from_blur
from .helpers import uniform_blur2d as uniform_blur2d
from .intensity import HistScaled as HistScaled
from .intensity import ToNChan as ToNChan
from .intensity import dicom_windows as dicom_windows
from .intensity import freqhist_bins as freqhist_bins
from .intensity import hist_scaled as hist_scaled
from .intensity import pct_in_window as pct_in_window
from .intensity import save_jpg as save_jpg
from .intensity import save_tif16 as save_tif16
from .intensity import to_3chan as to_3chan
from .intensity import to_nchan as to_nchan
from .intensity import to_uint16 as to_uint16
from .intensity import windowed as windowed
from .series import DicomSeries as DicomSeries
from .series import DicomSeriesError as DicomSeriesError
from .series import dicom_series as dicom_series
from .types import TensorCTScan as TensorCTScan
from .types import TensorDicom as TensorDicom

__all__ = [
    "DcmDataset",
    "DicomBlock",
    "DicomReadError",
    "DicomSegmentationDataLoaders",
    "DicomSeries",
    "DicomSeriesError",
    "HistScaled",
    "PILCTScan",
    "PILDicom",
    "TensorCTScan",
    "TensorDicom",
    "ToNChan",
    "as_dict",
    "crop_resize",
    "dcmread",
    "dicom_series",
    "dicom_windows",
    "freqhist_bins",
    "from_dicoms",
    "gauss_blur2d",
    "get_dicom_files",
    "hist_scaled",
    "is_dicom",
    "mask2bbox",
    "mask_from_blur",
    "pct_in_window",
    "save_jpg",
    "save_tif16",
    "to_3chan",
    "to_nchan",
    "to_uint16",
    "uniform_blur2d",
    "windowed",
]
