-- 0005_drop_redundant_name_key_index: vendors_name_key_idx (name_key) is
-- a prefix of vendors_identity_name_idx (name_key, coalesce(country, '')),
-- which serves every lookup by name key (the importer's identity lookups
-- match name key and country together). Dropping it saves a btree build of
-- about a second per million vendors on a first import, and one index
-- entry per written row on every re-import.
DROP INDEX IF EXISTS vendors_name_key_idx;
