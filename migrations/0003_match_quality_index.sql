-- 0003_match_quality_index: the static "quality" key match walks in.
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
CREATE INDEX vendors_quality_idx ON vendors
    (((COALESCE(rating::float8, 0) / 5) + CASE WHEN manual_type IS NOT NULL THEN 1 ELSE confidence::float8 END), id);
