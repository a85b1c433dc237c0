"""Type stubs for the newslens package."""

from os import PathLike
from typing import Any, Dict, Iterable, Iterator, List, Literal, Mapping, Optional, Union

__version__: str
TABLES: tuple[str, ...]

Table = Literal["articles", "quotes", "entities", "mentions", "stories", "loaded"]
ExportFormat = Literal["jsonl", "csv", "parquet", "gkg"]
#: An article in the newslens.article/1 contract (see the README).
ArticleDict = Dict[str, Any]

class NewslensError(Exception):
    """Base class of every newslens error."""

class AnalyzeError(NewslensError):
    """An input could not be read or analysed; the message names it."""

class CorpusError(NewslensError):
    """The corpus could not be opened, read or written."""

def analyze(
    text: Optional[str] = None,
    html: Optional[str] = None,
    url: Optional[str] = None,
    outlet: Optional[str] = None,
) -> ArticleDict:
    """Analyses one article (plain text or an HTML page) into the contract dict."""

class AnalyzeMany(Iterator[Union[ArticleDict, AnalyzeError]]):
    def __iter__(self) -> "AnalyzeMany": ...
    def __next__(self) -> Union[ArticleDict, AnalyzeError]: ...

def analyze_many(
    records: Iterable[Union[str, Mapping[str, Optional[str]]]],
    jobs: Optional[int] = None,
    errors: Literal["raise", "return"] = "raise",
) -> AnalyzeMany:
    """Analyses many articles in parallel (GIL released); results in input order."""

class Corpus:
    def __init__(self, path_or_url: str) -> None: ...
    def ingest(
        self, paths: List[str], outlet: Optional[str] = None, jobs: Optional[int] = None
    ) -> Dict[str, Any]: ...
    def stories(
        self,
        min_articles: int = 1,
        limit: Optional[int] = None,
        offset: int = 0,
        most_covered: bool = False,
    ) -> List[Dict[str, Any]]: ...
    def quotes(
        self,
        speaker: Optional[str] = None,
        about: Optional[str] = None,
        outlet: Optional[str] = None,
        since: Optional[str] = None,
        until: Optional[str] = None,
        limit: Optional[int] = None,
        offset: int = 0,
    ) -> List[Dict[str, Any]]: ...
    def search(
        self,
        q: str,
        outlet: Optional[str] = None,
        entity: Optional[str] = None,
        since: Optional[str] = None,
        until: Optional[str] = None,
        limit: Optional[int] = 20,
        offset: int = 0,
    ) -> List[Dict[str, Any]]: ...
    def export(
        self,
        table: Table,
        path: Union[str, PathLike[str]],
        format: ExportFormat = "parquet",
        outlet: Optional[str] = None,
        since: Optional[str] = None,
        until: Optional[str] = None,
    ) -> int: ...
    def parquet_bytes(
        self,
        table: Table,
        outlet: Optional[str] = None,
        since: Optional[str] = None,
        until: Optional[str] = None,
    ) -> bytes: ...
    def counts(self) -> Dict[str, int]: ...
    def to_arrow(
        self,
        table: Table,
        outlet: Optional[str] = None,
        since: Optional[str] = None,
        until: Optional[str] = None,
    ) -> Any: ...
    def to_pandas(
        self,
        table: Table,
        outlet: Optional[str] = None,
        since: Optional[str] = None,
        until: Optional[str] = None,
    ) -> Any: ...
