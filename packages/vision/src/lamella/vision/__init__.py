"""lamella.vision: computer vision in four lines.

This layer's issue has not been worked yet: the package builds, imports and declares its
dependencies, and its public API is still empty. It will hold image types and I/O, Resize and
friends, ImageBlock, ImageDataLoaders, vision_learner, unet_learner.

Examples:
    >>> import lamella.vision
    >>> lamella.vision.__all__
    []
"""

__all__: list[str] = []
