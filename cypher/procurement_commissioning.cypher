// Grant and contract value $buyer let each year (null: every organisation that BUYS or FUNDS), by the
// persona of the recipient or supplier: "from grant giving towards service commissioning". A contract counts in the year it
// starts, a grant in the year it is awarded, once per persona of its counterparts (two personas:
// under both; none: under no persona). Only what was let by $as_of. `illustrative` counts generated items.
MATCH (council:Organisation)-[b:BUYS]->(c:Contract)
WHERE ($buyer IS NULL OR council.key = $buyer) AND c.start_date IS NOT NULL AND ($as_of IS NULL OR coalesce(b.valid_from, '') <= $as_of) AND ($as_of IS NULL OR c.start_date <= $as_of)
OPTIONAL MATCH (o:Organisation)-[s:SUPPLIES]->(c)
WHERE coalesce(o.is_council, false) = false AND ($as_of IS NULL OR coalesce(s.valid_from, '') <= $as_of)
OPTIONAL MATCH (o)-[:HAS_PERSONA]->(p:Persona)
WITH DISTINCT c, p
RETURN 'contract' AS kind, substring(c.start_date, 0, 4) AS year, p.key AS persona, p.name AS persona_name,
       sum(coalesce(c.value, 0.0)) AS value, count(c) AS count,
       sum(CASE WHEN c._illustrative THEN 1 ELSE 0 END) AS illustrative
UNION ALL
MATCH (council:Organisation)-[f:FUNDS]->(g:Grant)
WHERE ($buyer IS NULL OR council.key = $buyer) AND g.award_date IS NOT NULL AND ($as_of IS NULL OR coalesce(f.valid_from, '') <= $as_of) AND ($as_of IS NULL OR g.award_date <= $as_of)
OPTIONAL MATCH (o:Organisation)-[r:RECEIVES]->(g)
WHERE coalesce(o.is_council, false) = false AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of)
OPTIONAL MATCH (o)-[:HAS_PERSONA]->(p:Persona)
WITH DISTINCT g, p
RETURN 'grant' AS kind, substring(g.award_date, 0, 4) AS year, p.key AS persona, p.name AS persona_name,
       sum(coalesce(g.amount, 0.0)) AS value, count(g) AS count,
       sum(CASE WHEN g._illustrative THEN 1 ELSE 0 END) AS illustrative
