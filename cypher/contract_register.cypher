// Each contract (or only $contract; of $buyer's, or any buyer's): its terms and value, buyers, suppliers,
// the services it delivers, managing posts, the priorities it supports, its KPI ratings (periods ended by
// $as_of), and the contracts it succeeds and that succeed it; each link in force on $as_of, with its provenance.
MATCH (c:Contract)
WHERE ($contract IS NULL OR c.key = $contract)
  AND ($buyer IS NULL OR EXISTS { MATCH (:Organisation {key: $buyer})-[:BUYS]->(c) })
RETURN c.key AS contract, c.title AS title, c.reference AS reference, c.ocid AS ocid, c.value AS value,
       c.currency AS currency, c.value_is_ceiling AS value_is_ceiling, c.value_share AS value_share,
       c.supplier_count AS supplier_count, c.framework AS framework, c.start_date AS start_date,
       c.end_date AS end_date, c.status AS status, c.procurement_method AS procurement_method,
       c.has_management_plan AS has_management_plan, c.has_exit_plan AS has_exit_plan,
       c.kraljic_category AS kraljic_category,
       {source: c._source, locator: c._locator, illustrative: c._illustrative} AS provenance,
       COLLECT { MATCH (o)-[r:BUYS]->(c) WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
                 RETURN {key: o.key, name: coalesce(o.name, o.title, o.text, o.kpi, o.kind, o.transaction_id), source: r._source, locator: r._locator, illustrative: r._illustrative} } AS buyers,
       COLLECT { MATCH (o)-[r:FUNDS]->(c) WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
                 RETURN {key: o.key, name: coalesce(o.name, o.title, o.text, o.kpi, o.kind, o.transaction_id), source: r._source, locator: r._locator, illustrative: r._illustrative} } AS funders,
       COLLECT { MATCH (o)-[r:SUPPLIES]->(c) WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
                 RETURN {key: o.key, name: coalesce(o.name, o.title, o.text, o.kpi, o.kind, o.transaction_id), source: r._source, locator: r._locator, illustrative: r._illustrative} } AS suppliers,
       COLLECT { MATCH (o)-[r:MANAGES]->(c) WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
                 RETURN {key: o.key, name: coalesce(o.name, o.title, o.text, o.kpi, o.kind, o.transaction_id), source: r._source, locator: r._locator, illustrative: r._illustrative} } AS managers,
       COLLECT { MATCH (c)-[r:DELIVERS]->(o) WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
                 RETURN {key: o.key, name: coalesce(o.name, o.title, o.text, o.kpi, o.kind, o.transaction_id), source: r._source, locator: r._locator, illustrative: r._illustrative} } AS services,
       COLLECT { MATCH (c)-[r:SUPPORTS]->(o:Priority) WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
                 RETURN {key: o.key, name: coalesce(o.name, o.title, o.text, o.kpi, o.kind, o.transaction_id), source: r._source, locator: r._locator, illustrative: r._illustrative} } AS priorities,
       COLLECT { MATCH (o)-[r:SUCCEEDS]->(c) WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
                 RETURN {key: o.key, name: coalesce(o.name, o.title, o.text, o.kpi, o.kind, o.transaction_id), start_date: o.start_date, source: r._source, locator: r._locator, illustrative: r._illustrative} } AS successors,
       COLLECT { MATCH (c)-[r:SUCCEEDS]->(o) WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
                 RETURN {key: o.key, name: coalesce(o.name, o.title, o.text, o.kpi, o.kind, o.transaction_id), end_date: o.end_date, source: r._source, locator: r._locator, illustrative: r._illustrative} } AS predecessors,
       COLLECT { MATCH (c)-[:RATED]->(k:KpiRating) WHERE $as_of IS NULL OR k.period_end <= $as_of
                 RETURN {key: k.key, kpi: k.kpi, rating: k.rating, period_end: k.period_end,
                         source: k._source, locator: k._locator, illustrative: k._illustrative} } AS ratings
