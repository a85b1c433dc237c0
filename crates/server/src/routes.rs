//! The pages' handlers: `/`, `/articles/{id}`, `/stories/{id}`, `/entities/{name}` and the
//! embedded stylesheet. Each reads one view from the store and renders it with [`crate::pages`];
//! errors become an HTML error page with the same status the API would give.

use axum::Router;

use crate::state::AppState;

/// The page routes.
pub fn pages(state: AppState) -> Router {
    Router::new().with_state(state)
}
