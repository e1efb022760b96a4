// Spend under each contract per payee, paid in [$since, $as_of]: what cost compares with the
// contract's value. An undated payment counts only when neither bound is set.
MATCH (p:Payment)-[:PAID_UNDER]->(c:Contract), (p)-[:PAID_TO]->(o:Organisation)
WHERE ($since IS NULL AND $as_of IS NULL)
   OR (p.paid_on IS NOT NULL AND ($since IS NULL OR p.paid_on >= $since) AND ($as_of IS NULL OR p.paid_on <= $as_of))
RETURN o.key AS partner, c.key AS contract, sum(p.amount) AS spend, count(p) AS payments,
       min(p.paid_on) AS first_paid, max(p.paid_on) AS last_paid, collect(DISTINCT p._source) AS sources
