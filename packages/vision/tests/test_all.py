def test_star_import_brings_the_notebook_names():
    namespace = {}
    exec("from lamella.vision.all import *", namespace)
    for name in (
        "vision_learner",
        "ImageDataLoaders",
        "Resize",
        "aug_transforms",
        "accuracy",
        "Learner",
        "DataBlock",
        "TensorImage",
        "Pipeline",
        "Adam",
        "untar_data",
        "URLs",
    ):
        assert name in namespace, name
