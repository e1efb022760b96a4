// Each partner's current contracts of $buyer's (null: any buyer's): the value credited to it (the
// reader's value_share, else the value divided among the contract's suppliers), the contract's value,
// term, buyers, management and exit plans, and the contracts that succeed each (SUCCEEDS points from
// the successor). Current: the term covers $as_of. The buyer's contracts are found from it, not by
// scanning every supplier link.
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
RETURN o.key AS partner, c.key AS contract, c.title AS title, share AS value, c.value AS contract_value,
       count AS supplier_count, coalesce(c.value_is_ceiling, false) AS value_is_ceiling,
       COLLECT { MATCH (b:Organisation)-[:BUYS]->(c) RETURN DISTINCT {key: b.key, name: b.name} } AS buyers,
       c.start_date AS start_date, c.end_date AS end_date,
       c.has_management_plan AS has_management_plan, c.has_exit_plan AS has_exit_plan,
       c.kraljic_category AS kraljic_category,
       [(s:Contract)-[:SUCCEEDS]->(c) | {key: s.key, start_date: s.start_date}] AS successors,
       c._source AS source, c._locator AS locator
