-- Outlet profiles (issue 20): as SQLite's migration 0008 (read it for what each column holds).
-- Written for newslens. Licence: MIT OR Apache-2.0.
ALTER TABLE articles ADD COLUMN outlet_source TEXT COLLATE "C";
CREATE INDEX articles_outlets_pending ON articles(rowid) WHERE outlet_source IS NULL;

CREATE TABLE outlet_sources (
    source TEXT COLLATE "C" PRIMARY KEY,
    written TEXT NOT NULL
);

CREATE TABLE outlet_weeks (
    source TEXT COLLATE "C" NOT NULL,
    week TEXT COLLATE "C" NOT NULL,
    articles BIGINT NOT NULL,
    quotes BIGINT NOT NULL,
    own_words BIGINT NOT NULL,
    loaded BIGINT NOT NULL,
    tone_sum DOUBLE PRECISION NOT NULL,
    tone_articles BIGINT NOT NULL,
    verbs BIGINT NOT NULL,
    non_neutral_verbs BIGINT NOT NULL,
    women BIGINT NOT NULL,
    men BIGINT NOT NULL,
    unknown_gender BIGINT NOT NULL,
    speaker_quotes BIGINT NOT NULL,
    content_words BIGINT NOT NULL,
    first TEXT COLLATE "C",
    last TEXT COLLATE "C",
    PRIMARY KEY (source, week)
);

CREATE TABLE outlet_speakers (
    source TEXT COLLATE "C" NOT NULL,
    speaker TEXT COLLATE "C" NOT NULL,
    name TEXT NOT NULL,
    quotes BIGINT NOT NULL,
    PRIMARY KEY (source, speaker)
);
CREATE INDEX outlet_speakers_by_count ON outlet_speakers(source, quotes DESC);

CREATE TABLE outlet_words (
    source TEXT COLLATE "C" NOT NULL,
    word TEXT COLLATE "C" NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (source, word)
);
CREATE INDEX outlet_words_by_count ON outlet_words(source, count DESC);

CREATE TABLE story_sources (
    story TEXT COLLATE "C" NOT NULL,
    source TEXT COLLATE "C" NOT NULL,
    first TEXT COLLATE "C",
    last TEXT COLLATE "C",
    PRIMARY KEY (story, source)
);
CREATE INDEX story_sources_by_source ON story_sources(source, story);

CREATE TABLE story_reach (
    story TEXT COLLATE "C" PRIMARY KEY,
    sources BIGINT NOT NULL,
    first TEXT COLLATE "C"
);
CREATE INDEX story_reach_by_sources ON story_reach(sources, first);
