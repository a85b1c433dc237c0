//! Outlet profiles: how each outlet tells the news across all its stories.
//!
//! - [`names`]: which sources ("Fox News", "foxnews.com", "FOX") are one outlet, built in and
//!   from a user's file with the user's own labels;
//! - [`tally`]: what one article adds to its source's aggregates (computed by
//!   [`crate::prepare`] on the analysis threads) and a batch's sum, which every backend writes
//!   in the transaction that stores the batch;
//! - [`gender`]: a quoted person's gender from the article's pronouns, else the census
//!   first-name list, else unknown;
//! - [`shared`]: speakers and words on the stories a source shared with others, moved with the
//!   articles when the story engine places, merges or splits stories;
//! - [`profile`]: profiles, comparisons, rankings (weighted log-odds with an informative
//!   Dirichlet prior) and blindspots, computed from the aggregates the [`crate::Store`] returns.
//!
//! The aggregates are per *source*, not per outlet, so the names file can change (or a user's
//! file be given) without touching the corpus. Their cost at read time does not grow with the
//! corpus, but for blindspots and story counts, which read one index row per story and source.

pub mod gender;
pub mod names;
pub mod profile;
pub mod shared;
pub mod tally;

pub use names::{source_key, NamesError, Outlet, OutletNames};
pub use profile::{
    compare_outlets, log_odds, outlet_profile, outlet_profiles, Blindspot, Blindspots, Coverage,
    GenderShares, OutletComparison, OutletProfile, OutletQuery, Ranked, SameStories, SharedTerm,
    SourceWeek, SpeakerCount, TermCount, TermKind, WeekPoint,
};
pub use tally::{fold_surnames, speaker_key, tally, ArticleTally, BatchTally, WeekCounts, WeekRow};
