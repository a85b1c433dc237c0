//! The native half of the `newslens` Python package (PyO3): `analyze`, `analyze_many` and
//! `Corpus`, over the same pipeline, store and export crates as the CLI.
//!
//! Articles cross into Python as the CLI's JSON contract, parsed by Python's own `json` module
//! (C code, a few per cent of the analysis time), so a dict from Python is the object `newslens
//! analyze --format json` prints. Every long call releases the GIL (`Python::detach`): analysis
//! runs on the pipeline's threads while other Python threads go on. Errors become Python
//! exceptions carrying the CLI's one-line messages. The Python-side conveniences (pandas, pyarrow)
//! live in `newslens/__init__.py`; this file never imports either.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, OnceLock};

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};

use newslens_export::{export, ExportRequest, Format, Table};
use newslens_pipeline::{Chunks, Done, Pipeline, Settings};
use newslens_read::{Format as InputFormat, Given, Origin, ReadError, Record};
use newslens_store::{
    redact_url, ArticleScan, QuoteFilter, SearchQuery, Store, StoryFilter, MAX_OFFSET,
};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

create_exception!(
    _newslens,
    NewslensError,
    PyException,
    "Base class of every newslens error."
);
create_exception!(
    _newslens,
    AnalyzeError,
    NewslensError,
    "An input could not be read or analysed; the message names it, as the CLI's error line does."
);
create_exception!(
    _newslens,
    CorpusError,
    NewslensError,
    "The corpus could not be opened, read or written."
);

/// The pipeline `analyze` uses: one thread (it runs on the caller's), made once.
fn single_pipeline() -> PyResult<&'static Pipeline> {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    if let Some(pipeline) = PIPELINE.get() {
        return Ok(pipeline);
    }
    let pipeline = Pipeline::new(Settings {
        jobs: Some(1),
        ..Settings::default()
    })
    .map_err(|error| NewslensError::new_err(error.to_string()))?;
    Ok(PIPELINE.get_or_init(|| pipeline))
}

/// Python's `json.loads`, to turn a contract JSON string into dicts and lists.
fn json_loads<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: OnceLock<Py<PyAny>> = OnceLock::new();
    let loads = match LOADS.get() {
        Some(loads) => loads,
        None => {
            let loads = py.import("json")?.getattr("loads")?.unbind();
            LOADS.get_or_init(|| loads)
        }
    };
    loads.bind(py).call1((json,))
}

fn to_json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|error| NewslensError::new_err(error.to_string()))
}

/// One input as the pipeline reads it.
fn record(
    origin: Origin,
    text: Option<String>,
    html: Option<String>,
    url: Option<String>,
    outlet: Option<String>,
) -> PyResult<Record> {
    let (bytes, format) = match (text, html) {
        (Some(text), None) => (text.into_bytes(), InputFormat::Text),
        (None, Some(html)) => (html.into_bytes(), InputFormat::Html),
        (Some(_), Some(_)) => {
            return Err(PyValueError::new_err(
                "give text= or html=, not both",
            ))
        }
        (None, None) => return Err(PyValueError::new_err("give text= or html=")),
    };
    Ok(Record {
        origin,
        bytes,
        format,
        given: Given {
            url,
            outlet,
            ..Given::default()
        },
        fallback: Given::default(),
    })
}

fn analyze_error(error: &ReadError) -> PyErr {
    AnalyzeError::new_err(error.to_string())
}

/// Analyses one article into the newslens.article/1 contract, as `newslens analyze --format json`
/// prints it (a dict).
///
/// Give the article as plain `text` or as an `html` page (its main text is extracted); `url` and
/// `outlet` fill the article's source when the input does not give them. Raises `AnalyzeError`
/// with the CLI's message when the input cannot be read (empty, too large, not text).
#[pyfunction]
#[pyo3(signature = (text=None, html=None, url=None, outlet=None))]
fn analyze(
    py: Python<'_>,
    text: Option<String>,
    html: Option<String>,
    url: Option<String>,
    outlet: Option<String>,
) -> PyResult<Py<PyAny>> {
    let record = record(Origin::file("<analyze>"), text, html, url, outlet)?;
    let pipeline = single_pipeline()?;
    let json = py.detach(|| {
        pipeline
            .analyze_one(record)
            .map(|Done { value, .. }| serde_json::to_string(&value))
    });
    match json {
        Ok(Ok(json)) => Ok(json_loads(py, &json)?.unbind()),
        Ok(Err(error)) => Err(NewslensError::new_err(error.to_string())),
        Err(error) => Err(analyze_error(&error)),
    }
}

