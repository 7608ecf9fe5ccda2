"""lamella.learner: a training loop that callbacks can change.

This layer's issue has not been worked yet: the package builds, imports and declares its
dependencies, and its public API is still empty. It will hold Learner, its events and callbacks,
losses, metrics, interpretation.

Examples:
    >>> import lamella.learner
    >>> lamella.learner.__all__
    []
"""

__all__: list[str] = []
