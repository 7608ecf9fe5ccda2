def test_star_import_brings_the_notebook_names():
    namespace = {}
    exec("from lamella.tabular.all import *", namespace)
    for name in (
        "TabularDataLoaders",
        "tabular_learner",
        "Categorify",
        "FillMissing",
        "Normalize",
        "accuracy",
        "Learner",
        "RandomSplitter",
        "Adam",
        "untar_data",
        "URLs",
        "make_date",
        "add_elapsed_times",
        "add_datepart",
    ):
        assert name in namespace, name
