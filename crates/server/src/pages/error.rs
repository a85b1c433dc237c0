//! The error page: an HTTP status and a message, in the shared layout.
//!
//! The message is shown as text (escaped); the route handler chooses the status and the words.

use maud::{html, Markup};

use crate::pages::layout::layout;

/// The page for an error response: the status, its reason, the message and a way home.
pub fn error_page(status: u16, message: &str) -> Markup {
    let reason = reason_phrase(status);
    let title = format!("{status} {reason}");
    let content = html! {
        section.error {
            h1 { span.status { (status) } " " (reason) }
            p.error-message { (message) }
            p { a href="/" { "Back to the front page" } }
        }
    };
    layout(&title, None, content)
}

/// The reason phrase of the statuses the server sends.
fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad request",
        404 => "Not found",
        405 => "Method not allowed",
        413 => "Payload too large",
        422 => "Unprocessable content",
        429 => "Too many requests",
        500 => "Internal server error",
        503 => "Service unavailable",
        401..=499 => "Client error",
        501..=599 => "Server error",
        _ => "Error",
    }
}