/// A record of `analyze_many`: a string is plain text; a dict has `text` or `html`, and may
/// have `url`, `outlet` and `path` (named in error messages and kept as `source.path`).
fn record_of(item: &Bound<'_, PyAny>, idx: usize) -> PyResult<Record> {
    let default_origin = || Origin::line("<analyze_many>", idx + 1);
    if let Ok(text) = item.cast::<PyString>() {
        return record(default_origin(), Some(text.extract::<String>()?), None, None, None);
    }
    let Ok(dict) = item.cast::<PyDict>() else {
        return Err(PyTypeError::new_err(format!(
            "analyze_many: record {} is neither a str nor a dict",
            idx + 1
        )));
    };
    let field = |name: &str| -> PyResult<Option<String>> {
        match dict.get_item(name)? {
            Some(value) if !value.is_none() => Ok(Some(value.extract::<String>()?)),
            _ => Ok(None),
        }
    };
    let origin = match field("path")? {
        Some(path) => Origin::file(path),
        None => default_origin(),
    };
    record(
        origin,
        field("text")?,
        field("html")?,
        field("url")?,
        field("outlet")?,
    )
}

/// The iterator `analyze_many` returns.
#[pyclass(module = "newslens._newslens")]
struct AnalyzeMany {
    records: Py<PyAny>,
    pipeline: Arc<Pipeline>,
    /// Records pulled from the input per round: enough to keep every thread busy.
    round: usize,
    /// Results analysed and not yet returned, in input order.
    ready: VecDeque<Result<String, String>>,
    n_pulled: usize,
    exhausted: bool,
    raise_errors: bool,
}

#[pymethods]
impl AnalyzeMany {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        if self.ready.is_empty() && !self.exhausted {
            self.fill(py)?;
        }
        match self.ready.pop_front() {
            None => Ok(None),
            Some(Ok(json)) => Ok(Some(json_loads(py, &json)?.unbind())),
            Some(Err(message)) if self.raise_errors => Err(AnalyzeError::new_err(message)),
            Some(Err(message)) => Ok(Some(AnalyzeError::new_err(message).into_value(py).into_any())),
        }
    }
}

impl AnalyzeMany {
    /// Pulls a round of records (with the GIL), analyses them in parallel (without it).
    fn fill(&mut self, py: Python<'_>) -> PyResult<()> {
        let mut chunk = Vec::with_capacity(self.round);
        let records = self.records.bind(py);
        while chunk.len() < self.round {
            let item = match records.call_method0("__next__") {
                Ok(item) => item,
                Err(error) if error.is_instance_of::<pyo3::exceptions::PyStopIteration>(py) => {
                    self.exhausted = true;
                    break;
                }
                Err(error) => return Err(error),
            };
            chunk.push(Ok(record_of(&item, self.n_pulled)?));
            self.n_pulled += 1;
        }
        let pipeline = Arc::clone(&self.pipeline);
        let results = py.detach(move || {
            // Serialised on the analysis threads too: only json.loads needs the GIL.
            pipeline.install(|| {
                use rayon::prelude::*;
                pipeline
                    .analyze_chunk(chunk)
                    .into_par_iter()
                    .map(|result| match result {
                        Ok(Done { value, .. }) => {
                            serde_json::to_string(&value).map_err(|error| error.to_string())
                        }
                        Err(error) => Err(error.to_string()),
                    })
                    .collect::<Vec<_>>()
            })
        });
        self.ready.extend(results);
        Ok(())
    }
}

