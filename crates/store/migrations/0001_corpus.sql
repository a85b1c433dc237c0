-- newslens corpus schema, version 1: articles with their whole contract JSON, the tables the
-- views query (entities, quotes and what they are about, stories) and the full-text index.
-- Written for newslens. Licence: MIT OR Apache-2.0.

CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,            -- the contract id (hash of the normalised text)
    url TEXT,
    path TEXT,
    outlet TEXT,
    title TEXT,
    published TEXT,                     -- ISO 8601 as in the contract
    tone REAL,
    story TEXT NOT NULL,                -- stories.id
    duplicate_of TEXT,                  -- articles.id of the original, for near-copies
    terms BLOB NOT NULL,                -- story features (features.rs)
    minhash BLOB NOT NULL,
    json TEXT NOT NULL,                 -- the whole newslens.article/1 object
    ingested TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE UNIQUE INDEX articles_by_url ON articles(url) WHERE url IS NOT NULL;
CREATE INDEX articles_by_story ON articles(story);
CREATE INDEX articles_by_published ON articles(published);
CREATE INDEX articles_by_outlet ON articles(outlet COLLATE NOCASE);

CREATE TABLE entities (
    article INTEGER NOT NULL REFERENCES articles(rowid),
    entity INTEGER NOT NULL,            -- index in the article's entity list
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,             -- lower-case name
    last_key TEXT NOT NULL,             -- lower-case last word of the name
    type TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    named INTEGER NOT NULL,             -- 1 when a mention is a name (not only "he", "the spokesman")
    PRIMARY KEY (article, entity)
) WITHOUT ROWID;
CREATE INDEX entities_by_name ON entities(name_key);
CREATE INDEX entities_by_last ON entities(last_key);

CREATE TABLE quotes (
    rowid INTEGER PRIMARY KEY,
    article INTEGER NOT NULL REFERENCES articles(rowid),
    quote INTEGER NOT NULL,             -- index in the article's quote list
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    speaker TEXT,
    speaker_key TEXT,                   -- lower-case speaker name
    speaker_last TEXT,                  -- lower-case last word of it
    verb TEXT,
    neutral INTEGER,
    channel TEXT
);
CREATE INDEX quotes_by_article ON quotes(article);
CREATE INDEX quotes_by_speaker ON quotes(speaker_key);
CREATE INDEX quotes_by_speaker_last ON quotes(speaker_last);

CREATE TABLE quote_about (
    quote INTEGER NOT NULL REFERENCES quotes(rowid),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    last_key TEXT NOT NULL,
    PRIMARY KEY (quote, name_key)
) WITHOUT ROWID;
CREATE INDEX quote_about_by_name ON quote_about(name_key);
CREATE INDEX quote_about_by_last ON quote_about(last_key);

CREATE TABLE stories (
    id TEXT PRIMARY KEY,                -- the id of its earliest article
    title TEXT,
    first_seen TEXT,
    last_seen TEXT,
    articles INTEGER NOT NULL,          -- near-copies not counted
    duplicates INTEGER NOT NULL,
    quotes INTEGER NOT NULL,
    entities TEXT NOT NULL              -- JSON list of EntityCount
) WITHOUT ROWID;
CREATE INDEX stories_by_last_seen ON stories(last_seen);

CREATE VIRTUAL TABLE search USING fts5(
    title, text,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
