// Current contracts of $buyer's (null: any buyer's) ending by $until, with their buyers (none: not
// stated), suppliers, services, managing posts, exit plan and the contracts let to succeed them.
// `value` is the contract's, once (a framework's: its ceiling). Current: the term covers $as_of.
// A page: $limit of them (null: all) from $offset, by end date then key, cut before the rows are built.
MATCH (c:Contract)
WHERE c.end_date IS NOT NULL AND ($until IS NULL OR c.end_date <= $until)
  AND ($as_of IS NULL OR (coalesce(c.start_date, '') <= $as_of AND c.end_date > $as_of))
  AND ($buyer IS NULL OR EXISTS { MATCH (:Organisation {key: $buyer})-[:BUYS]->(c) })
WITH c ORDER BY c.end_date, c.key
SKIP $offset LIMIT coalesce($limit, 9223372036854775807)
RETURN c.key AS contract, c.title AS title, c.value AS value, coalesce(c.value_is_ceiling, false) AS value_is_ceiling,
       COLLECT { MATCH (b:Organisation)-[:BUYS]->(c) RETURN DISTINCT {key: b.key, name: b.name} } AS buyers, c.start_date AS start_date, c.end_date AS end_date,
       c.has_exit_plan AS has_exit_plan,
       [(o:Organisation)-[r:SUPPLIES]->(c) WHERE coalesce(o.is_council, false) = false
          AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of) | {key: o.key, name: o.name}] AS suppliers,
       [(c)-[:DELIVERS]->(s:Service) | {key: s.key, name: s.name, critical: coalesce(s.critical, false)}] AS services,
       [(s:Contract)-[:SUCCEEDS]->(c) | {key: s.key, title: s.title, start_date: s.start_date}] AS successors,
       [(p:Post)-[r:MANAGES]->(c) WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of) | p.key] AS managers,
       c._source AS source, c._locator AS locator
