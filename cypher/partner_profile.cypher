// One organisation's golden record (the one keyed $key, else the first listing $key among its
// identifiers, as when a company number joined a record first published by name): identifiers, aliases
// with sources, personas, contracts, grants,
// charters, payments to and from it (paid by $as_of), pending or decided matches, and the council posts
// holding the relationship with who holds them (relationships in force on $as_of).
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
       COLLECT { MATCH (o)-[:HAS_PERSONA]->(p:Persona) RETURN p.name } AS personas,
       COLLECT {
         MATCH (o)-[r:SUPPLIES|BUYS|FUNDS]->(c:Contract)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {key: c.key, title: c.title, role: type(r), value: c.value, currency: c.currency, status: c.status,
                 start_date: c.start_date, end_date: c.end_date, valid_from: r.valid_from, valid_to: r.valid_to}
       } AS contracts,
       COLLECT {
         MATCH (o)-[r:FUNDS|RECEIVES]->(g:Grant)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {key: g.key, title: g.title, role: type(r), amount: g.amount, currency: g.currency,
                 award_date: g.award_date, programme: g.programme}
       } AS grants,
       COLLECT {
         MATCH (o)-[r:PARTY_TO]->(ch:Charter)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {key: ch.key, name: ch.name, status: ch.status, valid_from: r.valid_from, valid_to: r.valid_to}
       } AS charters,
       COLLECT {
         MATCH (o)-[m:POSSIBLY_SAME_AS]-(other:Organisation)
         RETURN {id: m.match_id, other: other.key, other_name: other.name, status: m.status, score: m.score, reason: m.reason}
       } AS matches,
       COLLECT {
         MATCH (post:Post)-[h:HOLDS_RELATIONSHIP]->(o)
         WHERE ($as_of IS NULL OR coalesce(h.valid_from, '') <= $as_of) AND ($as_of IS NULL OR h.valid_to IS NULL OR h.valid_to > $as_of)
         RETURN {post: post.key, title: post.title, valid_from: h.valid_from, valid_to: h.valid_to,
                 holders: COLLECT {
                   MATCH (person:Person)-[held:HOLDS]->(post)
                   WHERE ($as_of IS NULL OR coalesce(held.valid_from, '') <= $as_of)
                     AND ($as_of IS NULL OR held.valid_to IS NULL OR held.valid_to > $as_of)
                   RETURN {person: person.key, name: person.name, valid_from: held.valid_from, valid_to: held.valid_to}
                 }}
       } AS relationship_holders,
       COLLECT {
         MATCH (pay:Payment)-[:PAID_TO]->(o)
         WHERE $as_of IS NULL OR (pay.paid_on IS NOT NULL AND pay.paid_on <= $as_of)
         RETURN pay.amount
       } AS paid_to,
       COLLECT {
         MATCH (pay:Payment)-[:PAID_BY]->(o)
         WHERE $as_of IS NULL OR (pay.paid_on IS NOT NULL AND pay.paid_on <= $as_of)
         RETURN pay.amount
       } AS paid_by
