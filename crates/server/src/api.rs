//! The JSON API under `/v1`: analyse an article, read the corpus, ingest into it.
//!
//! Each handler parses its parameters, runs one store view (or the analysis) on a blocking thread
//! and answers JSON: the article contract for articles, the store's view values for the rest,
//! lists wrapped in a [`Page`]. The `#[utoipa::path]` attributes are the OpenAPI document
//! (`/v1/openapi.json`), generated from these signatures, so the document and the handlers cannot
//! drift apart; `tests/api.rs` calls every documented operation to hold them to it.

use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use newslens_contract::dates::is_date_bound;
use newslens_contract::Article;
use newslens_pipeline::{store_chunks, Chunks, Defaults, Event};
use newslens_read::jsonl::{parse_record, JsonLines};
use newslens_read::{ErrorKind, Format, Given, Origin, ReadError, Record};
use newslens_store::compare::Comparison;
use newslens_store::{
    compare_story, update_stories, CorpusCounts, EntityReport, QuoteFilter, QuoteRecord, SearchHit,
    SearchQuery, Store, StoryConfig, StoryFilter, StorySummary, MAX_OFFSET,
};

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::{blocking, AppState};

/// Items a list returns when the request does not say.
pub const DEFAULT_LIMIT: usize = 50;
/// Most items one page returns.
pub const MAX_LIMIT: usize = 500;

/// Query parameters parsed with errors answered as JSON.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// Path parameters parsed with errors answered as JSON.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// A request body (within the size limit) with its content type.
pub struct Body {
    /// The `Content-Type` header without parameters, lower-cased (`text/plain` when absent).
    pub content_type: String,
    /// The bytes.
    pub bytes: axum::body::Bytes,
}

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Body, ApiError> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .map_or_else(|| "text/plain".to_string(), |v| v.trim().to_lowercase());
        let bytes = axum::body::Bytes::from_request(request, state).await?;
        Ok(Body {
            content_type,
            bytes,
        })
    }
}

/// One page of a list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Items skipped before this page.
    pub offset: usize,
    /// The page size asked for.
    pub limit: usize,
    /// The offset of the next page, when there is one.
    pub next_offset: Option<usize>,
}

impl<T> Page<T> {
    /// A page from up to `limit + 1` items fetched at `offset` (the extra one tells there is more).
    fn from_fetched(mut items: Vec<T>, paging: Paging) -> Page<T> {
        let more = items.len() > paging.limit;
        items.truncate(paging.limit);
        Page {
            items,
            offset: paging.offset,
            limit: paging.limit,
            next_offset: more.then(|| paging.next_offset()).flatten(),
        }
    }
}

/// Paging parameters, checked.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// Items to skip.
    pub offset: usize,
    /// Page size.
    pub limit: usize,
}

impl Paging {
    /// Checks `limit` (1..=[`MAX_LIMIT`], default [`DEFAULT_LIMIT`]) and `offset`
    /// (0..=[`MAX_OFFSET`], what SQLite's signed OFFSET holds; beyond it the offset wrapped and
    /// `next_offset` led back to the first page forever).
    pub fn new(limit: Option<usize>, offset: Option<usize>) -> ApiResult<Paging> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(ApiError::bad_request(format!(
                "limit must be between 1 and {MAX_LIMIT}, not {limit}"
            )));
        }
        let offset = offset.unwrap_or(0);
        if offset > MAX_OFFSET {
            return Err(ApiError::bad_request(format!(
                "offset must be between 0 and {MAX_OFFSET}, not {offset}"
            )));
        }
        Ok(Paging { offset, limit })
    }

    /// The offset of the page after this one, unless it would be past [`MAX_OFFSET`].
    pub fn next_offset(&self) -> Option<usize> {
        self.offset
            .checked_add(self.limit)
            .filter(|next| *next <= MAX_OFFSET)
    }

    /// The number of rows to fetch: one more than the page, to tell whether there is more.
    fn fetch(&self) -> Option<usize> {
        Some(self.limit + 1)
    }
}

/// Where the analysed text comes from, for inputs that do not say.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AnalyzeParams {
    /// Outlet name, when the input does not give one.
    pub outlet: Option<String>,
    /// URL, when the input does not give one.
    pub url: Option<String>,
}

