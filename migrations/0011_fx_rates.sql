-- 0011_fx_rates: exchange rates, so money in different currencies is
-- compared in one (docs/matching.md, "Currencies"). usd_per_unit is the
-- number of US dollars one unit of the currency buys (EUR 1.08: one euro is
-- $1.08), as of rate_date. USD itself is always 1 and not stored.
-- `vendormatch fx set` and `fx import` (the European Central Bank's
-- reference-rate CSV) replace rows; source says where a rate came from.
CREATE TABLE fx_rates (
    currency     char(3) PRIMARY KEY CHECK (currency ~ '^[A-Z]{3}$' AND currency <> 'USD'),
    usd_per_unit numeric(24, 12) NOT NULL CHECK (usd_per_unit > 0),
    rate_date    date NOT NULL,
    source       text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- A seed so a fresh catalog converts offline: indicative reference rates in
-- the ECB's layout (units of each currency per euro, with USD 1.08 per euro)
-- stated as of 2026-12-01. They are not an ECB publication: run
-- `vendormatch fx import eurofxref.csv` for the day's published rates.
INSERT INTO fx_rates (currency, usd_per_unit, rate_date, source)
SELECT code, CASE code WHEN 'EUR' THEN 1.08 ELSE round(1.08 / per_eur, 12) END,
       DATE '2026-12-01', 'seed (migration 0011, ECB layout, indicative)'
  FROM (VALUES ('EUR', 1.0), ('JPY', 162.5), ('GBP', 0.85), ('CHF', 0.95), ('INR', 90.2),
               ('PHP', 62.4), ('CAD', 1.48), ('AUD', 1.64), ('NZD', 1.80), ('SGD', 1.45),
               ('MYR', 4.85), ('ZAR', 19.6), ('BRL', 6.10), ('MXN', 19.8), ('PLN', 4.30),
               ('RON', 4.97), ('CZK', 25.1), ('HUF', 395.0), ('SEK', 11.3), ('NOK', 11.6),
               ('DKK', 7.46), ('TRY', 37.0), ('ILS', 3.95), ('CNY', 7.75), ('KRW', 1480),
               ('IDR', 17200), ('THB', 37.5), ('HKD', 8.43), ('ISK', 148.0), ('BGN', 1.9558))
       AS r(code, per_eur);
