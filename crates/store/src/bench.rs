//! How long the corpus views take on a stored corpus: listing every story, the newest 50, and five
//! searches of different kinds.
//!
//! For `newslens bench ingest` and `bench views`. Each view is run once to warm the caches, then
//! five times, and the median is kept. This module times; it does not print.

use std::time::Instant;

use crate::{SearchQuery, Store, StoryFilter};

/// The searches timed: words, a phrase, a boolean and a prefix query.
pub const BENCH_QUERIES: [&str; 5] = [
    "president",
    "police said",
    "\"White House\"",
    "election AND campaign",
    "rehab*",
];

/// Median latencies of the views, in milliseconds, with how many items each returned.
#[derive(Debug, Clone)]
pub struct ViewTimes {
    /// Listing every story: `(ms, stories)`.
    pub all_stories: (f64, usize),
    /// Listing the newest 50 stories: `(ms, stories)`.
    pub newest_50: (f64, usize),
    /// Each of [`BENCH_QUERIES`], 20 hits at most: `(query, ms, hits)`.
    pub searches: Vec<(&'static str, f64, usize)>,
}

/// Times the views over `store`.
pub fn time_views(store: &dyn Store) -> ViewTimes {
    let all_stories = median_ms(&mut || {
        store
            .stories(&StoryFilter::default())
            .map_or(0, |stories| stories.len())
    });
    let newest_50 = median_ms(&mut || {
        store
            .stories(&StoryFilter {
                min_articles: 1,
                limit: Some(50),
                offset: 0,
                most_covered: false,
            })
            .map_or(0, |stories| stories.len())
    });
    let searches = BENCH_QUERIES
        .into_iter()
        .map(|query| {
            let (ms, n_hits) = median_ms(&mut || {
                store
                    .search(&SearchQuery {
                        text: query.to_string(),
                        limit: Some(20),
                        ..SearchQuery::default()
                    })
                    .map_or(0, |hits| hits.len())
            });
            (query, ms, n_hits)
        })
        .collect();
    ViewTimes {
        all_stories,
        newest_50,
        searches,
    }
}

/// Runs `view` once to warm up, then five times; the median run's milliseconds and item count.
fn median_ms(view: &mut dyn FnMut() -> usize) -> (f64, usize) {
    view();
    let mut runs: Vec<(f64, usize)> = (0..5)
        .map(|_| {
            let started = Instant::now();
            let n_items = view();
            (started.elapsed().as_secs_f64() * 1000.0, n_items)
        })
        .collect();
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    runs[2]
}
