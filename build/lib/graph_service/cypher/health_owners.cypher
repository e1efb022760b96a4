// Which post owns what on $as_of: contracts, grants and charters (MANAGES) and work-streams
// (SPONSORS, LEADS). Partner relationships' owners come with health_partners.
MATCH (p:Post)-[r:MANAGES|SPONSORS|LEADS]->(x)
WHERE (x:Contract OR x:Grant OR x:Charter OR x:Workstream) AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
RETURN x.key AS owned, [l IN labels(x) WHERE l <> 'Node'][0] AS owned_label, type(r) AS role,
       p.key AS post, p.title AS title, r.id AS rel, r._source AS source, r._locator AS locator
