-- Outlet profiles on the same stories (issue 20): the speaker and word rankings compare an outlet
-- with the other outlets on the stories it covered, not with the whole corpus.
--
-- `outlet_story_terms` holds each source's speaker and own-voice word counts in each story (one
-- LZ4-compressed JSON row per story and source, `outlets::shared::StoryTerms`);
-- `outlet_counted` the story each article's counts are under, so that when the story engine moves
-- articles (placement, merges, splits) the store finds what moved and changes only those
-- stories' rows; `outlet_shared_terms` per source, kind ('speaker' or 'word') and term: `own`,
-- the source's count over the stories it shared with at least one other source, and `others`,
-- the other sources' count over the stories it covered (term '' holds the totals).
--
-- Speaker keys changed with this migration (titles dropped, a surname joined to the one full
-- name of the article), so `outlet_speakers` is emptied here and filled again, with the new
-- tables, from the stored articles when the corpus is opened (outlets/backfill): an article
-- without an `outlet_counted` row has not been counted yet.
-- Written for newslens. Licence: MIT OR Apache-2.0.
DELETE FROM outlet_speakers;

CREATE TABLE outlet_story_terms (
    story TEXT NOT NULL,
    source TEXT NOT NULL,
    terms BLOB NOT NULL,
    PRIMARY KEY (story, source)
) WITHOUT ROWID;

CREATE TABLE outlet_counted (
    article TEXT PRIMARY KEY,            -- articles.id
    story TEXT NOT NULL                  -- the story its counts are under
) WITHOUT ROWID;
CREATE INDEX outlet_counted_by_story ON outlet_counted(story);

CREATE TABLE outlet_shared_terms (
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    term TEXT NOT NULL,
    name TEXT NOT NULL,                  -- a speaker's name as first written
    own INTEGER NOT NULL,
    others INTEGER NOT NULL,
    PRIMARY KEY (source, kind, term)
) WITHOUT ROWID;
CREATE INDEX outlet_shared_terms_by_own ON outlet_shared_terms(source, kind, own DESC);
CREATE INDEX outlet_shared_terms_by_others ON outlet_shared_terms(source, kind, others DESC);
