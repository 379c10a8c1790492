-- 0016_source_hash_index: a source's record by its content hash. A
-- re-import finds the records its unchanged rows repeat with one join on
-- (source_id, content_hash), which gives each such row its vendor without
-- the identity rules (docs/import.md, "Re-import, unchanged detection");
-- vendor_id and source_row_id are included so that join reads the index
-- only. About 70 MB at 1,000,000 records. A first load builds it after the
-- records are in (import_db.c, drop_link_fkeys).
CREATE INDEX vendor_sources_hash_idx ON vendor_sources (source_id, content_hash)
    INCLUDE (vendor_id, source_row_id);
