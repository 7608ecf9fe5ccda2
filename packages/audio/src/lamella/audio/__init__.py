"""lamella.audio: audio classification.

This layer's issue has not been worked yet: the package builds, imports and declares its
dependencies, and its public API is still empty. It will hold TensorAudio, loading with soundfile,
spectrograms, AudioBlock.

Examples:
    >>> import lamella.audio
    >>> lamella.audio.__all__
    []
"""

__all__: list[str] = []
