// Which top priorities each initiative (or only $initiative) serves, and by which path: chains
// of SUPPORTS, CONTRIBUTES_TO and MEASURES links through objectives, workstreams and key
// indicators, at most 4 links (MAX_HOPS in graph_service/queries/initiatives.py), no node twice,
// every link in force on $as_of. An initiative with no such path gives one row with no priority:
// the Policy Framework would flag it as not linked to the top priorities.
MATCH (i:Initiative)
WHERE $initiative IS NULL OR i.key = $initiative
OPTIONAL MATCH path = (i)-[:SUPPORTS|CONTRIBUTES_TO|MEASURES*1..4]->(p:Priority)
WHERE all(r IN relationships(path) WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of)
                                       AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of))
  AND all(n IN nodes(path) WHERE single(m IN nodes(path) WHERE m = n))
RETURN i.key AS initiative, i.name AS name, p.key AS priority, p.name AS priority_name,
       coalesce([n IN nodes(path) | {key: n.key, label: [l IN labels(n) WHERE l <> 'Node'][0],
                                     name: coalesce(n.name, n.title, n.text, n.kpi, n.kind, n.transaction_id)}], []) AS nodes,
       coalesce([r IN relationships(path) | {type: type(r), source: r._source, locator: r._locator,
                                             illustrative: r._illustrative}], []) AS links
