"""lamella.collab: collaborative filtering.

This layer's issue has not been worked yet: the package builds, imports and declares its
dependencies, and its public API is still empty. It will hold CollabDataLoaders, EmbeddingDotBias,
EmbeddingNN, collab_learner.

Examples:
    >>> import lamella.collab
    >>> lamella.collab.__all__
    []
"""

__all__: list[str] = []
