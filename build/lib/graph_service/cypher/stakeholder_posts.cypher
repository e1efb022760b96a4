// Council posts with their departments and who holds each on $as_of (people move on; posts stay).
MATCH (p:Post)
OPTIONAL MATCH (p)-[:IN_DEPARTMENT]->(d:Department)
OPTIONAL MATCH (person:Person)-[h:HOLDS]->(p)
WHERE ($as_of IS NULL OR coalesce(h.valid_from, '') <= $as_of) AND ($as_of IS NULL OR h.valid_to IS NULL OR h.valid_to > $as_of)
RETURN p.key AS post, p.title AS title, p.kind AS kind, d.key AS department, d.name AS department_name,
       collect(DISTINCT person.name) AS held_by
