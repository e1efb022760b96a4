// Spend under each contract of $buyer's (null: any buyer's) per payee, paid in [$since, $as_of], and
// how the payments were linked to it: stated (PAID_UNDER); by the contract reference a spend line
// gives (a contract the payer BUYS with that reference); else by supplier, buyer and period (the one
// contract the payer BUYS and the payee SUPPLIES whose term covers the day paid; several: not linked).
// An undated payment counts only when neither bound is set.
MATCH (p:Payment)-[:PAID_TO]->(o:Organisation)
WHERE ($since IS NULL AND $as_of IS NULL)
   OR (p.paid_on IS NOT NULL AND ($since IS NULL OR p.paid_on >= $since) AND ($as_of IS NULL OR p.paid_on <= $as_of))
CALL (p) {
  MATCH (p)-[:PAID_UNDER]->(c:Contract)
  RETURN DISTINCT c, 'stated' AS how
  UNION
  MATCH (p)-[:PAID_BY]->(:Organisation)-[:BUYS]->(c:Contract)
  WHERE NOT EXISTS { (p)-[:PAID_UNDER]->(:Contract) } AND p.contract_reference IS NOT NULL
    AND c.reference = p.contract_reference
  RETURN DISTINCT c, 'contract reference' AS how
  UNION
  MATCH (p)-[:PAID_BY]->(:Organisation)-[:BUYS]->(c:Contract)<-[:SUPPLIES]-(:Organisation)<-[:PAID_TO]-(p)
  WHERE NOT EXISTS { (p)-[:PAID_UNDER]->(:Contract) } AND p.paid_on IS NOT NULL
    AND NOT EXISTS { MATCH (p)-[:PAID_BY]->(:Organisation)-[:BUYS]->(x:Contract)
                     WHERE p.contract_reference IS NOT NULL AND x.reference = p.contract_reference }
    AND coalesce(c.start_date, '') <= p.paid_on AND (c.end_date IS NULL OR p.paid_on <= c.end_date)
  WITH collect(DISTINCT c) AS covering
  WHERE size(covering) = 1
  RETURN covering[0] AS c, 'supplier, buyer and period' AS how
}
WITH p, o, c, how
WHERE $buyer IS NULL OR EXISTS { MATCH (:Organisation {key: $buyer})-[:BUYS]->(c) }
RETURN o.key AS partner, c.key AS contract, sum(p.amount) AS spend, count(p) AS payments,
       min(p.paid_on) AS first_paid, max(p.paid_on) AS last_paid, collect(DISTINCT p._source) AS sources,
       collect(DISTINCT how) AS linked_by
