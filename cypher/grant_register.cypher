// Each grant (or only $grant; funded by $buyer, or by anyone): its amount and dates, funders, recipients,
// the services it delivers, managing posts and the priorities it supports; each link in force on $as_of,
// with its provenance.
MATCH (g:Grant)
WHERE ($grant IS NULL OR g.key = $grant)
  AND ($buyer IS NULL OR EXISTS { MATCH (:Organisation {key: $buyer})-[:FUNDS]->(g) })
RETURN g.key AS grant, g.title AS title, g.amount AS amount, g.currency AS currency, g.award_date AS award_date,
       g.start_date AS start_date, g.end_date AS end_date, g.programme AS programme, g.description AS description,
       {source: g._source, locator: g._locator, illustrative: g._illustrative} AS provenance,
       COLLECT { MATCH (o)-[r:FUNDS]->(g) WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
                 RETURN {key: o.key, name: coalesce(o.name, o.title, o.text, o.kpi, o.kind, o.transaction_id), source: r._source, locator: r._locator, illustrative: r._illustrative} } AS funders,
       COLLECT { MATCH (o)-[r:RECEIVES]->(g) WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
                 RETURN {key: o.key, name: coalesce(o.name, o.title, o.text, o.kpi, o.kind, o.transaction_id), source: r._source, locator: r._locator, illustrative: r._illustrative} } AS recipients,
       COLLECT { MATCH (o)-[r:MANAGES]->(g) WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
                 RETURN {key: o.key, name: coalesce(o.name, o.title, o.text, o.kpi, o.kind, o.transaction_id), source: r._source, locator: r._locator, illustrative: r._illustrative} } AS managers,
       COLLECT { MATCH (g)-[r:DELIVERS]->(o) WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
                 RETURN {key: o.key, name: coalesce(o.name, o.title, o.text, o.kpi, o.kind, o.transaction_id), source: r._source, locator: r._locator, illustrative: r._illustrative} } AS services,
       COLLECT { MATCH (g)-[r:SUPPORTS]->(o:Priority) WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
                 RETURN {key: o.key, name: coalesce(o.name, o.title, o.text, o.kpi, o.kind, o.transaction_id), source: r._source, locator: r._locator, illustrative: r._illustrative} } AS priorities
