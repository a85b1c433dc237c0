//! A [`ReadBudget`] on PostgreSQL: the server stops a statement once the budget's time is spent
//! (`statement_timeout`) or once whoever asked for it has gone (a cancel request).
//!
//! The time limit is PostgreSQL's own: `statement_timeout` is set to what is left of the budget
//! before the work and reset after it, so every statement of the work gets at most that long
//! (the work's statements together may take longer than the budget; on SQLite the deadline is
//! shared — the server's reads are one or two statements, so the difference is small). For the
//! abandon flag a watcher thread looks every few milliseconds while the work runs and sends
//! PostgreSQL a cancel request when it is set. A statement stopped either way fails with
//! [`StoreError::OverBudget`](crate::StoreError::OverBudget). Writes are never bounded.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use postgres::NoTls;

use super::PostgresStore;
use crate::budget::ReadBudget;

/// How often the watcher looks at the abandon flag.
const WATCH_INTERVAL: Duration = Duration::from_millis(10);

impl PostgresStore {
    /// Runs `work` with every statement it runs on this connection stopped once `budget` is
    /// spent; such a statement fails with [`StoreError::OverBudget`](crate::StoreError::OverBudget).
    /// The connection is back to unbounded work afterwards.
    pub fn within_budget<T>(
        &mut self,
        budget: &ReadBudget,
        work: impl FnOnce(&PostgresStore) -> T,
    ) -> T {
        // At least a millisecond: 0 would mean no limit at all.
        let timeout_ms = budget.remaining().as_millis().clamp(1, i32::MAX as u128);
        let cancel_token = {
            let mut guard = self.client.borrow_mut();
            guard.as_mut().map(|client| {
                // A failure here shows again in the work's first statement, which reports it.
                let _ = client.batch_execute(&format!("SET statement_timeout = {timeout_ms}"));
                client.cancel_token()
            })
        };
        self.budget_limit = Some(budget.limit());
        let finished = Arc::new(AtomicBool::new(false));
        let watcher = cancel_token.map(|cancel_token| {
            let budget = budget.clone();
            let finished = Arc::clone(&finished);
            std::thread::spawn(move || {
                while !finished.load(Ordering::Relaxed) {
                    if budget.is_abandoned() {
                        // The statement running now (if any) stops with 57014 query_canceled.
                        let _ = cancel_token.cancel_query(NoTls);
                        return;
                    }
                    std::thread::park_timeout(WATCH_INTERVAL);
                }
            })
        });
        let outcome = work(self);
        finished.store(true, Ordering::Relaxed);
        if let Some(watcher) = watcher {
            // Woken at once rather than at its next look.
            watcher.thread().unpark();
            let _ = watcher.join();
        }
        self.budget_limit = None;
        if let Some(client) = self.client.borrow_mut().as_mut() {
            let _ = client.batch_execute("RESET statement_timeout");
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::{Store, StoreError};
    use newslens_testkit::TempPostgres;

    /// A statement that runs for half a minute unless stopped.
    fn endless(store: &PostgresStore) -> crate::Result<()> {
        store.with_client(|client| client.batch_execute("SELECT pg_sleep(30)"))
    }

    #[test]
    fn a_read_past_its_deadline_stops_with_over_budget() {
        let Some(server) = TempPostgres::start() else {
            return;
        };
        let mut store = PostgresStore::open(&server.url()).unwrap();
        let started = Instant::now();
        let budget = ReadBudget::new(Duration::from_millis(100));
        let outcome = store.within_budget(&budget, endless);
        assert!(
            matches!(outcome, Err(StoreError::OverBudget { .. })),
            "{outcome:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
        // The timeout is gone afterwards: ordinary (and slow) work runs.
        store
            .with_client(|client| client.batch_execute("SELECT pg_sleep(0.2)"))
            .unwrap();
        assert_eq!(store.counts().unwrap().articles, 0);
    }

    #[test]
    fn an_abandoned_read_stops_at_once_whatever_its_deadline() {
        let Some(server) = TempPostgres::start() else {
            return;
        };
        let mut store = PostgresStore::open(&server.url()).unwrap();
        let budget = ReadBudget::new(Duration::from_secs(3600));
        let abandoner = budget.clone();
        let started = Instant::now();
        let stopper = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            abandoner.abandon();
        });
        let outcome = store.within_budget(&budget, endless);
        stopper.join().unwrap();
        assert!(
            matches!(outcome, Err(StoreError::OverBudget { .. })),
            "{outcome:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(store.counts().unwrap().articles, 0);
    }
}
