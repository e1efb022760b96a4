// Who holds each post on $as_of; a post without a row is vacant.
MATCH (person:Person)-[r:HOLDS]->(p:Post)
WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
RETURN p.key AS post, p.title AS title, person.key AS person, person.name AS name,
       r.id AS rel, r._source AS source, r._locator AS locator
