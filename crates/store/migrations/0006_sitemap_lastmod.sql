-- A child sitemap's `<lastmod>` as its sitemap index listed it when the child's last round
-- completed, so that `newslens follow` skips the child without a request while its index lists
-- it with the same `<lastmod>` (compared as written: no clock of ours is involved). Sitemaps
-- listed without one have no row; they are asked with a conditional GET instead.
-- A table of its own (not a column of `fetched_feeds`) so that this step, like 0005, can run
-- again on a database that has it.
-- Written for newslens. Licence: MIT OR Apache-2.0.
CREATE TABLE IF NOT EXISTS fetched_sitemaps (
    url TEXT PRIMARY KEY REFERENCES fetched_feeds(url),
    listed_lastmod TEXT NOT NULL
) WITHOUT ROWID;
