"""lamella.data (being built).

Example:
    >>> import lamella.data
"""

__all__: list[str] = []
