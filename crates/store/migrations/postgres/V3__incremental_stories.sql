-- Stories that grow: what the incremental story engine (stories/incremental.rs) keeps between
-- ingests, as SQLite's migration 0007 (read it for what each table holds). Terms and bands are
-- BIGINT (a band key is a u64 stored as its two's-complement i64, as SQLite stores it).
-- Written for newslens. Licence: MIT OR Apache-2.0.
CREATE TABLE term_df (
    term BIGINT PRIMARY KEY,
    df BIGINT NOT NULL
);

CREATE TABLE story_postings (
    term BIGINT NOT NULL,
    article BIGINT NOT NULL REFERENCES articles(rowid),
    PRIMARY KEY (term, article)
);

CREATE TABLE copy_bands (
    band BIGINT NOT NULL,
    article BIGINT NOT NULL REFERENCES articles(rowid),
    PRIMARY KEY (band, article)
);

CREATE TABLE story_aliases (
    old TEXT COLLATE "C" PRIMARY KEY,
    story TEXT COLLATE "C" NOT NULL
);
CREATE INDEX story_aliases_by_story ON story_aliases(story);

CREATE TABLE story_events (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    kind TEXT NOT NULL,
    story TEXT COLLATE "C" NOT NULL,
    other TEXT COLLATE "C" NOT NULL,
    articles BIGINT NOT NULL
);
CREATE INDEX story_events_by_story ON story_events(story);
CREATE INDEX story_events_by_other ON story_events(other);

CREATE TABLE story_engine (
    key TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
-- A corpus stored before this version was clustered in batch: its tables are rebuilt once.
INSERT INTO story_engine (key, value) VALUES ('originals', 0);
INSERT INTO story_engine (key, value) SELECT 'rebuild', 1 WHERE EXISTS (SELECT 1 FROM articles);

ALTER TABLE articles ADD COLUMN placed BOOLEAN NOT NULL DEFAULT true;
CREATE INDEX articles_unplaced ON articles(rowid) WHERE NOT placed;
-- A story's newest originals, read for every candidate's story (see SQLite's 0007).
CREATE INDEX articles_story_newest ON articles(story, (published IS NULL), published DESC, rowid DESC)
    WHERE duplicate_of IS NULL AND placed;
-- A moved original's near-copies follow it (see SQLite's 0007).
CREATE INDEX articles_by_original ON articles(duplicate_of) WHERE duplicate_of IS NOT NULL;
