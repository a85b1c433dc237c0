-- Quotes carry what a quote list is filtered and ordered by, so `newslens quotes` and
-- GET /v1/quotes read one index instead of every matching quote's article row (an article row
-- holds the whole contract JSON; sorting a popular speaker's thousands of quotes through it was
-- the slowest view).
--   sort_date: the article's publication date, or '~' (after every digit) when undated, so
--              "dated first, earliest first" is plain index order;
--   copy:      1 when the article is a near-copy (its quotes are not listed), kept in step by
--              the story update.
ALTER TABLE quotes ADD COLUMN sort_date TEXT NOT NULL DEFAULT '~';
ALTER TABLE quotes ADD COLUMN copy INTEGER NOT NULL DEFAULT 0;

UPDATE quotes SET
    sort_date = coalesce((SELECT published FROM articles WHERE rowid = quotes.article), '~'),
    copy = (SELECT duplicate_of IS NOT NULL FROM articles WHERE rowid = quotes.article);

DROP INDEX quotes_by_speaker;
DROP INDEX quotes_by_speaker_last;
CREATE INDEX quotes_by_speaker ON quotes(speaker_key, copy, sort_date, article, quote);
CREATE INDEX quotes_by_speaker_last ON quotes(speaker_last, copy, sort_date, article, quote);
CREATE INDEX quotes_in_order ON quotes(copy, sort_date, article, quote);
