-- newslens corpus schema for PostgreSQL, version 1: the tables of the SQLite schema at its version
-- 5 (crates/store/migrations/0001–0005, read those for what each column means), so the same views
-- give the same answers. Applied by refinery (`postgres/migrations.rs`); a later change is a new
-- file V2__….sql, never an edit of this one.
--
-- What differs from SQLite, and why:
--   * Text that is compared or sorted (ids, dates, names) is COLLATE "C": byte order, as SQLite
--     compares, whatever locale the cluster was created with. Dates are ISO 8601 text as there.
--   * Row numbers are identity columns named `rowid`, in insertion order like SQLite's.
--   * Flags are BOOLEAN, counts BIGINT, blobs BYTEA (`json` is always LZ4-compressed here).
--   * Full-text search is a `tsvector` column generated from title and text (the English
--     configuration: stemmed, stop words left out) with a GIN index, instead of FTS5.
--   * No index on `outlet`: outlets match on a substring (ILIKE), which no B-tree serves.
-- Written for newslens. Licence: MIT OR Apache-2.0.

CREATE TABLE articles (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT COLLATE "C" NOT NULL UNIQUE,
    url TEXT COLLATE "C",
    path TEXT,
    outlet TEXT,
    title TEXT,
    published TEXT COLLATE "C",
    tone DOUBLE PRECISION,
    story TEXT COLLATE "C" NOT NULL,
    duplicate_of TEXT COLLATE "C",
    terms BYTEA NOT NULL,
    minhash BYTEA NOT NULL,
    json BYTEA NOT NULL,
    ingested TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE UNIQUE INDEX articles_by_url ON articles(url) WHERE url IS NOT NULL;
CREATE INDEX articles_by_story ON articles(story);
CREATE INDEX articles_by_published ON articles(published);

CREATE TABLE entities (
    article BIGINT NOT NULL REFERENCES articles(rowid),
    entity BIGINT NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    name_key TEXT COLLATE "C" NOT NULL,
    last_key TEXT COLLATE "C" NOT NULL,
    type TEXT NOT NULL,
    mentions BIGINT NOT NULL,
    named BOOLEAN NOT NULL,
    PRIMARY KEY (article, entity)
);
CREATE INDEX entities_by_name ON entities(name_key);
CREATE INDEX entities_by_last ON entities(last_key);

CREATE TABLE quotes (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article BIGINT NOT NULL REFERENCES articles(rowid),
    quote BIGINT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    speaker TEXT,
    speaker_key TEXT COLLATE "C",
    speaker_last TEXT COLLATE "C",
    verb TEXT,
    neutral BOOLEAN,
    channel TEXT,
    sort_date TEXT COLLATE "C" NOT NULL DEFAULT '~',
    copy BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX quotes_by_article ON quotes(article);
CREATE INDEX quotes_by_speaker ON quotes(speaker_key, copy, sort_date, article, quote);
CREATE INDEX quotes_by_speaker_last ON quotes(speaker_last, copy, sort_date, article, quote);
CREATE INDEX quotes_in_order ON quotes(copy, sort_date, article, quote);

CREATE TABLE quote_about (
    quote BIGINT NOT NULL REFERENCES quotes(rowid),
    name TEXT COLLATE "C" NOT NULL,
    name_key TEXT COLLATE "C" NOT NULL,
    last_key TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (quote, name_key)
);
CREATE INDEX quote_about_by_name ON quote_about(name_key);
CREATE INDEX quote_about_by_last ON quote_about(last_key);

CREATE TABLE stories (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT COLLATE "C" NOT NULL UNIQUE,
    title TEXT,
    first_seen TEXT COLLATE "C",
    last_seen TEXT COLLATE "C",
    articles BIGINT NOT NULL,
    duplicates BIGINT NOT NULL,
    quotes BIGINT NOT NULL,
    entities TEXT NOT NULL,
    listing TEXT NOT NULL
);
CREATE INDEX stories_newest ON stories((last_seen IS NULL), last_seen DESC, articles DESC, id);
CREATE INDEX stories_most_covered ON stories(articles DESC, (last_seen IS NULL), last_seen DESC, id);

CREATE TABLE search (
    article BIGINT PRIMARY KEY REFERENCES articles(rowid),
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    document tsvector GENERATED ALWAYS AS
        (to_tsvector('english', title) || to_tsvector('english', text)) STORED
);
CREATE INDEX search_document ON search USING GIN (document);

CREATE TABLE fetched_feeds (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    checked_at TEXT NOT NULL
);

CREATE TABLE fetched_pages (
    url TEXT PRIMARY KEY,
    fetched_at TEXT NOT NULL
);
