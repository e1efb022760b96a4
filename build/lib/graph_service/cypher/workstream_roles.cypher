// Each workstream's sponsor, lead and business reps, their departments and who held each post
// on $as_of (today when null).
WITH coalesce($as_of, toString(date())) AS day
MATCH (w:Workstream)<-[r:SPONSORS|LEADS|BUSINESS_REP_FOR]-(p:Post)
CALL (p) {
  OPTIONAL MATCH (p)-[:IN_DEPARTMENT]->(d:Department)
  RETURN collect(d.name) AS departments
}
CALL (p, day) {
  OPTIONAL MATCH (person:Person)-[h:HOLDS]->(p)
  WHERE (h.valid_from IS NULL OR h.valid_from <= day) AND (h.valid_to IS NULL OR h.valid_to > day)
  RETURN collect(person.name) AS holders
}
RETURN w.key AS workstream, w.name AS name, type(r) AS role, p.key AS post, p.title AS title,
       departments, holders
