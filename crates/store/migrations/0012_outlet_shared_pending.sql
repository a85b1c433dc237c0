-- Changes to `outlet_shared_terms` wait here and are added to it in one sorted pass every so
-- many rows (`sqlite/outlets.rs` `fold_pending`). A batch's changes fall on tens of thousands of
-- (source, word) rows spread over the whole table: upserting them one batch at a time dirtied a
-- page per row once the table outgrew the page cache, and every dirty page was written to the
-- log and copied back at each batch, so a batch cost more as the corpus grew. Appended here,
-- a batch fills a few new pages at the table's end (and at the end of each source's run of the
-- index below, since rowids only grow); a fold then writes each page of `outlet_shared_terms`
-- once for many batches, and a word that many batches change is written once.
--
-- Reads add the pending rows of the source they read (`shared_top`, `shared_counts`), so a
-- profile never sees a fold's timing. `name` is the speaker's name as the row first wrote it.
-- Written for newslens. Licence: MIT OR Apache-2.0.
CREATE TABLE outlet_shared_pending (
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    term TEXT NOT NULL,
    name TEXT NOT NULL,
    own INTEGER NOT NULL,
    others INTEGER NOT NULL
);
CREATE INDEX outlet_shared_pending_by_source ON outlet_shared_pending(source, kind);
