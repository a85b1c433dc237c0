//! The newslens HTTP server: the JSON API under `/v1` and the web pages, from one binary.
//!
//! This crate sits after the store in the flow (read → analyse → store → views → **serve**). It
//! reads the corpus through the [`newslens_store::Store`] trait, analyses posted articles with the
//! same reader and analysis as the CLI, and renders pages on the server (no front-end build step;
//! the stylesheet is embedded in the binary, and the pages run no script).
//!
//! - [`api`]: the `/v1` handlers; their attributes generate the OpenAPI document;
//!   [`outlets_api`]: the outlet profiles' handlers.
//! - [`routes`]: the pages' handlers; [`pages`]: the pages themselves, rendered from the views.
//! - [`state`]: the shared connections and settings.
//! - [`limits`]: what the server takes on at once and for how long, and the gate of every
//!   request; [`connections`]: the accept loop (header timeout, connection cap).
//! - [`load`]: an open-loop load generator that measures the server's latency (`bench serve`);
//!   [`hostile`]: the probes of costly and slow clients (`bench hostile`).
//!
//! Every answer carries a Content-Security-Policy that allows no script and only the embedded
//! stylesheet, so even markup that slipped through escaping could not run.
#![warn(missing_docs)]

pub mod api;
pub mod connections;
pub mod error;
pub mod hostile;
pub mod limits;
pub mod load;
pub mod outlets_api;
pub mod pages;
pub mod routes;
pub mod state;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::middleware::from_fn_with_state;
use axum::routing::{any, get};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as OpenApiDocument;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use limits::Limits;
pub use state::{AppState, Settings};

/// The policy every answer carries: no script, no inline style, only our own stylesheet.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; \
     img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Default largest request body: 10 MB, the same as `newslens analyze --max-bytes`.
pub const DEFAULT_MAX_BODY: usize = 10_000_000;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "newslens",
        description = "Who said what, about whom, when — and how each outlet told the story. \
                       Articles are analysed into the newslens.article/1 contract; the corpus \
                       answers stories, quotes, entities and full-text search. Every list is \
                       paged with `limit` and `offset`; errors are `{\"error\": {\"status\", \
                       \"message\"}}`."
    ),
    tags(
        (name = "analysis", description = "Analyse one article without storing it"),
        (name = "corpus", description = "The stored corpus: stories, quotes, entities, search")
    ),
    components(schemas(error::ErrorBody)),
    modifiers(&BearerToken)
)]
struct ApiDoc;

struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut OpenApiDocument) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API's routes, each with its OpenAPI operation.
fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(api::analyze))
        .routes(routes!(api::article))
        .routes(routes!(api::stories))
        .routes(routes!(api::story))
        .routes(routes!(api::quotes))
        .routes(routes!(api::entity))
        .routes(routes!(api::search))
        .routes(routes!(api::ingest))
        .routes(routes!(api::corpus))
        .routes(routes!(outlets_api::outlets))
        .routes(routes!(outlets_api::outlet))
        .routes(routes!(outlets_api::outlets_vs))
}

/// The API routes and the OpenAPI document generated from them.
pub fn api(state: AppState) -> (Router, OpenApiDocument) {
    api_routes().with_state(state).split_for_parts()
}

/// The OpenAPI document of the API.
pub fn openapi() -> OpenApiDocument {
    api_routes().split_for_parts().1
}

/// The whole application: API, OpenAPI document, pages, stylesheet, limits and headers.
pub fn app(state: AppState) -> Router {
    let max_body = state.settings().max_body;
    let limits = state.settings().limits.clone();
    let (api, document) = api(state.clone());
    let document = Arc::new(document.to_pretty_json().unwrap_or_default());
    Router::new()
        .merge(api)
        .route(
            "/v1/openapi.json",
            get(move || {
                let document = Arc::clone(&document);
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        document.as_ref().clone(),
                    )
                }
            }),
        )
        .route("/v1", any(api::not_found))
        .route("/v1/{*rest}", any(api::not_found))
        .merge(routes::pages(state))
        // After every route: it applies to the routes registered before it.
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(RequestBodyTimeoutLayer::new(limits.body_timeout))
        .layer(from_fn_with_state(
            limits::Gate::new(&limits),
            limits::admit,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}

/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Listening beyond loopback without a token would let anyone write to the corpus.
    #[error("listening on {0} (beyond loopback) needs a token for POST /v1/ingest: pass --token-file or set NEWSLENS_TOKEN")]
    TokenRequired(SocketAddr),
    /// A token of white space only is no secret, yet it counted as one (and let the server
    /// listen beyond loopback).
    #[error("the token is blank: give a real one with --token-file, NEWSLENS_TOKEN or --token")]
    BlankToken,
    /// The corpus could not be opened, or the analysis threads started.
    #[error(transparent)]
    Open(#[from] newslens_pipeline::PipelineError),
    /// The address could not be bound, or serving failed.
    #[error("{addr}: {source}")]
    Io {
        /// The address.
        addr: SocketAddr,
        /// What the system said.
        source: std::io::Error,
    },
}

/// Serves the application on a bound listener until the task is dropped (benchmarks, tests),
/// with the limits of the state's settings.
pub async fn serve_on(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let limits = state.settings().limits.clone();
    let closing = state.spawn_idle_reader_closing();
    connections::serve_connections(listener, app(state), &limits, std::future::pending()).await;
    closing.abort();
    Ok(())
}

/// The tokio runtime `newslens serve` runs on: `jobs` worker threads (default: one per core),
/// and at most [`Limits::max_blocking_threads`] blocking threads, so a burst of requests queues
/// its database and analysis work instead of starting hundreds of threads.
pub fn runtime(jobs: Option<usize>, limits: &Limits) -> std::io::Result<tokio::runtime::Runtime> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if let Some(jobs) = jobs {
        builder.worker_threads(jobs.max(1));
    }
    builder
        .max_blocking_threads(limits.max_blocking_threads())
        .enable_all()
        .build()
}

/// Serves until Ctrl-C; `ready` is called with the bound address once it listens.
pub async fn serve(
    settings: Settings,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    serve_with_outlets(
        settings,
        newslens_store::OutletNames::built_in(),
        addr,
        ready,
    )
    .await
}

/// [`serve`] with the outlet names a user's file extended (`newslens serve --outlets FILE`).
pub async fn serve_with_outlets(
    settings: Settings,
    outlet_names: newslens_store::OutletNames,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    if settings
        .token
        .as_deref()
        .is_some_and(|token| token.trim().is_empty())
    {
        return Err(ServeError::BlankToken);
    }
    if !addr.ip().is_loopback() && settings.token.is_none() {
        return Err(ServeError::TokenRequired(addr));
    }
    let limits = settings.limits.clone();
    let state = AppState::open_with_outlets(settings, outlet_names)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Io { addr, source })?;
    let bound = listener
        .local_addr()
        .map_err(|source| ServeError::Io { addr, source })?;
    ready(bound);
    let closing = state.spawn_idle_reader_closing();
    connections::serve_connections(listener, app(state), &limits, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    closing.abort();
    Ok(())
}
