// One organisation's page (keyed $key, else the first listing $key among its identifiers): its golden
// record (names with their sources, identifiers), personas, the posts holding the relationship and who held
// them, contracts (values too: the answer redacts them for viewers), grants, charters, work streams it is
// engaged in (in force on $as_of), and engagements held by $as_of with the posts that attended; each with
// its source.
CALL () {
  MATCH (o:Organisation {key: $key}) RETURN o, 0 AS preference
  UNION
  MATCH (o:Organisation) WHERE $key IN coalesce(o.identifiers, []) RETURN o, 1 AS preference
}
WITH o ORDER BY preference, o.key LIMIT 1
RETURN o.key AS key, o.name AS name, o.org_type AS org_type, o.website AS website, o.postal_code AS postal_code,
       coalesce(o.is_council, false) AS is_council, o.verified_on AS verified_on,
       coalesce(o.identifiers, []) AS identifiers, coalesce(o.aliases, []) AS aliases,
       coalesce(o.alias_sources, []) AS alias_sources,
       COLLECT {
         MATCH (o)-[r:HAS_PERSONA]->(p:Persona)
         RETURN {key: p.key, name: p.name, source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS personas,
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
       COLLECT {
         MATCH (o)-[r:SUPPLIES|BUYS|FUNDS]->(c:Contract)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {key: c.key, title: c.title, role: type(r), value: c.value, currency: c.currency, status: c.status,
                 start_date: c.start_date, end_date: c.end_date, valid_from: r.valid_from, valid_to: r.valid_to,
                 source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS contracts,
       COLLECT {
         MATCH (o)-[r:FUNDS|RECEIVES]->(g:Grant)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {key: g.key, title: g.title, role: type(r), amount: g.amount, currency: g.currency,
                 award_date: g.award_date, programme: g.programme,
                 source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS grants,
       COLLECT {
         MATCH (o)-[r:PARTY_TO]->(ch:Charter)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {key: ch.key, name: ch.name, status: ch.status, review_date: ch.review_date,
                 valid_from: r.valid_from, valid_to: r.valid_to,
                 source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS charters,
       COLLECT {
         MATCH (o)-[r:ENGAGED_IN]->(w:Workstream)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {key: w.key, name: w.name, valid_from: r.valid_from, valid_to: r.valid_to,
                 source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS workstreams,
       COLLECT {
         MATCH (e:Engagement)-[:WITH_PARTNER]->(o)
         WHERE $as_of IS NULL OR e.held_on <= $as_of
         RETURN {key: e.key, kind: e.kind, held_on: e.held_on, summary: e.summary,
                 attendees: COLLECT { MATCH (p:Post)-[:ATTENDED]->(e) RETURN {post: p.key, title: p.title} },
                 source: e._source, locator: e._locator, illustrative: e._illustrative}
       } AS engagements,
       o._source AS source, o._locator AS locator, o._illustrative AS illustrative
