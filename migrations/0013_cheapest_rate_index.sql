-- 0013_cheapest_rate_index: the cheapest rate of the catalog in each
-- currency, found in a fraction of a millisecond (docs/matching.md,
-- "Retrieval": "Price bound"). With --max-rate a vendor's price points are
-- full only for a free vendor; the match walk bounds them by what the
-- catalog's cheapest rate would score, which it reads from this index (one
-- probe per currency present) before walking. The expression is the rate a
-- vendor is scored on, rate_min, else rate_max (score.c, rate_fit).
-- About 30 MB at 1,000,000 vendors.
CREATE INDEX vendors_cheapest_rate_idx ON vendors (currency, (COALESCE(rate_min, rate_max)));
