"""lamella.tabular: tabular models on pandas data frames.

This layer's issue has not been worked yet: the package builds, imports and declares its
dependencies, and its public API is still empty. It will hold TabularPandas, Categorify,
FillMissing, Normalize, TabularModel, tabular_learner.

Examples:
    >>> import lamella.tabular
    >>> lamella.tabular.__all__
    []
"""

__all__: list[str] = []
