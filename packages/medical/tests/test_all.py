"""The star import brings the medical names and everything vision's brings."""


def test_star_import_brings_medical_and_vision():
    ns = {}
    exec("from lamella.medical.all import *", ns)
    for name in (
        "dcmread",
        "PILDicom",
        "dicom_windows",
        "from_dicoms",
        "dicom_series",
        "vision_learner",
        "resnet18",
        "DataBlock",
        "ColReader",
        "RandomSplitter",
        "Resize",
        "accuracy",
        "pd",
    ):
        assert name in ns, name
