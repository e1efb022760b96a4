// One step of an ego view: every relationship touching each of $keys (either direction) and the
// node at its other end, with a name to show. Temporal relationships count if in force on $as_of.
UNWIND $keys AS k
MATCH (n:Node {key: k})-[r]-(m:Node)
WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
RETURN DISTINCT k AS key, type(r) AS type, startNode(r).key AS start, endNode(r).key AS end, m.key AS other,
       [l IN labels(m) WHERE l <> 'Node'][0] AS other_label,
       coalesce(m.name, m.title, m.text, m.kpi, m.kind, m.transaction_id, m.key) AS other_name,
       coalesce(m.held_on, m.period_end, m.paid_on) AS other_on
