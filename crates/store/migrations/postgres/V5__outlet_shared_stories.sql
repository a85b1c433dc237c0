-- Outlet profiles on the same stories (issue 20): as SQLite's migration 0009 (read it for what
-- each table holds and why `outlet_speakers` is emptied).
-- Written for newslens. Licence: MIT OR Apache-2.0.
DELETE FROM outlet_speakers;

CREATE TABLE outlet_story_terms (
    story TEXT COLLATE "C" NOT NULL,
    source TEXT COLLATE "C" NOT NULL,
    terms BYTEA NOT NULL,
    PRIMARY KEY (story, source)
);

CREATE TABLE outlet_counted (
    article TEXT COLLATE "C" PRIMARY KEY,
    story TEXT COLLATE "C" NOT NULL
);
CREATE INDEX outlet_counted_by_story ON outlet_counted(story);

CREATE TABLE outlet_shared_terms (
    source TEXT COLLATE "C" NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    term TEXT COLLATE "C" NOT NULL,
    name TEXT NOT NULL,
    own BIGINT NOT NULL,
    others BIGINT NOT NULL,
    PRIMARY KEY (source, kind, term)
);
CREATE INDEX outlet_shared_terms_by_own ON outlet_shared_terms(source, kind, own DESC);
CREATE INDEX outlet_shared_terms_by_others ON outlet_shared_terms(source, kind, others DESC);
