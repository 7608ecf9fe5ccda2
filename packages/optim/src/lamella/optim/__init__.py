"""lamella.optim (being built).

Example:
    >>> import lamella.optim
"""

__all__: list[str] = []
