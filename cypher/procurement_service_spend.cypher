// Spend per buyer (payer), service and payee, paid in [$since, $as_of]: shares, concentration and
// dependency. A payment's service is stated (PAID_FOR), else mapped from its service area, else from
// its expense type through $areas (lower-cased text -> service key); unmapped: no service, and its area.
// $buyer: only payments it made (null: every payment). An undated payment counts only when neither
// bound is set.
MATCH (p:Payment)-[:PAID_TO]->(o:Organisation)
WHERE ($since IS NULL AND $as_of IS NULL)
   OR (p.paid_on IS NOT NULL AND ($since IS NULL OR p.paid_on >= $since) AND ($as_of IS NULL OR p.paid_on <= $as_of))
OPTIONAL MATCH (p)-[:PAID_BY]->(b:Organisation)
WITH p, o, b WHERE $buyer IS NULL OR b.key = $buyer
WITH p, o, b, COLLECT { MATCH (p)-[:PAID_FOR]->(s:Service) RETURN DISTINCT s.key } AS stated
WITH p, o, b, stated,
     CASE WHEN p.service_area IS NULL OR $areas IS NULL THEN NULL ELSE $areas[toLower(trim(p.service_area))] END AS by_area,
     CASE WHEN p.expense_type IS NULL OR $areas IS NULL THEN NULL ELSE $areas[toLower(trim(p.expense_type))] END AS by_type
WITH p, o, b, CASE WHEN size(stated) > 0 THEN stated
                   WHEN by_area IS NOT NULL THEN [by_area]
                   WHEN by_type IS NOT NULL THEN [by_type]
                   ELSE [NULL] END AS services
UNWIND services AS service
OPTIONAL MATCH (s:Service {key: service})
RETURN b.key AS buyer, service, s.name AS service_name, coalesce(s.critical, false) AS critical,
       CASE WHEN service IS NULL THEN coalesce(p.service_area, p.expense_type) END AS area,
       o.key AS partner, o.name AS partner_name, sum(p.amount) AS spend, count(p) AS payments,
       collect(DISTINCT p._source) AS sources
