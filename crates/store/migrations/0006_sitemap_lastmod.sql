-- A sitemap's `<lastmod>` as its sitemap index listed it when its last round completed, so that
-- `newslens follow` skips a child sitemap without a request while its index lists it with the
-- same `<lastmod>` (compared as written: no clock of ours is involved). NULL for feeds and for
-- sitemaps listed without one; those are asked with a conditional GET instead.
-- Written for newslens. Licence: MIT OR Apache-2.0.
ALTER TABLE fetched_feeds ADD COLUMN listed_lastmod TEXT;
