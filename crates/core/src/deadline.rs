//! A time budget for one document's analysis: a [`Deadline`] the long loops and the layer
//! boundaries check, and [`OverBudget`], what [`crate::analyze_within`] returns once it passed.
//!
//! The check is cooperative: nothing is interrupted or killed. A loop that sees the deadline
//! passed stops early and leaves a partial layer, and the next layer boundary turns that into
//! `OverBudget`, so a partial layer never reaches an article. It reads the clock and nothing else;
//! which budget a caller sets (the CLI's `--time-budget`, the server's smaller one) is theirs.

use std::fmt;
use std::time::{Duration, Instant};

/// When the analysis of one document must stop, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    at: Option<Instant>,
    budget: Duration,
}

impl Deadline {
    /// A deadline that never passes: [`crate::analyze`]'s.
    pub const NEVER: Deadline = Deadline {
        at: None,
        budget: Duration::MAX,
    };

    /// The deadline `budget` from now; `None` for no budget.
    pub fn after(budget: Option<Duration>) -> Deadline {
        match budget {
            // A budget too long to add to the clock is no budget.
            Some(budget) => Deadline {
                at: Instant::now().checked_add(budget),
                budget,
            },
            None => Deadline::NEVER,
        }
    }

    /// Whether the deadline has passed. A clock read (tens of nanoseconds), so loops check it
    /// once per sentence or per few hundred items, not per token.
    pub fn passed(&self) -> bool {
        self.at.is_some_and(|at| Instant::now() >= at)
    }

    /// `Err(OverBudget)` once the deadline has passed: the check at a layer boundary.
    pub fn check(&self) -> Result<(), OverBudget> {
        if self.passed() {
            Err(OverBudget {
                budget: self.budget,
            })
        } else {
            Ok(())
        }
    }
}

/// The analysis of a document ran past its time budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverBudget {
    /// The budget it had.
    pub budget: Duration,
}

impl fmt::Display for OverBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "analysis ran past its time budget of {} s",
            self.budget.as_secs_f64()
        )
    }
}

impl std::error::Error for OverBudget {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_budget_never_passes() {
        assert!(!Deadline::NEVER.passed());
        assert!(!Deadline::after(None).passed());
        assert!(!Deadline::after(Some(Duration::MAX)).passed());
    }

    #[test]
    fn a_zero_budget_has_passed_at_once() {
        let deadline = Deadline::after(Some(Duration::ZERO));
        assert!(deadline.passed());
        assert_eq!(
            deadline.check().unwrap_err().to_string(),
            "analysis ran past its time budget of 0 s"
        );
    }

    #[test]
    fn the_message_names_the_budget_in_seconds() {
        let over = OverBudget {
            budget: Duration::from_millis(2500),
        };
        assert_eq!(
            over.to_string(),
            "analysis ran past its time budget of 2.5 s"
        );
    }
}
