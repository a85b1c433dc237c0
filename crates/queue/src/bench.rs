//! The worker benchmark behind `newslens bench queue` (placeholder until the measuring lands).
