//! The pages' handlers: `/`, `/articles/{id}`, `/stories/{id}`, `/entities/{name}` and the
//! embedded stylesheet. Each reads one view from the store and renders it with [`crate::pages`];
//! errors become an HTML error page with the same status the API would give.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use newslens_store::{SearchQuery, StoryFilter};

use crate::api::{entity_report, story_detail, Paging};
use crate::error::ApiError;
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
