// Procurement Act KPI ratings on partners' current contracts, for periods ended by $as_of.
MATCH (o:Organisation)-[r:SUPPLIES]->(c:Contract)-[:RATED]->(k:KpiRating)
WHERE coalesce(o.is_council, false) = false AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
  AND ($as_of IS NULL OR (coalesce(c.start_date, '') <= $as_of AND (c.end_date IS NULL OR c.end_date > $as_of)))
  AND ($as_of IS NULL OR k.period_end <= $as_of)
RETURN o.key AS partner, c.key AS contract, c.title AS title, c.value AS value, k.key AS rating_key,
       k.kpi AS kpi, k.rating AS rating, k.period_end AS period_end, k._source AS source, k._locator AS locator
