// Every organisation for the partners register: its personas, the work streams it is engaged in and
// the priorities its contracts, grants and charters support, the posts holding the relationship and
// who held them, counts of its contracts, grants and charters (all in force on $as_of), and its source.
MATCH (o:Organisation)
RETURN o.key AS key, o.name AS name, o.org_type AS org_type, coalesce(o.is_council, false) AS is_council,
       coalesce(o.identifiers, []) AS identifiers,
       COLLECT {
         MATCH (o)-[r:HAS_PERSONA]->(p:Persona)
         RETURN {key: p.key, name: p.name, source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS personas,
       COLLECT {
         MATCH (o)-[r:ENGAGED_IN]->(w:Workstream)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {key: w.key, name: w.name, source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS workstreams,
       COLLECT {
         MATCH (o)-[r:SUPPLIES|FUNDS|RECEIVES|PARTY_TO]->()-[:SUPPORTS]->(p:Priority)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN DISTINCT {key: p.key, name: p.name}
       } AS priorities,
       COLLECT {
         MATCH (post:Post)-[h:HOLDS_RELATIONSHIP]->(o)
         WHERE ($as_of IS NULL OR coalesce(h.valid_from, '') <= $as_of) AND ($as_of IS NULL OR h.valid_to IS NULL OR h.valid_to > $as_of)
         RETURN {post: post.key, title: post.title, valid_from: h.valid_from, valid_to: h.valid_to,
                 source: h._source, locator: h._locator, illustrative: h._illustrative,
                 people: COLLECT {
                   MATCH (person:Person)-[held:HOLDS]->(post)
                   WHERE ($as_of IS NULL OR coalesce(held.valid_from, '') <= $as_of)
                     AND ($as_of IS NULL OR held.valid_to IS NULL OR held.valid_to > $as_of)
                   RETURN {person: person.key, name: person.name, valid_from: held.valid_from, valid_to: held.valid_to,
                           source: held._source, locator: held._locator, illustrative: held._illustrative}
                 }}
       } AS holders,
       COUNT {
         MATCH (o)-[r:SUPPLIES|BUYS|FUNDS]->(:Contract)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
       } AS contracts,
       COUNT {
         MATCH (o)-[r:FUNDS|RECEIVES]->(:Grant)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
       } AS grants,
       COUNT {
         MATCH (o)-[r:PARTY_TO]->(:Charter)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
       } AS charters,
       o._source AS source, o._locator AS locator, o._illustrative AS illustrative
