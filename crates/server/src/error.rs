//! Errors as the API answers them: a status and one clear message, as JSON.
//!
//! Every failure a handler meets — a bad parameter, a body over the limit, an unknown id, a query
//! the search index cannot read, a database error — becomes an [`ApiError`], and every
//! [`ApiError`] answers `{"error": {"status": …, "message": …}}`. The pages turn the same errors
//! into an HTML error page instead ([`crate::routes`]).

use axum::extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use newslens_store::StoreError;

/// An error answer: an HTTP status and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, in one line.
    pub message: String,
}

/// The JSON body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong, in one line.
    pub message: String,
}

impl ApiError {
    /// An error with this status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    /// 400: the request is malformed.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404: nothing with this id or name.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    /// 503: the server is at one of its limits (requests in flight, read connections, a time
    /// budget); the answer carries `Retry-After`.
    pub fn overloaded(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }

    /// 500: a fault on the server's side; the message says what failed.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// The JSON body.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                status: self.status.as_u16(),
                message: self.message.clone(),
            },
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.message)
    }
}

/// Seconds a 503 asks the client to wait before trying again.
pub const RETRY_AFTER_SECONDS: u32 = 1;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let response = (self.status, axum::Json(self.body())).into_response();
        with_retry_after(response)
    }
}

/// Adds `Retry-After` to a 503, whether it is JSON or a page.
pub(crate) fn with_retry_after(mut response: Response) -> Response {
    if response.status() == StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(RETRY_AFTER_SECONDS),
        );
    }
    response
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::Query { .. } => ApiError::bad_request(error.to_string()),
            StoreError::OverBudget { limit, .. } => ApiError::overloaded(format!(
                "the request's database work ran past its budget of {} s and was stopped; \
                 a narrower query may answer",
                limit.as_secs_f64()
            )),
            _ => ApiError::internal(error.to_string()),
        }
    }
}

impl From<newslens_pipeline::PipelineError> for ApiError {
    fn from(error: newslens_pipeline::PipelineError) -> ApiError {
        match error {
            newslens_pipeline::PipelineError::Store(error) => ApiError::from(error),
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> ApiError {
        ApiError::new(rejection.status(), rejection.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> ApiError {
        ApiError::new(rejection.status(), rejection.body_text())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        ApiError::new(rejection.status(), rejection.body_text())
    }
}

impl From<BytesRejection> for ApiError {
    fn from(rejection: BytesRejection) -> ApiError {
        let status = rejection.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            return ApiError::new(status, "request body over the size limit (see --max-body)");
        }
        if stalled(&rejection) {
            return ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "the request body stalled and was not read to its end",
            );
        }
        ApiError::new(status, rejection.body_text())
    }
}

/// Whether reading the body failed because it stalled past the body timeout.
fn stalled(rejection: &BytesRejection) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(rejection);
    while let Some(error) = source {
        if error.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        source = error.source();
    }
    false
}

/// Results of handlers.
pub type ApiResult<T> = Result<T, ApiError>;
