"""Where the data sets live: the data home folder, found without downloading."""

from __future__ import annotations

import os
from pathlib import Path

#: Name of the environment variable that points at the data home folder.
DATA_HOME_ENV = "SKATTENTION_DATA"


def _search_shared_data(start: Path) -> Path | None:
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return None


def get_data_home(data_home: str | os.PathLike | None = None) -> Path:
    """Return the folder holding the shared data sets.

    The folder is resolved in this order:

    1. the ``data_home`` argument, when given;
    2. the environment variable ``SKATTENTION_DATA``, when set and non-empty;
    3. the first folder ``shared/data`` found by walking up from the current
       working directory, then from the directory of this module (so a
       checkout at ``/work/main`` finds ``/work/shared/data``).

    Parameters
    ----------
    data_home : str or os.PathLike, optional
        Explicit location of the data home.

    Returns
    -------
    pathlib.Path
        The data home folder (absolute path).

    Raises
    ------
    FileNotFoundError
        If the explicit or environment folder does not exist, or if no
        ``shared/data`` folder can be found.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     get_data_home(tmp).is_dir()
    True
    """
    if data_home is not None:
        path = Path(data_home).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(f"data_home {str(path)!r} is not an existing folder.")
        return path.resolve()

    env = os.environ.get(DATA_HOME_ENV, "")
    if env:
        path = Path(env).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(
                f"The environment variable {DATA_HOME_ENV}={env!r} does not name an "
                "existing folder."
            )
        return path.resolve()

    for start in (Path.cwd(), Path(__file__).parent):
        found = _search_shared_data(start)
        if found is not None:
            return found

    raise FileNotFoundError(
        "Could not find the skattention data home: no 'shared/data' folder above "
        f"{str(Path.cwd())!r} or {str(Path(__file__).parent)!r}. Pass data_home=... "
        f"or set the environment variable {DATA_HOME_ENV} to the folder holding "
        "'ud_english_ewt', 'movie_review_polarity' and 'esol' (for example "
        f"`export {DATA_HOME_ENV}=/path/to/shared/data`)."
    )


def _data_file(data_home: str | os.PathLike | None, *parts: str) -> Path:
    path = get_data_home(data_home).joinpath(*parts)
    if not path.is_file():
        raise FileNotFoundError(
            f"Data file {str(path)!r} not found. skattention never downloads data; "
            f"place the file there or point {DATA_HOME_ENV} at another data home."
        )
    return path
