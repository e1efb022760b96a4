// Each partner's current contracts: value, term, management and exit plans, and the contracts
// that succeed each (SUCCEEDS points from the successor). Current: the term covers $as_of.
MATCH (o:Organisation)-[r:SUPPLIES]->(c:Contract)
WHERE coalesce(o.is_council, false) = false AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
  AND ($as_of IS NULL OR (coalesce(c.start_date, '') <= $as_of AND (c.end_date IS NULL OR c.end_date > $as_of)))
RETURN o.key AS partner, c.key AS contract, c.title AS title, c.value AS value,
       c.start_date AS start_date, c.end_date AS end_date,
       c.has_management_plan AS has_management_plan, c.has_exit_plan AS has_exit_plan,
       c.kraljic_category AS kraljic_category,
       [(s:Contract)-[:SUCCEEDS]->(c) | {key: s.key, start_date: s.start_date}] AS successors,
       c._source AS source, c._locator AS locator
