//! The pages' handlers: `/`, `/articles/{id}`, `/stories/{id}`, `/entities/{name}`,
//! `/outlets`, `/outlets/{name}` (with its evidence pages `…/quotes?speaker=` and
//! `…/words?word=`) and the embedded stylesheet. Each reads one view from the store and renders it with [`crate::pages`];
//! errors become an HTML error page with the same status the API would give.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use newslens_store::outlets::{speaker_key, OutletQuery};
use newslens_store::{
    outlet_profiles, QuoteFilter, QuoteRecord, SearchHit, SearchQuery, StoryFilter,
};

use crate::api::{entity_report, story_detail, Paging};
use crate::error::ApiError;
use crate::outlets_api::{one_outlet, OutletParams};
use crate::pages;
use crate::state::AppState;

/// Stories the home page lists at a time.
const HOME_STORIES: usize = 30;
/// Search hits the home page shows.
const HOME_HITS: usize = 30;
/// Quotes by and about an entity its page shows.
const ENTITY_QUOTES: usize = 100;

/// The page routes.
pub fn pages(state: AppState) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/articles/{id}", get(article))
        .route("/stories/{id}", get(story))
        .route("/entities/{name}", get(entity))
        .route("/outlets", get(outlets))
        .route("/outlets/{name}", get(outlet))
        .route("/outlets/{name}/quotes", get(outlet_quotes))
        .route("/outlets/{name}/words", get(outlet_words))
        .route("/assets/app.css", get(stylesheet))
        .fallback(not_found)
        .with_state(state)
}

/// An error as a page.
struct PageError(ApiError);

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> PageError {
        PageError(error)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status;
        crate::error::with_retry_after(
            (status, pages::error_page(status.as_u16(), &self.0.message)).into_response(),
        )
    }
}

type PageResult = Result<Html<String>, PageError>;

fn page(markup: maud::Markup) -> Html<String> {
    Html(markup.into_string())
}

#[derive(Debug, Deserialize)]
struct HomeParams {
    q: Option<String>,
    offset: Option<usize>,
}

async fn home(State(state): State<AppState>, Query(params): Query<HomeParams>) -> PageResult {
    let offset = Paging::new(Some(HOME_STORIES), params.offset)?.offset;
    let query = params.q.filter(|q| !q.trim().is_empty());
    let markup = state
        .read(move |store| {
            let counts = store.counts()?;
            let mut stories = store.stories(&StoryFilter {
                min_articles: 1,
                limit: Some(HOME_STORIES + 1),
                offset,
                most_covered: true,
            })?;
            let paging = pages::Paging {
                offset,
                limit: HOME_STORIES,
                has_more: stories.len() > HOME_STORIES,
            };
            stories.truncate(HOME_STORIES);
            let hits = match &query {
                Some(text) => store.search(&SearchQuery {
                    text: text.clone(),
                    limit: Some(HOME_HITS),
                    ..SearchQuery::default()
                })?,
                None => Vec::new(),
            };
            let search = query.as_deref().map(|text| (text, hits.as_slice()));
            Ok(pages::home(&counts, &stories, &paging, search))
        })
        .await?;
    Ok(page(markup))
}

async fn article(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let markup = state
        .read(move |store| {
            let stored = store
                .article(&id)?
                .ok_or_else(|| ApiError::not_found(format!("no article {id}")))?;
            let story = store.story(&stored.story)?;
            Ok(pages::article(&stored, story.as_ref()))
        })
        .await?;
    Ok(page(markup))
}

/// A story's page; the id of a story merged away redirects to the story that absorbed it.
async fn story(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let asked = id.clone();
    let detail = state.read(move |store| story_detail(store, &id)).await?;
    if !detail.story.id.starts_with(&asked) {
        let to = format!("/stories/{}", detail.story.id);
        return Ok(axum::response::Redirect::permanent(&to).into_response());
    }
    Ok(page(pages::story(&detail.story, &detail.comparison)).into_response())
}

async fn entity(State(state): State<AppState>, Path(name): Path<String>) -> PageResult {
    let paging = Paging::new(Some(ENTITY_QUOTES), None)?;
    let markup = state
        .read(move |store| Ok(pages::entity(&entity_report(store, &name, paging)?)))
        .await?;
    Ok(page(markup))
}