/// Analyses many articles in parallel, with the GIL released; yields contract dicts in input
/// order.
///
/// `records` is any iterable of strings (plain text) or dicts with `text` or `html` and
/// optionally `url`, `outlet` and `path`. `jobs` is the number of analysis threads (default: one
/// per core). An input that cannot be read raises `AnalyzeError` at its position (iteration can
/// go on with `next()`); with `errors="return"` the exception object is yielded instead.
#[pyfunction]
#[pyo3(signature = (records, jobs=None, errors="raise"))]
fn analyze_many(
    py: Python<'_>,
    records: &Bound<'_, PyAny>,
    jobs: Option<usize>,
    errors: &str,
) -> PyResult<AnalyzeMany> {
    let raise_errors = match errors {
        "raise" => true,
        "return" => false,
        other => {
            return Err(PyValueError::new_err(format!(
                "errors={other:?}: give \"raise\" or \"return\""
            )))
        }
    };
    let pipeline = py
        .detach(|| {
            Pipeline::new(Settings {
                jobs,
                ..Settings::default()
            })
        })
        .map_err(|error| NewslensError::new_err(error.to_string()))?;
    let round = 64 * pipeline.threads().max(1);
    Ok(AnalyzeMany {
        records: records.try_iter()?.into_any().unbind(),
        pipeline: Arc::new(pipeline),
        round,
        ready: VecDeque::new(),
        n_pulled: 0,
        exhausted: false,
        raise_errors,
    })
}

/// A corpus: an SQLite file or a PostgreSQL database (`postgres://USER@HOST:PORT/DB`).
#[pyclass(module = "newslens._newslens", subclass)]
struct Corpus {
    store: Mutex<Box<dyn Store + Send>>,
    shown: String,
}

impl Corpus {
    /// A store error as the CLI words it (the store's messages name the database already).
    fn failed(&self, error: impl std::fmt::Display) -> PyErr {
        CorpusError::new_err(error.to_string())
    }

    fn with_store<T: Send>(
        &self,
        py: Python<'_>,
        work: impl FnOnce(&mut Box<dyn Store + Send>) -> Result<T, String> + Send,
    ) -> PyResult<T> {
        py.detach(|| {
            let mut store = self
                .store
                .lock()
                .map_err(|_| "the corpus was poisoned by a panic".to_string())?;
            work(&mut store)
        })
        .map_err(|message| self.failed(message))
    }
}

fn table_named(name: &str) -> PyResult<Table> {
    Table::from_name(name).ok_or_else(|| {
        PyValueError::new_err(format!(
            "{name:?} is not a table: give articles, quotes, entities, mentions, stories or loaded"
        ))
    })
}

fn scan(outlet: Option<String>, since: Option<String>, until: Option<String>) -> ArticleScan {
    ArticleScan {
        outlet,
        since,
        until,
    }
}

#[pymethods]
impl Corpus {
    /// Opens the corpus at `path_or_url`, creating an SQLite file (or the PostgreSQL tables)
    /// when missing.
    #[new]
    fn new(py: Python<'_>, path_or_url: &str) -> PyResult<Corpus> {
        let shown = redact_url(path_or_url);
        let store = py
            .detach(|| newslens_store::open(path_or_url))
            .map_err(|error| CorpusError::new_err(format!("cannot open the corpus {shown}: {error}")))?;
        Ok(Corpus {
            store: Mutex::new(store),
            shown,
        })
    }

    fn __repr__(&self) -> String {
        format!("Corpus({:?})", self.shown)
    }

