-- 0010_open_ranges: the open end of a rate or headcount range is NULL.
-- Earlier imports stored "< $25 / hr" as rate_min 0 (a vendor charging
-- nothing, ranked first by price) and "< 50" as employees_min 0; "from $40"
-- and "5,000 and up" as one value. The normaliser now reads these as open
-- ranges (docs/import.md, "Ranges"); this brings rows imported before it in
-- line, using the same words, so a catalog need not be re-imported. A
-- re-import finds these rows changed (the content hash covers the open ends)
-- and rewrites them with the same values.
UPDATE vendors SET rate_min = NULL
 WHERE rate_min = 0 AND rate_max > 0
   AND rate_raw ~* '(<|≤|\mless than\M|\munder\M|\mup to\M|\mbelow\M|\mmax|\mat most\M)';
UPDATE vendors SET rate_max = NULL
 WHERE rate_max < 0
    OR (rate_min = rate_max
        AND rate_raw ~* '(>|≥|\+|\mfrom\M|\mstarting at\M|\mand (up|above)\M|\mor more\M|\mmin|\mat least\M|\mover\M|\mabove\M|\mmore than\M)');
UPDATE vendors SET employees_min = NULL
 WHERE employees_min = 0 AND employees_max > 0
   AND employees_raw ~* '(<|≤|\mless than\M|\mfewer than\M|\munder\M|\mup to\M|\mbelow\M|\mmax|\mat most\M)';
UPDATE vendors SET employees_max = NULL
 WHERE employees_max < 0
    OR (employees_min = employees_max
        AND employees_raw ~* '(>|≥|\+|\mfrom\M|\mstarting at\M|\mand (up|above)\M|\mor more\M|\mmin|\mat least\M|\mover\M|\mabove\M|\mmore than\M)');
