-- The index of `outlet_shared_terms` by the source's own count (migration 0009) took a batch's
-- rows at random, keyed by a count: on a stream of 88,000 articles a batch of 100 dirtied 5,125
-- pages of the table and this index together (of some 20,000), each then copied by the
-- write-ahead log; timed on copies of that corpus, dropping it saved 4–8 % of a batch's CPU.
-- It served one read, a profile's 400 terms the source uses most, now found by a scan of the
-- source's rows with a bounded sort (`sqlite/outlets.rs` `shared_top`), as the side by the others' count has been
-- since migration 0011.
-- Written for newslens. Licence: MIT OR Apache-2.0.
DROP INDEX IF EXISTS outlet_shared_terms_by_own;
