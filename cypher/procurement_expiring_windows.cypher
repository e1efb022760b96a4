// For each date in $untils, $buyer's (null: any buyer's) current contracts ending by it, counted as
// procurement_expiring_contracts lists them: how many, their value (frameworks' ceilings apart) and
// how many no contract SUCCEEDS. The contracts are read once, up to the latest date; one row per date
// (collect over no contracts still gives its one row).
WITH reduce(latest = '', u IN $untils | CASE WHEN u > latest THEN u ELSE latest END) AS latest
MATCH (c:Contract)
WHERE c.end_date IS NOT NULL AND c.end_date <= latest
  AND ($as_of IS NULL OR (coalesce(c.start_date, '') <= $as_of AND c.end_date > $as_of))
  AND ($buyer IS NULL OR EXISTS { MATCH (:Organisation {key: $buyer})-[:BUYS]->(c) })
WITH collect({ends: c.end_date, ceiling: coalesce(c.value_is_ceiling, false), value: coalesce(c.value, 0.0),
              alone: NOT EXISTS { MATCH (:Contract)-[:SUCCEEDS]->(c) }}) AS ending
UNWIND $untils AS until
WITH until, [e IN ending WHERE e.ends <= until] AS within
RETURN until, size(within) AS contracts,
       reduce(total = 0.0, e IN within | total + CASE WHEN e.ceiling THEN 0.0 ELSE e.value END) AS value,
       reduce(total = 0.0, e IN within | total + CASE WHEN e.ceiling THEN e.value ELSE 0.0 END) AS framework_ceilings,
       size([e IN within WHERE e.alone]) AS without_successor
