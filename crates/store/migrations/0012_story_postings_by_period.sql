-- Candidate postings keyed by publication period first (`features.rs` `POSTING_BUCKET_DAYS`):
-- keyed by term, a batch's postings landed on pages all over a table that grows with the corpus
-- (3,336 pages a batch at 88,000 articles), and a lookup read every article holding the term,
-- however old, to learn its date. Now a batch writes into the newest periods only, and a lookup
-- reads the periods within reach of the batch's days, each posting carrying its article's day.
-- `bucket` is the day divided by 32, rounded down; undated articles' postings are in bucket
-- -2^40 (`UNDATED_BUCKET`). `day` repeats `features.rs` `day_number` of `articles.published`
-- (Howard Hinnant's days_from_civil) for the postings stored before.
-- Written for newslens. Licence: MIT OR Apache-2.0.
CREATE TABLE story_postings_by_period (
    bucket INTEGER NOT NULL,
    term INTEGER NOT NULL,
    article INTEGER NOT NULL REFERENCES articles(rowid),
    day INTEGER,                        -- days since 1970-01-01; NULL for an undated article
    PRIMARY KEY (bucket, term, article)
) WITHOUT ROWID;

INSERT INTO story_postings_by_period (bucket, term, article, day)
WITH parts AS (
    SELECT p.term, p.article, a.published,
           CAST(substr(a.published, 1, 4) AS INTEGER) AS year,
           CAST(substr(a.published, 6, 2) AS INTEGER) AS month,
           CAST(substr(a.published, 9, 2) AS INTEGER) AS day_of_month
    FROM story_postings p JOIN articles a ON a.rowid = p.article
), shifted AS (
    SELECT term, article, month, day_of_month,
           CASE WHEN published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
                     AND year >= 1 AND month BETWEEN 1 AND 12 AND day_of_month BETWEEN 1 AND 31
                THEN year - (month <= 2) END AS y
    FROM parts
), days AS (
    SELECT term, article,
           CASE WHEN y IS NOT NULL THEN
               (y / 400) * 146097
               + (y % 400) * 365 + (y % 400) / 4 - (y % 400) / 100
               + (153 * (CASE WHEN month > 2 THEN month - 3 ELSE month + 9 END) + 2) / 5
               + day_of_month - 1
               - 719468
           END AS day
    FROM shifted
)
SELECT CASE WHEN day IS NULL THEN -1099511627776
            ELSE (day - ((day % 32) + 32) % 32) / 32 END,
       term, article, day
FROM days;

DROP TABLE story_postings;
ALTER TABLE story_postings_by_period RENAME TO story_postings;
