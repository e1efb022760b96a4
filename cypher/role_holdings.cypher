// Each post (all, or $post) with its departments, its holders so far and everything it owns, sponsors,
// leads or manages on $as_of: the handover list when someone leaves the post. Holders are everyone who had
// started by $as_of, including those who have left since, so a vacancy can be told from no record.
MATCH (p:Post)
WHERE $post IS NULL OR p.key = $post
RETURN p.key AS post, p.title AS title, p.kind AS kind, p.abbreviation AS abbreviation,
       p._source AS source, p._locator AS locator, p._illustrative AS illustrative,
       COLLECT { MATCH (p)-[:IN_DEPARTMENT]->(d:Department) RETURN {key: d.key, name: d.name} } AS departments,
       COLLECT {
         MATCH (person:Person)-[h:HOLDS]->(p)
         WHERE $as_of IS NULL OR coalesce(h.valid_from, '') <= $as_of
         RETURN {post: p.key, person: person.key, name: person.name, valid_from: h.valid_from, valid_to: h.valid_to,
                 source: h._source, locator: h._locator, illustrative: h._illustrative}
       } AS holders,
       COLLECT {
         MATCH (p)-[r:RESPONSIBLE_FOR|SPONSORING_OFFICER_FOR|SPONSORING_MEMBER_FOR|PORTFOLIO_HOLDER_FOR|SPONSORS|LEADS|DIRECTS|BUSINESS_REP_FOR|MANAGES|HOLDS_RELATIONSHIP]->(t)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of)
           AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {type: type(r), key: t.key, label: [l IN labels(t) WHERE l <> 'Node'][0], name: coalesce(t.name, t.title, t.text, t.kpi, t.kind, t.transaction_id),
                 valid_from: r.valid_from, valid_to: r.valid_to, verified_on: t.verified_on, loaded_on: substring(t._loaded_at, 0, 10),
                 source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS holdings
