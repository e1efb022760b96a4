// Every partner (an organisation that is not the council itself) and the facts behind its power
// and interest scores, one row per fact: the partner itself (org_type as via; flag: generated
// example data), each critical
// service it names, population or area served (where stated), contract or grant it co-funds for
// the council, board (a partner it and the council both work with), persona, contract (value: procurement only), grant, service it delivers,
// priority that depends on it, engagement, charter, involvement (work-streams, programmes,
// bodies), priority it links to. Relationships count only if in force on $as_of (no date: all).
MATCH (o:Organisation)
WHERE coalesce(o.is_council, false) = false
RETURN o.key AS partner, 'partner' AS fact, o.key AS item, 'Organisation' AS item_label, o.name AS name,
       o.org_type AS via, null AS amount, coalesce(o._illustrative, false) AS flag, null AS dated
UNION
MATCH (o:Organisation)
WHERE coalesce(o.is_council, false) = false
UNWIND o.critical_services AS critical
RETURN o.key AS partner, 'critical_service' AS fact, null AS item, null AS item_label, critical AS name,
       null AS via, null AS amount, null AS flag, null AS dated
UNION
MATCH (o:Organisation)
WHERE coalesce(o.is_council, false) = false AND (o.population IS NOT NULL OR o.area_served IS NOT NULL)
RETURN o.key AS partner, 'population' AS fact, null AS item, null AS item_label, o.area_served AS name,
       null AS via, o.population AS amount, null AS flag, null AS dated
UNION
MATCH (o:Organisation)-[r:FUNDS]->(x:Contract|Grant)
WHERE coalesce(o.is_council, false) = false
  AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
  AND EXISTS { MATCH (c:Organisation)-[:BUYS|FUNDS]->(x) WHERE c.is_council = true }
RETURN o.key AS partner, 'funds' AS fact, x.key AS item, [l IN labels(x) WHERE l <> 'Node'][0] AS item_label,
       x.title AS name, null AS via, null AS amount, null AS flag, null AS dated
UNION
MATCH (o:Organisation)-[r:WORKS_WITH]-(b:Organisation)-[s:WORKS_WITH]-(c:Organisation)
WHERE coalesce(o.is_council, false) = false AND coalesce(b.is_council, false) = false AND c.is_council = true AND o <> b
  AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
  AND ($as_of IS NULL OR coalesce(s.valid_from, '') <= $as_of) AND ($as_of IS NULL OR s.valid_to IS NULL OR s.valid_to > $as_of)
RETURN o.key AS partner, 'board' AS fact, b.key AS item, 'Organisation' AS item_label, b.name AS name,
       b.org_type AS via, null AS amount, null AS flag, null AS dated
UNION
MATCH (o:Organisation)-[:HAS_PERSONA]->(x:Persona)
WHERE coalesce(o.is_council, false) = false
RETURN o.key AS partner, 'persona' AS fact, x.key AS item, 'Persona' AS item_label, x.name AS name,
       null AS via, null AS amount, null AS flag, null AS dated
UNION
MATCH (o:Organisation)-[r:SUPPLIES]->(x:Contract)
WHERE coalesce(o.is_council, false) = false
  AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
RETURN o.key AS partner, 'contract' AS fact, x.key AS item, 'Contract' AS item_label, x.title AS name,
       null AS via, x.value AS amount, null AS flag, x.end_date AS dated
UNION
MATCH (o:Organisation)-[r:RECEIVES]->(x:Grant)
WHERE coalesce(o.is_council, false) = false
  AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
RETURN o.key AS partner, 'grant' AS fact, x.key AS item, 'Grant' AS item_label, x.title AS name,
       null AS via, x.amount AS amount, null AS flag, x.end_date AS dated
UNION
MATCH (o:Organisation)-[r:SUPPLIES|RECEIVES]->(c)-[:DELIVERS]->(x:Service)
WHERE coalesce(o.is_council, false) = false
  AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
