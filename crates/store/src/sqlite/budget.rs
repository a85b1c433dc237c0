//! A [`ReadBudget`] on SQLite: SQLite stops a statement once its deadline has passed or once
//! whoever asked for it has gone.
//!
//! A read that a server runs for a client must not outlive the client's interest in it: an FTS5
//! query with a few hundred prefix terms can keep a core busy for minutes, and a thread blocked
//! in SQLite cannot be cancelled from outside. SQLite's progress handler is called every few
//! thousand virtual-machine steps of the running statement; ours compares the clock with the
//! deadline and reads a flag the caller sets when it stops waiting (a dropped request), and
//! interrupts the statement when either says so. The statement then fails with
//! [`StoreError::OverBudget`](crate::StoreError::OverBudget).
//!
//! This is not a CPU-time account (a statement waiting on the busy handler counts its waiting
//! too) and it does nothing for writes, which run to their end so a transaction is never cut off.

use super::SqliteStore;
use crate::budget::ReadBudget;

/// Virtual-machine steps between two looks at the abandon flag (an atomic load), so that even a
/// short statement notices its client has gone.
const STEPS_BETWEEN_CHECKS: i32 = 100;
/// Looks at the flag between two looks at the clock: an `Instant::now()` per thousand steps
/// costs nothing measurable, and a statement notices its deadline within a millisecond.
const FLAG_CHECKS_PER_CLOCK: u32 = 10;

impl SqliteStore {
    /// Runs `work` with every statement it runs on this connection interrupted once `budget` is
    /// spent; such a statement fails with [`StoreError::OverBudget`](crate::StoreError::OverBudget).
    /// The connection is back to unbounded work afterwards.
    pub fn within_budget<T>(
        &mut self,
        budget: &ReadBudget,
        work: impl FnOnce(&SqliteStore) -> T,
    ) -> T {
        let watched = budget.clone();
        let mut n_checks: u32 = 0;
        // Installing or removing a progress handler cannot fail in SQLite; rusqlite's Result is
        // for its own bookkeeping, which only fails on a closed connection, where `work` fails too.
        let _ = self.connection.progress_handler(
            STEPS_BETWEEN_CHECKS,
            Some(move || {
                n_checks = n_checks.wrapping_add(1);
                if n_checks.is_multiple_of(FLAG_CHECKS_PER_CLOCK) {
                    watched.is_spent()
                } else {
                    watched.is_abandoned()
                }
            }),
        );
        self.budget_limit = Some(budget.limit());
        let outcome = work(self);
        self.budget_limit = None;
        let _ = self.connection.progress_handler(0, None::<fn() -> bool>);
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SearchQuery, Store, StoreError};
    use std::time::{Duration, Instant};

    /// A statement that runs for ever without a budget: a recursive count to a billion.
    const ENDLESS: &str = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n \
                           WHERE i < 1000000000) SELECT count(*) FROM n";

    fn endless(store: &SqliteStore) -> crate::Result<i64> {
        store
            .connection
            .query_row(ENDLESS, [], |row| row.get(0))
            .map_err(|source| store.error(source))
    }

    #[test]
    fn a_read_past_its_deadline_stops_with_over_budget() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let started = Instant::now();
        let budget = ReadBudget::new(Duration::from_millis(50));
        let outcome = store.within_budget(&budget, endless);
        assert!(
            matches!(outcome, Err(StoreError::OverBudget { .. })),
            "{outcome:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(2));
        // The handler is gone afterwards: ordinary work runs.
        assert!(store
            .search(&SearchQuery {
                text: "word".into(),
                ..SearchQuery::default()
            })
            .is_ok());
    }

    #[test]
    fn an_abandoned_read_stops_at_once_whatever_its_deadline() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let budget = ReadBudget::new(Duration::from_secs(3600));
        let abandoner = budget.clone();
        let started = Instant::now();
        let stopper = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            abandoner.abandon();
        });
        let outcome = store.within_budget(&budget, endless);
        stopper.join().unwrap();
        assert!(
            matches!(outcome, Err(StoreError::OverBudget { .. })),
            "{outcome:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
