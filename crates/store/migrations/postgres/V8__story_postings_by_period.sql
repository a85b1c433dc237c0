-- Candidate postings keyed by publication period first, as SQLite's migration 0012 (read it for
-- why): `bucket` is the article's day (days since 1970-01-01) divided by 32, rounded down, and
-- -2^40 for undated articles; `day` repeats `features.rs` `day_number` of `articles.published`
-- (Howard Hinnant's days_from_civil) for the postings stored before.
-- Written for newslens. Licence: MIT OR Apache-2.0.
CREATE TABLE story_postings_by_period (
    bucket BIGINT NOT NULL,
    term BIGINT NOT NULL,
    article BIGINT NOT NULL REFERENCES articles(rowid),
    day INTEGER,
    PRIMARY KEY (bucket, term, article)
);

INSERT INTO story_postings_by_period (bucket, term, article, day)
WITH parts AS (
    SELECT p.term, p.article,
           substr(a.published, 1, 10) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AS dated,
           a.published
    FROM story_postings p JOIN articles a ON a.rowid = p.article
), fields AS (
    SELECT term, article,
           CASE WHEN dated THEN substr(published, 1, 4)::int END AS year,
           CASE WHEN dated THEN substr(published, 6, 2)::int END AS month,
           CASE WHEN dated THEN substr(published, 9, 2)::int END AS day_of_month
    FROM parts
), shifted AS (
    SELECT term, article, month, day_of_month,
           CASE WHEN year >= 1 AND month BETWEEN 1 AND 12 AND day_of_month BETWEEN 1 AND 31
                THEN year - CASE WHEN month <= 2 THEN 1 ELSE 0 END END AS y
    FROM fields
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
SELECT CASE WHEN day IS NULL THEN -1099511627776 ELSE floor(day / 32.0)::bigint END,
       term, article, day
FROM days;

DROP TABLE story_postings;
ALTER TABLE story_postings_by_period RENAME TO story_postings;
ALTER TABLE story_postings RENAME CONSTRAINT story_postings_by_period_pkey TO story_postings_pkey;