    /// Reads, analyses and stores files and folders (.txt, .html, .jsonl, .warc[.gz]) as
    /// `newslens ingest` does, then updates the stories. Returns a dict of counts and the error
    /// lines of inputs that failed (the rest went on).
    #[pyo3(signature = (paths, outlet=None, jobs=None))]
    fn ingest(
        &self,
        py: Python<'_>,
        paths: Vec<String>,
        outlet: Option<String>,
        jobs: Option<usize>,
    ) -> PyResult<Py<PyAny>> {
        let (report, errors) = self.with_store(py, |store| {
            let pipeline = Pipeline::new(Settings {
                jobs,
                defaults: newslens_pipeline::Defaults { outlet, url: None },
                ..Settings::default()
            })
            .map_err(|error| error.to_string())?;
            let records = newslens_pipeline::records_of(&paths, &pipeline.settings().read);
            let mut errors = Vec::new();
            let report = newslens_pipeline::ingest(
                &pipeline,
                store,
                Chunks::new(records),
                &mut |event| {
                    if let newslens_pipeline::Event::Failed(error) = event {
                        errors.push(error.to_string());
                    }
                },
            )
            .map_err(|error| error.to_string())?;
            Ok((report, errors))
        })?;
        let summary = PyDict::new(py);
        summary.set_item("read", report.stored.n_read)?;
        summary.set_item("added", report.stored.outcome.added)?;
        summary.set_item(
            "already_stored",
            report.stored.outcome.same_text + report.stored.outcome.same_url,
        )?;
        summary.set_item("failed", report.stored.n_failed)?;
        summary.set_item("errors", PyList::new(py, errors)?)?;
        summary.set_item("articles", report.counts.articles)?;
        summary.set_item("stories", report.counts.stories)?;
        summary.set_item("quotes", report.counts.quotes)?;
        Ok(summary.into_any().unbind())
    }

    /// Stories, newest first (most covered first with `most_covered=True`), as dicts like
    /// `newslens stories --format jsonl` prints.
    #[pyo3(signature = (min_articles=1, limit=None, offset=0, most_covered=false))]
    fn stories(
        &self,
        py: Python<'_>,
        min_articles: usize,
        limit: Option<usize>,
        offset: usize,
        most_covered: bool,
    ) -> PyResult<Py<PyAny>> {
        check_offset(offset)?;
        let filter = StoryFilter {
            min_articles,
            limit,
            offset,
            most_covered,
        };
        let json = self.with_store(py, |store| {
            store
                .stories(&filter)
                .map_err(|error| error.to_string())
                .and_then(|stories| serde_json::to_string(&stories).map_err(|e| e.to_string()))
        })?;
        Ok(json_loads(py, &json)?.unbind())
    }

    /// Quotes by speaker, subject, outlet and date, earliest first, as dicts like `newslens
    /// quotes --format jsonl` prints. Names match whole or by last name, any case; dates are
    /// ISO 8601 prefixes (`until="2024-05"` takes all of May).
    #[pyo3(signature = (speaker=None, about=None, outlet=None, since=None, until=None, limit=None, offset=0))]
    #[allow(clippy::too_many_arguments)]
    fn quotes(
        &self,
        py: Python<'_>,
        speaker: Option<String>,
        about: Option<String>,
        outlet: Option<String>,
        since: Option<String>,
        until: Option<String>,
        limit: Option<usize>,
        offset: usize,
    ) -> PyResult<Py<PyAny>> {
        check_offset(offset)?;
        check_date("since", since.as_deref())?;
        check_date("until", until.as_deref())?;
        let filter = QuoteFilter {
            speaker,
            about,
            outlet,
            since,
            until,
            limit,
            offset,
        };
        let json = self.with_store(py, |store| {
            store
                .quotes(&filter)
                .map_err(|error| error.to_string())
                .and_then(|quotes| serde_json::to_string(&quotes).map_err(|e| e.to_string()))
        })?;
        Ok(json_loads(py, &json)?.unbind())
    }

    /// Full-text search (words, "phrases", AND/OR/NOT, prefix*), best first, as dicts like
    /// `newslens search --format jsonl` prints.
    #[pyo3(signature = (q, outlet=None, entity=None, since=None, until=None, limit=20, offset=0))]
    #[allow(clippy::too_many_arguments)]
    fn search(
        &self,
        py: Python<'_>,
        q: String,
        outlet: Option<String>,
        entity: Option<String>,
        since: Option<String>,
        until: Option<String>,
        limit: Option<usize>,
        offset: usize,
    ) -> PyResult<Py<PyAny>> {
        check_offset(offset)?;
        check_date("since", since.as_deref())?;
        check_date("until", until.as_deref())?;
        let query = SearchQuery {
            text: q,
            outlet,
            entity,
            since,
            until,
            limit,
            offset,
        };
        let json = self.with_store(py, |store| {
            store
                .search(&query)
                .map_err(|error| error.to_string())
                .and_then(|hits| serde_json::to_string(&hits).map_err(|e| e.to_string()))
        })?;
        Ok(json_loads(py, &json)?.unbind())
    }

