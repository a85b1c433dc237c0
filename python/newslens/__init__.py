"""newslens from Python: who said what, about whom, when — and how each outlet told the story.

The analysis, the corpus and the exports are newslens's Rust code (the same as the ``newslens``
command line), called through a native module; results are plain dicts and lists in the CLI's
JSON contract (``newslens.article/1``).

>>> import newslens
>>> article = newslens.analyze(text='"We will rebuild," said Mayor Ann Lee.')
>>> article["quotes"][0]["speaker"]["name"]
'Ann Lee'

``analyze_many`` analyses an iterable of texts (or dicts) in parallel with the GIL released;
``Corpus`` opens an SQLite file or a PostgreSQL database to ingest, query and export, and turns
its tables into pyarrow tables or pandas data frames when those packages are installed.
"""

from __future__ import annotations

import io
from typing import Any, Optional

from ._newslens import (  # noqa: F401  (re-exported)
    AnalyzeError,
    CorpusError,
    NewslensError,
    __version__,
    analyze,
    analyze_many,
)
from ._newslens import Corpus as _NativeCorpus

__all__ = [
    "AnalyzeError",
    "Corpus",
    "CorpusError",
    "NewslensError",
    "TABLES",
    "analyze",
    "analyze_many",
]

#: The tables a corpus exports (``Corpus.export``, ``to_arrow``, ``to_pandas``).
TABLES = ("articles", "quotes", "entities", "mentions", "stories", "loaded")


class Corpus(_NativeCorpus):
    """A newslens corpus: an SQLite file or ``postgres://USER@HOST:PORT/DB``.

    ``ingest(paths)`` reads, analyses and stores files and folders; ``stories()``, ``quotes()``
    and ``search(q)`` answer as the CLI's commands do; ``export(table, path, format)`` writes a
    file as ``newslens export`` does; ``to_arrow(table)`` and ``to_pandas(table)`` give a table
    in memory (they need pyarrow, and pandas for the latter).
    """

    def to_arrow(
        self,
        table: str,
        outlet: Optional[str] = None,
        since: Optional[str] = None,
        until: Optional[str] = None,
    ) -> Any:
        """The table as a ``pyarrow.Table``, with the Parquet export's typed columns
        (timestamps in UTC, offsets as int64, lists as list columns)."""
        try:
            import pyarrow.parquet as pq
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError(
                "Corpus.to_arrow needs pyarrow: pip install pyarrow"
            ) from error
        data = self.parquet_bytes(table, outlet=outlet, since=since, until=until)
        return pq.read_table(io.BytesIO(data))

    def to_pandas(
        self,
        table: str,
        outlet: Optional[str] = None,
        since: Optional[str] = None,
        until: Optional[str] = None,
    ) -> Any:
        """The table as a ``pandas.DataFrame`` (through pyarrow)."""
        try:
            import pandas  # noqa: F401
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError(
                "Corpus.to_pandas needs pandas and pyarrow: pip install pandas pyarrow"
            ) from error
        return self.to_arrow(table, outlet=outlet, since=since, until=until).to_pandas()
