//! A time budget for database reads: how long a read may run, and a flag its caller sets when
//! it stops waiting (a dropped request).
//!
//! The budget itself is backend-neutral; each backend enforces it its own way (SQLite with a
//! progress handler that interrupts the statement, `sqlite/budget.rs`; PostgreSQL with
//! `statement_timeout` and a cancel request, `postgres/budget.rs`), and a statement stopped so
//! fails with [`StoreError::OverBudget`](crate::StoreError::OverBudget). Nothing here touches a
//! database.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long database reads may run, and a way to stop them early (cheap to clone: the clones
/// share the flag).
#[derive(Debug, Clone)]
pub struct ReadBudget {
    deadline: Instant,
    limit: Duration,
    abandoned: Arc<AtomicBool>,
}

impl ReadBudget {
    /// A budget of `limit` from now.
    pub fn new(limit: Duration) -> ReadBudget {
        ReadBudget {
            deadline: Instant::now() + limit,
            limit,
            abandoned: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The time the budget allowed in all.
    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// Tells every statement under this budget (or a clone of it) to stop at its next check:
    /// nobody waits for the answer any more.
    pub fn abandon(&self) {
        self.abandoned.store(true, Ordering::Relaxed);
    }

    /// The time left before the deadline (zero once it passed).
    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// Whether the work must stop: the deadline passed or the work was abandoned.
    pub fn is_spent(&self) -> bool {
        self.is_abandoned() || Instant::now() >= self.deadline
    }

    /// Whether whoever asked for the work stopped waiting for it.
    pub fn is_abandoned(&self) -> bool {
        self.abandoned.load(Ordering::Relaxed)
    }
}