    /// Writes a table to a file as `newslens export` does (`format`: jsonl, csv, parquet, gkg).
    /// Returns the number of rows written.
    #[pyo3(signature = (table, path, format="parquet", outlet=None, since=None, until=None))]
    #[allow(clippy::too_many_arguments)]
    fn export(
        &self,
        py: Python<'_>,
        table: &str,
        path: std::path::PathBuf,
        format: &str,
        outlet: Option<String>,
        since: Option<String>,
        until: Option<String>,
    ) -> PyResult<u64> {
        let table = table_named(table)?;
        let format = Format::from_name(format).ok_or_else(|| {
            PyValueError::new_err(format!("{format:?} is not a format: give jsonl, csv, parquet or gkg"))
        })?;
        check_date("since", since.as_deref())?;
        check_date("until", until.as_deref())?;
        let mut request = ExportRequest::new(table, format);
        request.scan = scan(outlet, since, until);
        self.with_store(py, |store| {
            let file = std::fs::File::create(&path)
                .map_err(|error| format!("{}: cannot create the export file: {error}", path.display()))?;
            match export(&**store, &request, std::io::BufWriter::new(file)) {
                Ok(summary) => Ok(summary.rows),
                Err(error) => {
                    let _ = std::fs::remove_file(&path);
                    Err(error.to_string())
                }
            }
        })
    }

    /// A table as Parquet bytes in memory (what `to_arrow` and `to_pandas` read).
    #[pyo3(signature = (table, outlet=None, since=None, until=None))]
    fn parquet_bytes(
        &self,
        py: Python<'_>,
        table: &str,
        outlet: Option<String>,
        since: Option<String>,
        until: Option<String>,
    ) -> PyResult<Py<PyBytes>> {
        let table = table_named(table)?;
        check_date("since", since.as_deref())?;
        check_date("until", until.as_deref())?;
        let mut request = ExportRequest::new(table, Format::Parquet);
        request.scan = scan(outlet, since, until);
        let bytes = self.with_store(py, |store| {
            let mut bytes = Vec::new();
            export(&**store, &request, &mut bytes).map_err(|error| error.to_string())?;
            Ok(bytes)
        })?;
        Ok(PyBytes::new(py, &bytes).unbind())
    }

    /// Articles, stories and quotes in the corpus, as a dict.
    fn counts(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let json = self.with_store(py, |store| {
            store
                .counts()
                .map_err(|error| error.to_string())
                .and_then(|counts| to_json(&counts).map_err(|e| e.to_string()))
        })?;
        Ok(json_loads(py, &json)?.unbind())
    }
}

fn check_offset(offset: usize) -> PyResult<()> {
    if offset > MAX_OFFSET {
        return Err(PyValueError::new_err(format!(
            "offset={offset}: at most {MAX_OFFSET}"
        )));
    }
    Ok(())
}

fn check_date(name: &str, date: Option<&str>) -> PyResult<()> {
    match date {
        Some(date) if !newslens_contract::dates::is_date_bound(date) => Err(PyValueError::new_err(
            format!("{name}={date:?} is not a date: give YYYY, YYYY-MM, YYYY-MM-DD or a full ISO 8601 time"),
        )),
        _ => Ok(()),
    }
}

/// The native module; `newslens/__init__.py` re-exports it.
#[pymodule]
fn _newslens(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_many, m)?)?;
    m.add_class::<AnalyzeMany>()?;
    m.add_class::<Corpus>()?;
    m.add("NewslensError", m.py().get_type::<NewslensError>())?;
    m.add("AnalyzeError", m.py().get_type::<AnalyzeError>())?;
    m.add("CorpusError", m.py().get_type::<CorpusError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
