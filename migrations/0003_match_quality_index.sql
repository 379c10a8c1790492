-- 0003_match_quality_index: the static "quality" key match walks in, as a
-- covering index so the walk never reads the (wide) heap rows.
--
-- K(v) = rating / 5 + tag confidence (1 for a manual tag), in [0, 2]: an
-- equal-weight sum of the two criteria of the score that do not depend on
-- the need. No business weight is stored here: for any weights w_r and w_c
-- the static part of a score is at most
--   max(w_r, w_c) * min(K, 1) + min(w_r, w_c) * max(0, K - 1)
-- (score_static_bound in src/core/score.c), so match_db.c walks vendors in
-- descending (K, id) order and stops as soon as no vendor left can reach the
-- current top N (docs/matching.md, "Retrieval"). The expression must stay
-- byte for byte the one match_db.c orders by, or the planner will not use
-- the index.
--
-- INCLUDE: every column the walk filters on or scores with (walk_columns in
-- match_db.c; the key's own columns too, which the planner requires for an
-- index-only scan of an expression index), so the walk is an Index Only Scan
-- (Heap Fetches: 0 once VACUUM has set the visibility map; autovacuum does
-- it in normal use). The contact columns are fetched by id for the shown
-- vendors only. The arrays are short normalised codes: about 300 bytes an
-- entry, well under btree's 2.7 KB limit.
CREATE INDEX vendors_quality_idx ON vendors
    (((COALESCE(rating::float8, 0) / 5) + CASE WHEN manual_type IS NOT NULL THEN 1 ELSE confidence::float8 END), id)
    INCLUDE (name, effective_type, manual_type, confidence, rating, country, services,
             certifications, languages, industries, delivery, employees_min, employees_max,
             rate_min, rate_max, currency);
