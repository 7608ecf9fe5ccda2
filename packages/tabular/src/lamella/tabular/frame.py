"""Data frame helpers from fastai's tabular chapter: date parts, continuous/categorical split, shrinking."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

__all__ = ["add_datepart", "add_elapsed_times", "cont_cat_split", "df_shrink", "make_date"]

# fastai's column names, each with the pandas `.dt` accessor that computes it
_DATE_PARTS = {
    "Year": "year", "Month": "month", "Week": None, "Day": "day", "Dayofweek": "day_of_week",
    "Dayofyear": "day_of_year", "Is_month_end": "is_month_end", "Is_month_start": "is_month_start",
    "Is_quarter_end": "is_quarter_end", "Is_quarter_start": "is_quarter_start",
    "Is_year_end": "is_year_end", "Is_year_start": "is_year_start",
}  # fmt: skip
_TIME_PARTS = {"Hour": "hour", "Minute": "minute", "Second": "second"}


def make_date(df: pd.DataFrame, date_field: str, _caller: str = "make_date") -> None:
    """Make the column `date_field` a datetime column, in place (fastai's `make_date`).

    Examples:
        >>> df = pd.DataFrame({"date": ["2019-12-04", "2019-11-29"]}); make_date(df, "date")
        >>> pd.api.types.is_datetime64_any_dtype(df["date"]), df["date"][1].day
        (True, 29)
    """
    if date_field not in df.columns:
        raise KeyError(f"{_caller}: no column {date_field!r}; the columns are {list(df.columns)}")
    if not pd.api.types.is_datetime64_any_dtype(df[date_field]):
        try:
            df[date_field] = pd.to_datetime(df[date_field])
        except (ValueError, TypeError) as e:
            raise ValueError(f"{_caller}: column {date_field!r} does not hold dates ({e})") from e


def add_elapsed_times(
    df: pd.DataFrame, field_names: str | Sequence[str], date_field: str, base_field: str
) -> pd.DataFrame:
    """For each event column, the days since and until it happened, and its count over 7 rows (fastai's).

    Within each `base_field` group (a store), in `date_field` order: `After<f>` is the days since
    the last row where `f` was true (0 before the first), `Before<f>` the days until the next
    (negative; 0 after the last), `<f>_bw` and `<f>_fw` how many of the last and next 7 rows have
    `f` (the row included). The event columns are made booleans and the date column a datetime,
    in place; the result is a new frame with the same rows in the same order, the columns added.
    (fastai merges on date and group, which repeats rows when a pair is not unique; lamella keeps
    each row once.)

    Examples:
        >>> df = pd.DataFrame({"store": [1, 1, 1, 1], "promo": [0, 1, 0, 0],
        ...                    "date": pd.date_range("2015-01-01", periods=4)})
        >>> out = add_elapsed_times(df, "promo", "date", "store")
        >>> out["Afterpromo"].tolist(), out["Beforepromo"].tolist(), out["promo_fw"].tolist()
        ([0, 0, 1, 2], [-1, 0, 0, 0], [1.0, 1.0, 0.0, 0.0])
    """
    fields = [field_names] if isinstance(field_names, str) else list(field_names)
    missing = [c for c in [*fields, date_field, base_field] if c not in df.columns]
    if missing:
        raise KeyError(f"add_elapsed_times: no column {missing}; the columns are {list(df.columns)}")
    df[fields] = df[fields].astype(bool)
    make_date(df, date_field, _caller="add_elapsed_times")
    work = df[[*fields, date_field, base_field]].reset_index(drop=True)
    added: dict[str, pd.Series] = {}
    for ascending, prefix, suffix in ((True, "After", "_bw"), (False, "Before", "_fw")):
        ordered = work.sort_values([base_field, date_field], ascending=[True, ascending], kind="stable")
        groups = ordered.groupby(base_field, sort=False)
        for f in fields:
            last = ordered[date_field].where(ordered[f]).groupby(ordered[base_field], sort=False).ffill()
            added[prefix + f] = (ordered[date_field] - last).dt.days.fillna(0).astype(int)
            rolled = groups[f].rolling(7, min_periods=1).sum().reset_index(level=0, drop=True)
            added[f + suffix] = rolled.astype(float)
    out = df.copy()
    for name, values in added.items():
        out[name] = values.sort_index().to_numpy()
    return out


def add_datepart(
    df: pd.DataFrame, field_name: str, prefix: str | None = None, drop: bool = True, time: bool = False
) -> pd.DataFrame:
    """Replace the date column `field_name` by its parts (year, month, week... and `Elapsed` seconds).

    As fastai's: the new columns are named `<prefix><Part>`, the prefix defaulting to the column's
    name without a trailing "date"; `time` adds hour, minute and second. Returns `df`, changed in place.

    Examples:
        >>> df = add_datepart(pd.DataFrame({"saledate": ["2011-01-31", "2012-07-04"]}), "saledate")
        >>> df[["saleYear", "saleMonth", "saleIs_month_end"]].values.tolist()
        [[2011, 1, True], [2012, 7, False]]
    """
    make_date(df, field_name, _caller="add_datepart")
    field = df[field_name]
    prefix = re.sub("[Dd]ate$", "", field_name) if prefix is None else prefix
    for part, attr in {**_DATE_PARTS, **(_TIME_PARTS if time else {})}.items():
        # attr None: the ISO week, from isocalendar (pandas dropped `.dt.week`)
        if attr is None:
            value = field.dt.isocalendar().week.astype(field.dt.day.dtype)
        else:
            value = getattr(field.dt, attr)
        df[prefix + part] = value
    # whole seconds since 1970, whatever the column's resolution (pandas 3 may keep seconds or µs)
    df[prefix + "Elapsed"] = (field - pd.Timestamp(0)) // pd.Timedelta(seconds=1)
    if drop:
        del df[field_name]
    return df


def cont_cat_split(
    df: pd.DataFrame, max_card: int = 20, dep_var: str | Sequence[str] | None = None
) -> tuple[list[str], list[str]]:
    """`(continuous, categorical)` column names: floats and many-valued integers are continuous (fastai).

    Examples:
        >>> df = pd.DataFrame({"price": [1.5, 2.0], "rooms": [2, 3], "city": ["a", "b"], "y": [0.0, 1.0]})
        >>> cont_cat_split(df, dep_var="y")
        (['price'], ['rooms', 'city'])
    """
    skip = {dep_var} if isinstance(dep_var, str) else set(dep_var or [])
    cont: list[str] = []
    cat: list[str] = []
    for name in df.columns:
        if name in skip:
            continue
        col = df[name]
        many = pd.api.types.is_integer_dtype(col.dtype) and col.nunique() > max_card
        (cont if many or pd.api.types.is_float_dtype(col.dtype) else cat).append(name)
    return cont, cat


def df_shrink(
    df: pd.DataFrame, skip: Sequence[str] = (), obj2cat: bool = True, int2uint: bool = False
) -> pd.DataFrame:
    """A copy of `df` in the smallest dtypes that hold its values: less memory, the same numbers.

    Integers and floats are downcast (`int2uint`: non-negative integers to unsigned), and text
    columns become pandas categoricals (`obj2cat`); columns in `skip` are left alone.

    Examples:
        >>> df = pd.DataFrame({"a": [1, 2], "b": [0.5, 1.5], "c": ["x", "y"]})
        >>> df_shrink(df).dtypes.astype(str).tolist()
        ['int8', 'float32', 'category']
    """
    out = df.copy()
    for name in out.columns:
        if name in skip:
            continue
        col = out[name]
        if pd.api.types.is_bool_dtype(col):
            continue
        if pd.api.types.is_integer_dtype(col):
            kind = "unsigned" if int2uint and (col >= 0).all() else "integer"
            out[name] = pd.to_numeric(col, downcast=kind)
        elif pd.api.types.is_float_dtype(col):
            out[name] = pd.to_numeric(col, downcast="float")
        elif obj2cat and (pd.api.types.is_object_dtype(col) or pd.api.types.is_string_dtype(col)):
            out[name] = col.astype("category")
    return out
