-- The index of `outlet_shared_terms` by the other sources' count (migration 0009) moved an index
-- entry for every (source, word) whose "others" count changed: when an article joins a story that
-- k sources share, each of the other k − 1 sources' rows of the article's every word, about six
-- times the rows its own counts change. It served one read, a profile's 400 terms the other
-- sources use most, which now scans the source's rows instead (a few tens of thousands of rows
-- on a large corpus, read once per profile). Rows whose own count does not change are written
-- without touching the index by own count (`sqlite/outlets.rs` `write_plan`).
-- Written for newslens. Licence: MIT OR Apache-2.0.
DROP INDEX IF EXISTS outlet_shared_terms_by_others;
