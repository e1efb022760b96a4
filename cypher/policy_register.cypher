// Each policy (all, or those in $keys) with where it lives, its owner posts and their holders, the bodies
// that approve it, its associated documents and the priorities it supports, each with the provenance of
// the relationship that states it. Holders are everyone who had started in an owner post by $as_of,
// including those who have left since: telling a vacant post from an unrecorded one needs them.
MATCH (p:Policy)
WHERE ($keys IS NULL OR p.key IN $keys)
  AND ($as_of IS NULL OR p.published_on IS NULL OR p.published_on <= $as_of)
RETURN p.key AS key, p.title AS title, p.aliases AS aliases, p.keywords AS keywords,
       p.document_location AS document_location, p.section AS section, p.version AS version,
       p.produced_on AS produced_on, p.published_on AS published_on, p.last_version_on AS last_version_on,
       p.review_date AS review_date, p.period AS period, p.values AS values, p.citations AS citations,
       p.verified_on AS verified_on,
       p._source AS source, p._locator AS locator, substring(p._loaded_at, 0, 10) AS loaded_on, p._illustrative AS illustrative,
       COLLECT {
         MATCH (post:Post)-[r:RESPONSIBLE_FOR|SPONSORING_OFFICER_FOR|SPONSORING_MEMBER_FOR|PORTFOLIO_HOLDER_FOR]->(p)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of)
           AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {role: type(r), post: post.key, title: post.title, kind: post.kind,
                 source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS owners,
       COLLECT {
         MATCH (post:Post)-[r:RESPONSIBLE_FOR|SPONSORING_OFFICER_FOR|SPONSORING_MEMBER_FOR|PORTFOLIO_HOLDER_FOR]->(p)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of)
           AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         MATCH (person:Person)-[h:HOLDS]->(post)
         WHERE $as_of IS NULL OR coalesce(h.valid_from, '') <= $as_of
         RETURN DISTINCT {post: post.key, person: person.key, name: person.name, valid_from: h.valid_from,
                          valid_to: h.valid_to, source: h._source, locator: h._locator, illustrative: h._illustrative}
       } AS holders,
       COLLECT {
         MATCH (b:GovernanceBody)-[r:APPROVES]->(p)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of)
           AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {key: b.key, name: b.name, source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS approvers,
       COLLECT {
         MATCH (p)-[r:ASSOCIATED_WITH]-(q:Policy)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of)
           AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {key: q.key, name: q.title, source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS associated,
       COLLECT {
         MATCH (p)-[r:SUPPORTS]->(q:Priority)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of)
           AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {key: q.key, name: q.name, source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS priorities
