-- Outlet profiles (issue 20): aggregates per source (an outlet as written, or a URL host) kept up
-- to date in the transaction that stores each article, so a profile reads a few rows instead of
-- every article. Source '' in the aggregate tables is the whole corpus. `articles.outlet_source`
-- is each article's source ('' for none); NULL marks an article stored before this migration,
-- whose aggregates the store adds when it opens the corpus (outlets/backfill). `story_sources`
-- and `story_reach` say which sources covered each story; they are rewritten with the story
-- summaries whenever the story engine changes a story, so blindspots and story counts read the
-- stories with several sources and the outlet's own stories, not every article.
-- Written for newslens. Licence: MIT OR Apache-2.0.
ALTER TABLE articles ADD COLUMN outlet_source TEXT;
CREATE INDEX articles_outlets_pending ON articles(rowid) WHERE outlet_source IS NULL;

CREATE TABLE outlet_sources (
    source TEXT PRIMARY KEY,
    written TEXT NOT NULL                -- as first written
) WITHOUT ROWID;

CREATE TABLE outlet_weeks (
    source TEXT NOT NULL,
    week TEXT NOT NULL,                  -- the Monday, YYYY-MM-DD; '' for undated articles
    articles INTEGER NOT NULL,
    quotes INTEGER NOT NULL,
    own_words INTEGER NOT NULL,          -- words outside direct, mixed and post quotes
    loaded INTEGER NOT NULL,             -- loaded spans in those words
    tone_sum REAL NOT NULL,              -- sum of the articles' narrative tone
    tone_articles INTEGER NOT NULL,
    verbs INTEGER NOT NULL,
    non_neutral_verbs INTEGER NOT NULL,
    women INTEGER NOT NULL,
    men INTEGER NOT NULL,
    unknown_gender INTEGER NOT NULL,
    speaker_quotes INTEGER NOT NULL,     -- quotes of named speakers
    content_words INTEGER NOT NULL,      -- own-voice words counted in outlet_words
    first TEXT,                          -- earliest and latest publication day
    last TEXT,
    PRIMARY KEY (source, week)
) WITHOUT ROWID;

CREATE TABLE outlet_speakers (
    source TEXT NOT NULL,
    speaker TEXT NOT NULL,               -- lower-cased name
    name TEXT NOT NULL,                  -- as first written
    quotes INTEGER NOT NULL,
    PRIMARY KEY (source, speaker)
) WITHOUT ROWID;
CREATE INDEX outlet_speakers_by_count ON outlet_speakers(source, quotes DESC);

CREATE TABLE outlet_words (
    source TEXT NOT NULL,
    word TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (source, word)
) WITHOUT ROWID;
CREATE INDEX outlet_words_by_count ON outlet_words(source, count DESC);

CREATE TABLE story_sources (
    story TEXT NOT NULL,
    source TEXT NOT NULL,
    first TEXT,                          -- the source's first and last day in the story
    last TEXT,
    PRIMARY KEY (story, source)
) WITHOUT ROWID;
CREATE INDEX story_sources_by_source ON story_sources(source, story);

CREATE TABLE story_reach (
    story TEXT PRIMARY KEY,
    sources INTEGER NOT NULL,            -- sources that covered it
    first TEXT                           -- its first day
) WITHOUT ROWID;
CREATE INDEX story_reach_by_sources ON story_reach(sources, first);
