-- The index of `outlet_shared_terms` by the source's own count (V5), dropped as the SQLite
-- store's is (migration 0013 says why): every batch moved an entry of it for each row whose own
-- count changed, and kept those updates from being made in place (HOT). A profile finds each
-- side's top terms by a scan of the source's rows with a bounded sort (`postgres/outlets.rs`).
-- Written for newslens. Licence: MIT OR Apache-2.0.
DROP INDEX IF EXISTS outlet_shared_terms_by_own;