async fn outlets(State(state): State<AppState>, Query(params): Query<OutletParams>) -> PageResult {
    let query = params.query()?;
    let names = state.outlet_names().clone();
    let min_outlets = query.min_outlets;
    let markup = state
        .read(move |store| {
            Ok(pages::outlets(
                &outlet_profiles(store, &names, &query)?,
                min_outlets,
            ))
        })
        .await?;
    Ok(page(markup))
}

async fn outlet(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(params): Query<OutletParams>,
) -> PageResult {
    let query = params.query()?;
    let names = state.outlet_names().clone();
    let markup = state
        .read(move |store| Ok(pages::outlet(&one_outlet(store, &names, &name, &query)?)))
        .await?;
    Ok(page(markup))
}

#[derive(Debug, Deserialize)]
struct EvidenceParams {
    speaker: Option<String>,
    word: Option<String>,
}

/// Evidence rows read per source of the outlet.
const EVIDENCE_ROWS: usize = 50;

/// The quotes of one speaker in one outlet: the evidence behind a speaker ranking's entry.
async fn outlet_quotes(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(params): Query<EvidenceParams>,
) -> PageResult {
    let speaker = params
        .speaker
        .filter(|speaker| !speaker.trim().is_empty())
        .ok_or_else(|| ApiError::bad_request("give ?speaker=NAME"))?;
    let names = state.outlet_names().clone();
    let markup = state
        .read(move |store| {
            let profile = one_outlet(
                store,
                &names,
                &name,
                &OutletQuery {
                    top: 1,
                    ..OutletQuery::default()
                },
            )?;
            // The ranking counts "Vance", "Mayor Vance" and "Nora Vance" as one speaker when
            // she is the one Vance: read every quote of the surname, keep those whose speaker
            // key is hers or the bare surname.
            let wanted = speaker_key(&speaker);
            let surname = wanted.rsplit(' ').next().unwrap_or(&wanted).to_string();
            let is_hers = |name: &str| {
                let key = speaker_key(name);
                key == wanted || (wanted.contains(' ') && key == surname)
            };
            let mut quotes: Vec<QuoteRecord> = Vec::new();
            for source in &profile.sources {
                for quote in store.quotes(&QuoteFilter {
                    speaker: Some(surname.clone()),
                    outlet: Some(source.clone()),
                    limit: Some(EVIDENCE_ROWS),
                    ..QuoteFilter::default()
                })? {
                    let same_outlet = quote.outlet.as_deref().is_some_and(|written| {
                        names.outlet_name(&written.trim().to_lowercase(), written) == profile.name
                    });
                    if same_outlet
                        && quote.speaker.as_deref().is_some_and(is_hers)
                        && !quotes
                            .iter()
                            .any(|known| known.article == quote.article && known.text == quote.text)
                    {
                        quotes.push(quote);
                    }
                }
            }
            Ok(pages::outlet_quotes(&profile.name, &speaker, &quotes))
        })
        .await?;
    Ok(page(markup))
}

/// The articles where one outlet's own voice uses a word: the evidence behind a word's entry.
async fn outlet_words(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(params): Query<EvidenceParams>,
) -> PageResult {
    let word = params
        .word
        .filter(|word| !word.trim().is_empty() && word.chars().all(char::is_alphabetic))
        .ok_or_else(|| ApiError::bad_request("give ?word=WORD (letters only)"))?;
    let names = state.outlet_names().clone();
    let markup = state
        .read(move |store| {
            let profile = one_outlet(
                store,
                &names,
                &name,
                &OutletQuery {
                    top: 1,
                    ..OutletQuery::default()
                },
            )?;
            let mut hits: Vec<SearchHit> = Vec::new();
            for source in &profile.sources {
                for hit in store.search(&SearchQuery {
                    text: word.clone(),
                    outlet: Some(source.clone()),
                    limit: Some(EVIDENCE_ROWS),
                    ..SearchQuery::default()
                })? {
                    let same_outlet = hit.outlet.as_deref().is_some_and(|written| {
                        names.outlet_name(&written.trim().to_lowercase(), written) == profile.name
                    });
                    if same_outlet && !hits.iter().any(|known| known.id == hit.id) {
                        hits.push(hit);
                    }
                }
            }
            Ok(pages::outlet_words(&profile.name, &word, &hits))
        })
        .await?;
    Ok(page(markup))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        pages::STYLESHEET,
    )
}

async fn not_found() -> PageError {
    PageError(ApiError::new(StatusCode::NOT_FOUND, "no such page"))
}
