// Every officer's assessment in force (not withdrawn), one row per partner (optionally one partner),
// with who made it and when.
MATCH (a:Assessment)-[:ASSESSES]->(o:Organisation)
WHERE coalesce(a.withdrawn, false) = false AND ($partner IS NULL OR o.key = $partner)
RETURN o.key AS partner, a.key AS assessment, a.power AS power, a.interest AS interest, a.reason AS reason,
       a.assessed_by AS assessed_by, a.assessed_at AS assessed_at,
       a._source AS source, a._locator AS locator, a._illustrative AS illustrative
