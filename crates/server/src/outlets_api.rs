//! The outlet endpoints: `GET /v1/outlets`, `/v1/outlets/{name}` and `/v1/outlets/{a}/vs/{b}`,
//! the same profiles as `newslens outlets`, `outlet NAME` and `outlets compare A B`.
//!
//! Each handler reads the profiles from the store's outlet aggregates on a blocking thread,
//! through the same read pool, budget and limits as every other route; the outlet names are the
//! server's (`newslens serve --outlets FILE`). This module does not render pages.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use newslens_store::outlets::{OutletComparison, OutletProfile, OutletQuery};
use newslens_store::{compare_outlets, outlet_profile, outlet_profiles, Store};

use crate::api::{ApiPath, ApiQuery};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

/// Most entries per ranking a request may ask for.
const MAX_TOP: usize = 100;

/// What to profile.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutletParams {
    /// Only weeks from the one holding this day (YYYY-MM-DD): counts, series, stories and
    /// blindspots (the speaker and word rankings are over all dates).
    pub since: Option<String>,
    /// Only weeks up to the one holding this day (YYYY-MM-DD).
    pub until: Option<String>,
    /// Blindspots are stories at least this many other outlets covered (default 3).
    pub min_outlets: Option<usize>,
    /// Entries per ranking and blindspots listed (1–100, default 10).
    pub top: Option<usize>,
}

impl OutletParams {
    /// The store's query, or a 400 naming the bad parameter.
    pub fn query(&self) -> ApiResult<OutletQuery> {
        let day = |name: &str, value: &Option<String>| -> ApiResult<Option<String>> {
            match value.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(text) if newslens_contract::dates::is_date_bound(text) => {
                    Ok(Some(text.chars().take(10).collect()))
                }
                Some(text) => Err(ApiError::bad_request(format!(
                    "{name} must be a date (YYYY-MM-DD), not {text:?}"
                ))),
            }
        };
        let top = self.top.unwrap_or(10);
        if !(1..=MAX_TOP).contains(&top) {
            return Err(ApiError::bad_request(format!(
                "top must be 1 to {MAX_TOP}, not {top}"
            )));
        }
        Ok(OutletQuery {
            since: day("since", &self.since)?,
            until: day("until", &self.until)?,
            min_outlets: self.min_outlets.unwrap_or(3).max(1),
            top,
        })
    }
}

/// Every outlet's profile, most articles first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OutletList {
    /// The outlets.
    pub outlets: Vec<OutletProfile>,
}

/// Every outlet's profile (rankings left out: ask for one outlet), as `newslens outlets`.
#[utoipa::path(
    get,
    path = "/v1/outlets",
    tag = "corpus",
    params(OutletParams),
    responses(
        (status = 200, description = "Every outlet, most articles first", body = OutletList),
        (status = 400, description = "A bad parameter", body = ErrorBody),
    )
)]
pub async fn outlets(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<OutletParams>,
) -> ApiResult<Json<OutletList>> {
    let query = params.query()?;
    let names = state.outlet_names().clone();
    let list = state
        .read(move |store| {
            Ok(OutletList {
                outlets: outlet_profiles(store, &names, &query)?,
            })
        })
        .await?;
    Ok(Json(list))
}

/// One outlet's profile, as `newslens outlet NAME`: with it, the speakers it quotes more and
/// less and the words its own voice uses more than the other outlets on the stories it covered
/// (`same_stories` gives what was compared; these rankings are over all its dates, whatever
/// `since` and `until` say).
#[utoipa::path(
    get,
    path = "/v1/outlets/{name}",
    tag = "corpus",
    params(
        ("name" = String, Path, description = "The outlet: its name, another name or a web host"),
        OutletParams
    ),
    responses(
        (status = 200, description = "The outlet's profile", body = OutletProfile),
        (status = 404, description = "No article is of that outlet", body = ErrorBody),
    )
)]
pub async fn outlet(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
    ApiQuery(params): ApiQuery<OutletParams>,
) -> ApiResult<Json<OutletProfile>> {
    let query = params.query()?;
    let names = state.outlet_names().clone();
    let profile = state
        .read(move |store| one_outlet(store, &names, &name, &query))
        .await?;
    Ok(Json(profile))
}

/// One outlet's profile, or a 404.
pub fn one_outlet(
    store: &dyn Store,
    names: &newslens_store::OutletNames,
    name: &str,
    query: &OutletQuery,
) -> ApiResult<OutletProfile> {
    outlet_profile(store, names, name, query)?
        .ok_or_else(|| ApiError::not_found(format!("no outlet {name}")))
}

/// Two outlets side by side, as `newslens outlets compare A B`.
#[utoipa::path(
    get,
    path = "/v1/outlets/{a}/vs/{b}",
    tag = "corpus",
    params(
        ("a" = String, Path, description = "The first outlet"),
        ("b" = String, Path, description = "The second outlet"),
        OutletParams
    ),
    responses(
        (status = 200, description = "Both profiles and the stories both covered", body = OutletComparison),
        (status = 404, description = "One of them has no article", body = ErrorBody),
    )
)]
pub async fn outlets_vs(
    State(state): State<AppState>,
    ApiPath((a, b)): ApiPath<(String, String)>,
    ApiQuery(params): ApiQuery<OutletParams>,
) -> ApiResult<Json<OutletComparison>> {
    let query = params.query()?;
    let names = state.outlet_names().clone();
    let comparison = state
        .read(move |store| {
            compare_outlets(store, &names, &a, &b, &query)?
                .map_err(|missing| ApiError::not_found(format!("no outlet {missing}")))
        })
        .await?;
    Ok(Json(comparison))
}
