"""lamella.text: text classification and language models.

This layer's issue has not been worked yet: the package builds, imports and declares its
dependencies, and its public API is still empty. It will hold tokenization with spaCy, Numericalize,
TextBlock, TextDataLoaders, AWD-LSTM, text_classifier_learner.

Examples:
    >>> import lamella.text
    >>> lamella.text.__all__
    []
"""

__all__: list[str] = []
