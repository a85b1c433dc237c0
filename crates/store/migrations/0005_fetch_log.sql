-- What the web fetcher (`newslens ingest URL`, `newslens follow`) has done, so a restarted crawl
-- resumes instead of starting over.
--
-- `fetched_feeds`: each feed's validators from its last complete round, sent back as
-- If-None-Match / If-Modified-Since so an unchanged feed costs a 304. A feed's row is written only
-- after every article it listed was stored or answered for good, so a round cut short (Ctrl-C)
-- fetches the feed again.
-- `fetched_pages`: page URLs fetched for good (stored, already stored, no article text, 404…),
-- canonical form, so neither a feed that lists them again nor a page that names another URL as
-- canonical costs a second fetch. A timeout or a 5xx is not recorded: it is tried again.
-- The story engine and the articles table do not read these tables.
-- Written for newslens. Licence: MIT OR Apache-2.0.
CREATE TABLE IF NOT EXISTS fetched_feeds (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    checked_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS fetched_pages (
    url TEXT PRIMARY KEY,
    fetched_at TEXT NOT NULL
) WITHOUT ROWID;