/// Reads a request body into records: plain text, an HTML page, one JSON record
/// (`{"text"|"html": …, "url", "outlet", "published", "title", "authors", "id"}`), or JSON lines
/// (`application/x-ndjson`, one record a line).
fn body_records(body: &Body, params: &AnalyzeParams) -> ApiResult<Vec<Result<Record, ReadError>>> {
    let origin = Origin::file("request body");
    let records: Vec<Result<Record, ReadError>> = match body.content_type.as_str() {
        "application/json" => vec![parse_record(&body.bytes, origin)],
        "application/x-ndjson" | "application/jsonl" | "application/jsonlines" => {
            JsonLines::new(&body.bytes[..], "request body", body.bytes.len() as u64 + 1).collect()
        }
        "text/html" | "application/xhtml+xml" => vec![Ok(raw_record(body, origin, Format::Html))],
        "text/plain" | "application/octet-stream" => {
            vec![Ok(raw_record(body, origin, Format::Text))]
        }
        other => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "content type {other} is not read; send text/plain, text/html, \
                     application/json or application/x-ndjson"
                ),
            ))
        }
    };
    let defaults = Defaults {
        outlet: params.outlet.clone(),
        url: params.url.clone(),
    };
    Ok(records
        .into_iter()
        .map(|record| record.map(|record| defaults.apply(record)))
        .collect())
}

fn raw_record(body: &Body, origin: Origin, format: Format) -> Record {
    Record {
        origin,
        bytes: body.bytes.to_vec(),
        format,
        given: Given::default(),
        fallback: Given::default(),
    }
}

/// Analyses an article and returns its contract, the same JSON as `newslens analyze`.
#[utoipa::path(
    post,
    path = "/v1/analyze",
    tag = "analysis",
    params(AnalyzeParams),
    request_body(
        description = "The article: text/plain, text/html, or application/json \
                       ({\"text\" or \"html\", with optional url, outlet, published, title, authors})",
        content(
            (String = "text/plain"),
            (String = "text/html"),
            (Object = "application/json")
        )
    ),
    responses(
        (status = 200, description = "The article contract (newslens.article/1)", body = Article),
        (status = 400, description = "Empty, binary or malformed input", body = ErrorBody),
        (status = 413, description = "Body over the size limit", body = ErrorBody),
        (status = 415, description = "A content type that is not read", body = ErrorBody),
        (status = 422, description = "The article's analysis ran past its time budget", body = ErrorBody),
    )
)]
pub async fn analyze(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<AnalyzeParams>,
    body: Body,
) -> ApiResult<Json<Article>> {
    let mut records = body_records(&body, &params)?;
    if records.len() != 1 {
        return Err(ApiError::bad_request(format!(
            "analyze takes one article; the body holds {} (use POST /v1/ingest for a batch)",
            records.len()
        )));
    }
    let record = records.remove(0).map_err(read_error)?;
    let done = blocking(move || state.pipeline().analyze_one(record).map_err(read_error)).await?;
    Ok(Json(done.value))
}

/// A posted input that failed: 400, but 422 when its analysis ran past its time budget — the
/// request was well formed and the server not overloaded; this document costs too much.
fn read_error(error: ReadError) -> ApiError {
    match error.kind {
        ErrorKind::OverBudget(_) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, error.to_string())
        }
        _ => ApiError::bad_request(error.to_string()),
    }
}

/// Looks up one stored article by id (or a unique prefix of it).
#[utoipa::path(
    get,
    path = "/v1/articles/{id}",
    tag = "corpus",
    params(("id" = String, Path, description = "The article id, or a unique prefix of it")),
    responses(
        (status = 200, description = "The stored article contract", body = Article),
        (status = 404, description = "No such article", body = ErrorBody),
    )
)]
pub async fn article(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Article>> {
    let stored = state
        .read(move |store| {
            store
                .article(&id)?
                .ok_or_else(|| ApiError::not_found(format!("no article {id}")))
        })
        .await?;
    Ok(Json(stored.article))
}

/// Filters of the story list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StoriesParams {
    /// Only stories with at least this many articles (near-copies not counted).
    pub min_articles: Option<usize>,
    /// Page size (1–500, default 50).
    pub limit: Option<usize>,
    /// Stories to skip (at most 2^63 - 1).
    pub offset: Option<usize>,
    /// `newest` (default: latest article first) or `coverage` (most articles first).
    pub order: Option<String>,
}

