-- Stories that grow: what the incremental story engine (stories/incremental.rs) keeps between
-- ingests, so that placing a new article never reads the whole corpus.
--   term_df:        how many placed originals hold each story term (features.rs hashes);
--   story_postings: each placed original's key terms, the candidate index (article = rowid);
--   copy_bands:     each placed article's MinHash bands (LSH buckets) for near-copies;
--   story_aliases:  the id of a story merged away → the story that holds its articles now;
--   story_events:   merges and splits, with the time they were decided;
--   story_engine:   counters (`originals`: placed originals; `rebuild`: 1 when the tables above
--                   must be rebuilt from the articles before the next placement).
-- articles.placed is 0 from storing until the engine has placed the article (meanwhile it is a
-- story of one, so every article is in exactly one story between transactions).
-- Written for newslens. Licence: MIT OR Apache-2.0.
CREATE TABLE term_df (
    term INTEGER PRIMARY KEY,
    df INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE story_postings (
    term INTEGER NOT NULL,
    article INTEGER NOT NULL REFERENCES articles(rowid),
    PRIMARY KEY (term, article)
) WITHOUT ROWID;

CREATE TABLE copy_bands (
    band INTEGER NOT NULL,
    article INTEGER NOT NULL REFERENCES articles(rowid),
    PRIMARY KEY (band, article)
) WITHOUT ROWID;

CREATE TABLE story_aliases (
    old TEXT PRIMARY KEY,
    story TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX story_aliases_by_story ON story_aliases(story);

CREATE TABLE story_events (
    rowid INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    kind TEXT NOT NULL,                 -- merged | split
    story TEXT NOT NULL,                -- the story merged away, or split
    other TEXT NOT NULL,                -- the story that absorbed it, or that the leavers started
    articles INTEGER NOT NULL
);
CREATE INDEX story_events_by_story ON story_events(story);
CREATE INDEX story_events_by_other ON story_events(other);

CREATE TABLE story_engine (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
-- A corpus stored before this version was clustered in batch: its tables are rebuilt once.
INSERT INTO story_engine (key, value) VALUES ('originals', 0);
INSERT INTO story_engine (key, value) SELECT 'rebuild', 1 WHERE EXISTS (SELECT 1 FROM articles);

ALTER TABLE articles ADD COLUMN placed INTEGER NOT NULL DEFAULT 1;
CREATE INDEX articles_unplaced ON articles(rowid) WHERE placed = 0;
-- A story's newest originals, read for every candidate's story: without it a story of thousands
-- of articles was read whole and sorted for its newest 24.
CREATE INDEX articles_story_newest ON articles(story, published IS NULL, published DESC, rowid DESC)
    WHERE duplicate_of IS NULL AND placed = 1;
-- A moved original's near-copies follow it: found by this index, not by reading every article.
CREATE INDEX articles_by_original ON articles(duplicate_of) WHERE duplicate_of IS NOT NULL;
