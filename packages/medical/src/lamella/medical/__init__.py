"""lamella.medical: medical imaging from DICOM files.

This layer's issue has not been worked yet: the package builds, imports and declares its
dependencies, and its public API is still empty. It will hold reading DICOM with pydicom, Hounsfield
windowing, DICOM blocks.

Examples:
    >>> import lamella.medical
    >>> lamella.medical.__all__
    []
"""

__all__: list[str] = []