/// Lists stories, newest first.
#[utoipa::path(
    get,
    path = "/v1/stories",
    tag = "corpus",
    params(StoriesParams),
    responses(
        (status = 200, description = "One page of stories", body = Page<StorySummary>),
        (status = 400, description = "Bad parameters", body = ErrorBody),
    )
)]
pub async fn stories(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<StoriesParams>,
) -> ApiResult<Json<Page<StorySummary>>> {
    let paging = Paging::new(params.limit, params.offset)?;
    let most_covered = match params.order.as_deref() {
        None | Some("newest") => false,
        Some("coverage") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "order must be newest or coverage, not {other}"
            )))
        }
    };
    let filter = StoryFilter {
        min_articles: params.min_articles.unwrap_or(1),
        limit: paging.fetch(),
        offset: paging.offset,
        most_covered,
    };
    let items = state.read(move |store| Ok(store.stories(&filter)?)).await?;
    Ok(Json(Page::from_fetched(items, paging)))
}

/// A story with its side-by-side comparison of outlets.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StoryDetail {
    /// The story.
    pub story: StorySummary,
    /// Its outlets side by side, and where they differ.
    pub comparison: Comparison,
}

/// One story and its comparison, the same as `newslens compare`.
#[utoipa::path(
    get,
    path = "/v1/stories/{id}",
    tag = "corpus",
    params(("id" = String, Path, description = "The story id, or a unique prefix of it")),
    responses(
        (status = 200, description = "The story and its comparison", body = StoryDetail),
        (status = 308, description = "The story was merged into another: `Location` names it"),
        (status = 404, description = "No such story", body = ErrorBody),
    )
)]
pub async fn story(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
    let asked = id.clone();
    let detail = state.read(move |store| story_detail(store, &id)).await?;
    if !detail.story.id.starts_with(&asked) {
        let to = format!("/v1/stories/{}", detail.story.id);
        return Ok(axum::response::Redirect::permanent(&to).into_response());
    }
    Ok(Json(detail).into_response())
}

/// A story and its comparison from the store.
pub fn story_detail(store: &dyn Store, id: &str) -> ApiResult<StoryDetail> {
    let story = store
        .story(id)?
        .ok_or_else(|| ApiError::not_found(format!("no story {id}")))?;
    let articles = store.story_articles(&story.id)?;
    let comparison = compare_story(&story, &articles);
    Ok(StoryDetail { story, comparison })
}

/// Filters of the quote list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuotesParams {
    /// Said by this speaker (whole name or last name, any case).
    pub speaker: Option<String>,
    /// Mentioning this person, organisation or place.
    pub about: Option<String>,
    /// In this outlet (any part of its name).
    pub outlet: Option<String>,
    /// Published on or after this date (YYYY-MM-DD, or an ISO 8601 timestamp).
    pub since: Option<String>,
    /// Published on or before this date (YYYY-MM-DD, or an ISO 8601 timestamp).
    pub until: Option<String>,
    /// Page size (1–500, default 50).
    pub limit: Option<usize>,
    /// Quotes to skip (at most 2^63 - 1).
    pub offset: Option<usize>,
}

/// Finds quotes by speaker, subject, outlet and date, earliest first.
#[utoipa::path(
    get,
    path = "/v1/quotes",
    tag = "corpus",
    params(QuotesParams),
    responses(
        (status = 200, description = "One page of quotes", body = Page<QuoteRecord>),
        (status = 400, description = "Bad parameters", body = ErrorBody),
    )
)]
pub async fn quotes(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<QuotesParams>,
) -> ApiResult<Json<Page<QuoteRecord>>> {
    let paging = Paging::new(params.limit, params.offset)?;
    let filter = QuoteFilter {
        speaker: non_empty(params.speaker),
        about: non_empty(params.about),
        outlet: non_empty(params.outlet),
        since: date_bound("since", params.since)?,
        until: date_bound("until", params.until)?,
        limit: paging.fetch(),
        offset: paging.offset,
    };
    let items = state.read(move |store| Ok(store.quotes(&filter)?)).await?;
    Ok(Json(Page::from_fetched(items, paging)))
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|value| !value.trim().is_empty())
}