RETURN o.key AS partner, 'service' AS fact, x.key AS item, 'Service' AS item_label, x.name AS name,
       c.key AS via, null AS amount, coalesce(x.critical, false) AS flag, null AS dated
UNION
MATCH (o:Organisation)-[r:SUPPLIES|RECEIVES]->(c)-[:SUPPORTS]->(x:Priority)
WHERE coalesce(o.is_council, false) = false
  AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
RETURN o.key AS partner, 'depends_priority' AS fact, x.key AS item, 'Priority' AS item_label, x.name AS name,
       c.key AS via, null AS amount, null AS flag, null AS dated
UNION
MATCH (o:Organisation)-[r:SUPPLIES|RECEIVES]->(:Contract|Grant)-[:DELIVERS]->(s:Service)-[:SUPPORTS]->(x:Priority)
WHERE coalesce(o.is_council, false) = false
  AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
RETURN o.key AS partner, 'depends_priority' AS fact, x.key AS item, 'Priority' AS item_label, x.name AS name,
       s.key AS via, null AS amount, null AS flag, null AS dated
UNION
MATCH (x:Engagement)-[:WITH_PARTNER]->(o:Organisation)
WHERE coalesce(o.is_council, false) = false AND ($as_of IS NULL OR x.held_on <= $as_of)
RETURN o.key AS partner, 'engagement' AS fact, x.key AS item, 'Engagement' AS item_label, x.kind AS name,
       null AS via, null AS amount, null AS flag, x.held_on AS dated
UNION
MATCH (o:Organisation)-[r:PARTY_TO]->(x:Charter)
WHERE coalesce(o.is_council, false) = false
  AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
RETURN o.key AS partner, 'charter' AS fact, x.key AS item, 'Charter' AS item_label, x.name AS name,
       x.status AS via, null AS amount, null AS flag, x.signed_on AS dated
UNION
MATCH (o:Organisation)-[r:ENGAGED_IN|MEMBER_OF|CONTRIBUTES_TO]->(x:Workstream|Programme|GovernanceBody)
WHERE coalesce(o.is_council, false) = false
  AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
RETURN o.key AS partner, 'involvement' AS fact, x.key AS item, [l IN labels(x) WHERE l <> 'Node'][0] AS item_label,
       x.name AS name, type(r) AS via, null AS amount, null AS flag, null AS dated
UNION
MATCH (o:Organisation)-[r:PARTY_TO]->(c:Charter)-[:SUPPORTS]->(x:Priority)
WHERE coalesce(o.is_council, false) = false
  AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
RETURN o.key AS partner, 'linked_priority' AS fact, x.key AS item, 'Priority' AS item_label, x.name AS name,
       c.key AS via, null AS amount, null AS flag, null AS dated
UNION
MATCH (o:Organisation)-[:CONTRIBUTES_TO]->(k:KeyIndicator)-[:MEASURES]->(x:Priority)
WHERE coalesce(o.is_council, false) = false
RETURN o.key AS partner, 'linked_priority' AS fact, x.key AS item, 'Priority' AS item_label, x.name AS name,
       k.key AS via, null AS amount, null AS flag, null AS dated
UNION
MATCH (o:Organisation)-[r:ENGAGED_IN|CONTRIBUTES_TO]->(w:Workstream)-[:SUPPORTS]->(x:Priority)
WHERE coalesce(o.is_council, false) = false
  AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
RETURN o.key AS partner, 'linked_priority' AS fact, x.key AS item, 'Priority' AS item_label, x.name AS name,
       w.key AS via, null AS amount, null AS flag, null AS dated
UNION
MATCH (o:Organisation)-[r:ENGAGED_IN|CONTRIBUTES_TO]->(w:Workstream)-[:CONTRIBUTES_TO]->(:KeyIndicator)-[:MEASURES]->(x:Priority)
WHERE coalesce(o.is_council, false) = false
  AND ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
RETURN o.key AS partner, 'linked_priority' AS fact, x.key AS item, 'Priority' AS item_label, x.name AS name,
       w.key AS via, null AS amount, null AS flag, null AS dated
