// Each searchable node: its key, label, name and the other names it is found by, and whether it is
// illustrative. Names hold no period, so $as_of changes nothing here.
MATCH (n)
WHERE n:Organisation OR n:Post OR n:Workstream OR n:Theme OR n:Programme OR n:Charter OR n:Contract
WITH n, [l IN labels(n) WHERE l IN ['Organisation', 'Post', 'Workstream', 'Theme', 'Programme', 'Charter', 'Contract']][0] AS label
RETURN n.key AS key, label,
       CASE WHEN label IN ['Post', 'Contract'] THEN n.title ELSE n.name END AS name,
       [a IN CASE label
         WHEN 'Organisation' THEN coalesce(n.aliases, []) + coalesce(n.identifiers, [])
         WHEN 'Post' THEN [a IN [n.abbreviation] WHERE a IS NOT NULL]
         WHEN 'Contract' THEN [a IN [n.reference, n.ocid] WHERE a IS NOT NULL]
         ELSE [] END WHERE a IS NOT NULL AND a <> ''] AS aliases,
       n._illustrative AS illustrative
