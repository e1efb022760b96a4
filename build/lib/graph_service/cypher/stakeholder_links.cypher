// The network behind centrality, brokers and communities: partners (not the council itself)
// and council posts. One row per link: partners that work with each other, posts that hold
// a partner relationship, attended an engagement with a partner (via the engagement) or
// manage a partner's contract, grant or charter (via it). Links in force on $as_of.
MATCH (a:Organisation)-[r:WORKS_WITH]->(b:Organisation)
WHERE coalesce(a.is_council, false) = false AND coalesce(b.is_council, false) = false
  AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
RETURN a.key AS source, 'Organisation' AS source_label, a.name AS source_name,
       b.key AS target, 'Organisation' AS target_label, b.name AS target_name, 'WORKS_WITH' AS kind, null AS via
UNION
MATCH (a:Post)-[r:HOLDS_RELATIONSHIP]->(b:Organisation)
WHERE coalesce(b.is_council, false) = false
  AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
RETURN a.key AS source, 'Post' AS source_label, a.title AS source_name,
       b.key AS target, 'Organisation' AS target_label, b.name AS target_name, 'HOLDS_RELATIONSHIP' AS kind, null AS via
UNION
MATCH (a:Post)-[:ATTENDED]->(e:Engagement)-[:WITH_PARTNER]->(b:Organisation)
WHERE coalesce(b.is_council, false) = false AND ($as_of IS NULL OR e.held_on <= $as_of)
RETURN a.key AS source, 'Post' AS source_label, a.title AS source_name,
       b.key AS target, 'Organisation' AS target_label, b.name AS target_name, 'ATTENDED' AS kind, e.key AS via
UNION
MATCH (a:Post)-[m:MANAGES]->(x)<-[r:SUPPLIES|RECEIVES|PARTY_TO]-(b:Organisation)
WHERE coalesce(b.is_council, false) = false
  AND ($as_of IS NULL OR coalesce(m.valid_from, '') <= $as_of) AND ($as_of IS NULL OR m.valid_to IS NULL OR m.valid_to > $as_of)
  AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
RETURN a.key AS source, 'Post' AS source_label, a.title AS source_name,
       b.key AS target, 'Organisation' AS target_label, b.name AS target_name, 'MANAGES' AS kind, x.key AS via
