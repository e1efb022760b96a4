// Procurement Act KPI ratings on partners' current contracts of $buyer's (null: any buyer's), for
// periods ended by $as_of; `value` is the partner's share of the contract's (see health_contracts).
CALL () {
  MATCH (c:Contract) WHERE $buyer IS NULL RETURN c
  UNION
  MATCH (:Organisation {key: $buyer})-[:BUYS]->(c:Contract) RETURN c
}
WITH c WHERE $as_of IS NULL OR (coalesce(c.start_date, '') <= $as_of AND (c.end_date IS NULL OR c.end_date > $as_of))
MATCH (o:Organisation)-[r:SUPPLIES]->(c)
WHERE coalesce(o.is_council, false) = false AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
WITH o, r, c, size(COLLECT { MATCH (x:Organisation)-[:SUPPLIES]->(c) WHERE coalesce(x.is_council, false) = false
                             RETURN DISTINCT x.key }) AS found
WITH o, r, c, CASE WHEN c.supplier_count > 0 THEN c.supplier_count WHEN found > 0 THEN found ELSE 1 END AS count
WITH o, r, c, count, CASE WHEN c.value_share IS NOT NULL THEN c.value_share WHEN c.value IS NULL THEN NULL ELSE c.value / count END AS share
MATCH (c)-[:RATED]->(k:KpiRating)
WHERE $as_of IS NULL OR k.period_end <= $as_of
RETURN o.key AS partner, c.key AS contract, c.title AS title, share AS value, k.key AS rating_key,
       k.kpi AS kpi, k.rating AS rating, k.period_end AS period_end, k._source AS source, k._locator AS locator