/// A `since` or `until` parameter, checked: a date (`YYYY-MM-DD`) or a full ISO 8601 timestamp.
/// Anything else was compared with the stored dates as a string and matched nothing or
/// everything without a word.
pub fn date_bound(name: &str, value: Option<String>) -> ApiResult<Option<String>> {
    match non_empty(value) {
        Some(value) if !is_date_bound(value.trim()) => Err(ApiError::bad_request(format!(
            "{name} must be a date (YYYY-MM-DD) or an ISO 8601 timestamp \
             (YYYY-MM-DDTHH:MM:SSZ), not {value:?}"
        ))),
        value => Ok(value.map(|value| value.trim().to_string())),
    }
}

/// Paging of an entity's quote lists.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntityParams {
    /// Quotes by and quotes about, each at most this many (1–500, default 50).
    pub limit: Option<usize>,
    /// Quotes to skip in each list (at most 2^63 - 1).
    pub offset: Option<usize>,
}

/// Mentions over time and quotes by and about an entity, the same as `newslens entity`.
#[utoipa::path(
    get,
    path = "/v1/entities/{name}",
    tag = "corpus",
    params(
        ("name" = String, Path, description = "The name (whole or last name, any case)"),
        EntityParams
    ),
    responses(
        (status = 200, description = "What the corpus knows of the entity", body = EntityReport),
        (status = 404, description = "The corpus never mentions it", body = ErrorBody),
    )
)]
pub async fn entity(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
    ApiQuery(params): ApiQuery<EntityParams>,
) -> ApiResult<Json<EntityReport>> {
    let paging = Paging::new(params.limit, params.offset)?;
    let report = state
        .read(move |store| entity_report(store, &name, paging))
        .await?;
    Ok(Json(report))
}

/// An entity's report with one page of quotes by and about it.
pub fn entity_report(store: &dyn Store, name: &str, paging: Paging) -> ApiResult<EntityReport> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::bad_request("an empty name"));
    }
    let mut report = store.entity(name, Some(0))?;
    let page = |filter: QuoteFilter| store.quotes(&filter);
    report.quotes_by = page(QuoteFilter {
        speaker: Some(name.to_string()),
        limit: Some(paging.limit),
        offset: paging.offset,
        ..QuoteFilter::default()
    })?;
    report.quotes_about = page(QuoteFilter {
        about: Some(name.to_string()),
        limit: Some(paging.limit),
        offset: paging.offset,
        ..QuoteFilter::default()
    })?;
    if report.names.is_empty() && report.quotes_by.is_empty() && report.quotes_about.is_empty() {
        return Err(ApiError::not_found(format!(
            "the corpus never mentions {name}"
        )));
    }
    Ok(report)
}

/// A full-text search with filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words, "phrases", AND / OR / NOT, prefix* (SQLite FTS5 syntax); plain words always work.
    pub q: String,
    /// Only articles of this outlet (any part of its name).
    pub outlet: Option<String>,
    /// Only articles mentioning this entity.
    pub entity: Option<String>,
    /// Published on or after this date (YYYY-MM-DD, or an ISO 8601 timestamp).
    pub since: Option<String>,
    /// Published on or before this date (YYYY-MM-DD, or an ISO 8601 timestamp).
    pub until: Option<String>,
    /// Page size (1–500, default 50).
    pub limit: Option<usize>,
    /// Hits to skip (at most 2^63 - 1).
    pub offset: Option<usize>,
}

