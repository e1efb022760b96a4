// For each date in $untils, $buyer's (null: any buyer's) current contracts ending by it, counted as
// procurement_expiring_contracts lists them: how many, their value (frameworks' ceilings apart) and
// how many no contract SUCCEEDS. One row per date, none left out (an aggregate with no grouping).
UNWIND $untils AS until
CALL (until) {
  MATCH (c:Contract)
  WHERE c.end_date IS NOT NULL AND c.end_date <= until
    AND ($as_of IS NULL OR (coalesce(c.start_date, '') <= $as_of AND c.end_date > $as_of))
    AND ($buyer IS NULL OR EXISTS { MATCH (:Organisation {key: $buyer})-[:BUYS]->(c) })
  WITH c, coalesce(c.value_is_ceiling, false) AS ceiling, coalesce(c.value, 0.0) AS value
  RETURN count(c) AS contracts, sum(CASE WHEN ceiling THEN 0.0 ELSE value END) AS value,
         sum(CASE WHEN ceiling THEN value ELSE 0.0 END) AS framework_ceilings,
         sum(CASE WHEN EXISTS { MATCH (:Contract)-[:SUCCEEDS]->(c) } THEN 0 ELSE 1 END) AS without_successor
}
RETURN until, contracts, value, framework_ceilings, without_successor
