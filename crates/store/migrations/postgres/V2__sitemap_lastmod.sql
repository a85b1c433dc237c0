-- The `<lastmod>` a sitemap index gave each child sitemap when it was last fetched whole, as
-- SQLite's migration 0006 (read it for why): an unchanged child is skipped without a request.
-- Written for newslens. Licence: MIT OR Apache-2.0.
CREATE TABLE fetched_sitemaps (
    url TEXT PRIMARY KEY REFERENCES fetched_feeds(url),
    listed_lastmod TEXT NOT NULL
);