/// Full-text search over the corpus, best first.
#[utoipa::path(
    get,
    path = "/v1/search",
    tag = "corpus",
    params(SearchParams),
    responses(
        (status = 200, description = "One page of hits", body = Page<SearchHit>),
        (status = 400, description = "A missing or unreadable query", body = ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> ApiResult<Json<Page<SearchHit>>> {
    let paging = Paging::new(params.limit, params.offset)?;
    let query = SearchQuery {
        text: params.q,
        outlet: non_empty(params.outlet),
        entity: non_empty(params.entity),
        since: date_bound("since", params.since)?,
        until: date_bound("until", params.until)?,
        limit: paging.fetch(),
        offset: paging.offset,
    };
    let items = state.read(move |store| Ok(store.search(&query)?)).await?;
    Ok(Json(Page::from_fetched(items, paging)))
}

/// What one ingest request did.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IngestReport {
    /// Articles stored.
    pub added: usize,
    /// Articles skipped because the same text is stored.
    pub same_text: usize,
    /// Articles skipped because the same URL is stored.
    pub same_url: usize,
    /// Inputs that could not be read, one line each, naming the input.
    pub failed: Vec<String>,
    /// The corpus after the story update.
    pub corpus: CorpusCounts,
}

/// Analyses and stores articles, then updates the stories. Requires the bearer token when the
/// server has one (always when it listens beyond loopback).
#[utoipa::path(
    post,
    path = "/v1/ingest",
    tag = "corpus",
    params(AnalyzeParams),
    request_body(
        description = "One article (text/plain, text/html, application/json) or a batch as JSON \
                       lines (application/x-ndjson)",
        content(
            (String = "text/plain"),
            (String = "text/html"),
            (Object = "application/json"),
            (String = "application/x-ndjson")
        )
    ),
    responses(
        (status = 200, description = "What was stored", body = IngestReport),
        (status = 400, description = "No input could be read", body = ErrorBody),
        (status = 401, description = "A missing or wrong bearer token", body = ErrorBody),
        (status = 413, description = "Body over the size limit", body = ErrorBody),
        (status = 415, description = "A content type that is not read", body = ErrorBody),
    ),
    security((), ("bearer" = []))
)]
pub async fn ingest(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<AnalyzeParams>,
    body: Body,
) -> ApiResult<Json<IngestReport>> {
    authorise(&state, &headers)?;
    let records = body_records(&body, &params)?;
    let writing = state.clone();
    // The same flow as `newslens ingest`: the records are analysed in parallel on the pipeline's
    // threads (what is stored already is skipped before analysis, a panic costs only its record),
    // then stored in one transaction per chunk and the stories updated, under the writer's lock.
    let report = state
        .write(move |store| {
            let mut failed = Vec::new();
            let stored = store_chunks(
                writing.pipeline(),
                store,
                Chunks::new(records),
                &mut |event| {
                    if let Event::Failed(error) = event {
                        failed.push(error.to_string());
                    }
                },
            )?;
            if stored.n_read == 0 {
                return Err(ApiError::bad_request(failed.join("; ")));
            }
            let corpus = update_stories(store, &StoryConfig::default())?;
            Ok(IngestReport {
                added: stored.outcome.added,
                same_text: stored.outcome.same_text,
                same_url: stored.outcome.same_url,
                failed,
                corpus,
            })
        })
        .await?;
    Ok(Json(report))
}

/// Checks the bearer token, when the server has one.
fn authorise(state: &AppState, headers: &HeaderMap) -> ApiResult<()> {
    let Some(token) = &state.settings().token else {
        return Ok(());
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or("");
    if constant_time_eq(given.as_bytes(), token.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "ingest needs the server's token: Authorization: Bearer TOKEN",
        ))
    }
}

/// Compares without stopping at the first difference, so timing tells nothing of the token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// How big the corpus is.
#[utoipa::path(
    get,
    path = "/v1/corpus",
    tag = "corpus",
    responses((status = 200, description = "Corpus sizes", body = CorpusCounts))
)]
pub async fn corpus(State(state): State<AppState>) -> ApiResult<Json<CorpusCounts>> {
    let counts = state.read(|store| Ok(store.counts()?)).await?;
    Ok(Json(counts))
}

/// The answer to a method a path does not take (axum adds the `Allow` header): the same JSON
/// error as every other answer, not an empty body.
pub async fn method_not_allowed() -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "this path does not take this method; the Allow header lists those it takes",
    )
    .into_response()
}

/// The answer to an unknown path under `/v1`.
pub async fn not_found() -> Response {
    ApiError::not_found("no such API path; see /v1/openapi.json").into_response()
}
