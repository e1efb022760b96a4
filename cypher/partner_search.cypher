// Organisations whose key, name, an alias or an identifier contains $q (any case): exact, then prefix, then
// substring matches, then by name. $persona is a Persona key or name. Persona links hold no period, so
// $as_of changes nothing here.
MATCH (o:Organisation)
WITH o, [t IN [o.key, o.name] + coalesce(o.aliases, []) + coalesce(o.identifiers, []) | toLower(t)] AS texts,
     toLower(coalesce($q, '')) AS needle
WHERE any(t IN texts WHERE t CONTAINS needle)
  AND ($persona IS NULL OR EXISTS {
        MATCH (o)-[:HAS_PERSONA]->(p:Persona) WHERE p.key = $persona OR toLower(p.name) = toLower($persona) })
WITH o, CASE WHEN needle IN texts THEN 0 WHEN any(t IN texts WHERE t STARTS WITH needle) THEN 1 ELSE 2 END AS rank
ORDER BY rank, o.name, o.key
LIMIT $limit
RETURN o.key AS key, o.name AS name, o.org_type AS org_type, coalesce(o.identifiers, []) AS identifiers,
       COLLECT { MATCH (o)-[:HAS_PERSONA]->(p:Persona) RETURN p.name } AS personas, rank
