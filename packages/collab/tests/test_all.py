def test_star_import_brings_the_notebook_names():
    namespace = {}
    exec("from lamella.collab.all import *", namespace)
    for name in (
        "CollabDataLoaders",
        "collab_learner",
        "EmbeddingDotBias",
        "TabularPandas",
        "Learner",
        "Adam",
    ):
        assert name in namespace, name
