// Meetings, reviews and other contact with each partner held on or before $as_of, and the
// posts that attended.
MATCH (e:Engagement)-[:WITH_PARTNER]->(o:Organisation)
WHERE coalesce(o.is_council, false) = false AND ($as_of IS NULL OR e.held_on <= $as_of)
RETURN o.key AS partner, e.key AS engagement, e.kind AS kind, e.held_on AS held_on,
       [(p:Post)-[:ATTENDED]->(e) | p.key] AS attended_by, e._source AS source, e._locator AS locator
