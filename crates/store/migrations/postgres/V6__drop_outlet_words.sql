-- Own-voice word counts per source over the whole corpus (`outlet_words`, V4) were read by nothing
-- once the word rankings compared an outlet with the others on the same stories (V5,
-- `outlet_shared_terms`), yet every stored chunk upserted them. Dropped.
-- Written for newslens. Licence: MIT OR Apache-2.0.
DROP TABLE IF EXISTS outlet_words;
