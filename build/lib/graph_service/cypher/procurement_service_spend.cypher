// Spend on each service per payee, paid in [$since, $as_of]: shares, concentration and dependency.
// An undated payment counts only when neither bound is set.
MATCH (p:Payment)-[:PAID_FOR]->(s:Service), (p)-[:PAID_TO]->(o:Organisation)
WHERE ($since IS NULL AND $as_of IS NULL)
   OR (p.paid_on IS NOT NULL AND ($since IS NULL OR p.paid_on >= $since) AND ($as_of IS NULL OR p.paid_on <= $as_of))
RETURN s.key AS service, s.name AS service_name, coalesce(s.critical, false) AS critical,
       o.key AS partner, o.name AS partner_name, sum(p.amount) AS spend, count(p) AS payments,
       collect(DISTINCT p._source) AS sources
