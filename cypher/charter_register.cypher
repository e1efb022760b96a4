// Each charter (or only $charter): kind, status, signed and review dates, its parties on $as_of (the
// council among them), the posts managing it and the priorities it supports, each link with its provenance.
MATCH (c:Charter)
WHERE $charter IS NULL OR c.key = $charter
RETURN c.key AS charter, c.name AS name, c.kind AS kind, c.status AS status, c.signed_on AS signed_on,
       c.review_date AS review_date,
       {source: c._source, locator: c._locator, illustrative: c._illustrative} AS provenance,
       COLLECT {
         MATCH (o:Organisation)-[r:PARTY_TO]->(c)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {key: o.key, name: o.name, is_council: coalesce(o.is_council, false), joined: r.valid_from, left: r.valid_to,
                 source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS parties,
       COLLECT {
         MATCH (p:Post)-[r:MANAGES]->(c)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {key: p.key, name: p.title, source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS managers,
       COLLECT {
         MATCH (c)-[r:SUPPORTS]->(p:Priority)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {key: p.key, name: p.name, source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS priorities
