def test_star_import_brings_the_layers_and_the_notebook_basics():
    namespace = {}
    exec("from lamella.data.all import *", namespace)
    expected = (
        "DataBlock DataLoader DataLoaders Datasets TfmdLists TfmdDL Transform Pipeline TensorImage "
        "aug_transforms show_at range_of set_seed torch nn F Tensor np math random Path partial "
        "attrgetter itemgetter"
    ).split()
    assert [n for n in expected if n not in namespace] == []
    assert namespace["F"].__name__ == "torch.nn.functional"
