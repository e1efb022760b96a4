// Nodes and relationships that began, ended, had a value replaced or were recorded by an officer
// (source 'recorded') between two dates,
// optionally only those touching a partner, a persona's partners, a workstream (and its
// neighbours) or a policy, and every policy (the caller reads its published, review and period dates).
// History is stored as JSON text and read by the caller.
CALL () {
  OPTIONAL MATCH (o:Organisation)-[:HAS_PERSONA]->(:Persona {key: $persona})
  WITH collect(o.key) AS by_persona
  OPTIONAL MATCH (:Workstream {key: $workstream})--(near:Node)
  WITH by_persona, collect(near.key) AS near_workstream
  RETURN by_persona + near_workstream + [k IN [$partner, $workstream, $policy] WHERE k IS NOT NULL] AS focus
}
WITH focus, ($partner IS NULL AND $persona IS NULL AND $workstream IS NULL AND $policy IS NULL) AS everything
CALL (focus, everything) {
  MATCH (n:Node)
  WHERE (n._history <> '[]' OR n._source = 'recorded' OR n:Policy) AND (everything OR n.key IN focus)
  RETURN 'node' AS kind, n.key AS key, [l IN labels(n) WHERE l <> 'Node'][0] AS what, null AS start, null AS end,
         n AS entity
  UNION ALL
  MATCH (a:Node)-[r]->(b:Node)
  WHERE (everything OR a.key IN focus OR b.key IN focus)
    AND (r._history <> '[]' OR r._source = 'recorded'
         OR (r.valid_from > $date_from AND substring(r.valid_from, 0, 10) <= $date_to)
         OR (r.valid_to > $date_from AND substring(r.valid_to, 0, 10) <= $date_to))
  RETURN 'relationship' AS kind, r.id AS key, type(r) AS what, a.key AS start, b.key AS end, r AS entity
}
WITH kind, key, what, start, end, properties(entity) AS p
RETURN kind, key, what, start, end, p.valid_from AS valid_from, p.valid_to AS valid_to,
       [k IN keys(p) WHERE NOT k STARTS WITH '_' AND NOT k IN ['key', 'id'] | [k, p[k]]] AS prop_pairs,
       p._history AS history, p._source AS source, p._locator AS locator, p._illustrative AS illustrative,
       p._loaded_at AS loaded_at
