-- Own-voice word counts per source over the whole corpus (`outlet_words`, migration 0008) were
-- read by nothing once the word rankings compared an outlet with the others on the same stories
-- (migration 0009, `outlet_shared_terms`), yet every stored chunk upserted some 20,000 rows of it
-- into two B-trees: about a third of the storing thread's time. Dropped.
-- Written for newslens. Licence: MIT OR Apache-2.0.
DROP INDEX IF EXISTS outlet_words_by_count;
DROP TABLE IF EXISTS outlet_words;
