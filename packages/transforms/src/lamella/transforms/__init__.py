"""lamella.transforms (being built).

Example:
    >>> import lamella.transforms
"""

__all__: list[str] = []
