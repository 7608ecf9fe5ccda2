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


def test_star_import_brings_what_a_fastai_notebook_expects():
    namespace = {}
    exec("from lamella.vision.all import *", namespace)
    expected = (
        "torch nn F Tensor np pd plt Path partial Image attrgetter itemgetter math random "
        "cnn_learner models Module Flatten params set_seed model_meta ConvLayer SigmoidRange "
        "create_vision_model create_unet_model DiceMulti F1ScoreMulti RocAucBinary FlattenedLoss mnist_stats "
        "BILINEAR NEAREST SchedLin SchedCos SchedNo SchedExp SchedPoly combine_scheds minimum steep valley "
        "slide load_pickle verify_images resize_images download_images show_at range_of FlipItem "
        "DihedralItem TfmdDL get_annotations ShowGraphCallback ShortEpochCallback SegmentationInterpretation "
        "ImageClassifierCleaner NormType sequential Lambda one_hot one_hot_decode progress_bar master_bar "
        "doc TimeDistributed Mish apply_init add_head cut_model default_split RandomSubsetSplitter "
        "FocalLoss BCELossFlat"
    ).split()
    assert [n for n in expected if n not in namespace] == []
    assert namespace["models"].resnet34 is namespace["resnet34"]
