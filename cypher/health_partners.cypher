// Every partner (each organisation but the council) with its personas and the posts that hold
// the relationship with it on $as_of (HOLDS_RELATIONSHIP): who gets a health score, and its owners;
// illustrative when the organisation is generated example data.
MATCH (o:Organisation)
WHERE coalesce(o.is_council, false) = false
RETURN o.key AS partner, o.name AS name, o.org_type AS org_type,
       [(o)-[:HAS_PERSONA]->(p:Persona) | {key: p.key, name: p.name}] AS personas,
       [(post:Post)-[r:HOLDS_RELATIONSHIP]->(o)
          WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
        | {post: post.key, title: post.title, rel: r.id, source: r._source, locator: r._locator}] AS owners,
       o._source AS source, o._locator AS locator, coalesce(o._illustrative, false) AS illustrative
