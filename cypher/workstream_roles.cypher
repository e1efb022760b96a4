// Each workstream's sponsor, lead and business reps, their departments and who held each post
// on $as_of (today when null: names in holders; with dates and sources in people), and the source of each role.
WITH coalesce($as_of, toString(date())) AS day
MATCH (w:Workstream)<-[r:SPONSORS|LEADS|BUSINESS_REP_FOR]-(p:Post)
CALL (p) {
  OPTIONAL MATCH (p)-[:IN_DEPARTMENT]->(d:Department)
  RETURN collect(d.name) AS departments
}
CALL (p, day) {
  OPTIONAL MATCH (person:Person)-[h:HOLDS]->(p)
  WHERE (h.valid_from IS NULL OR h.valid_from <= day) AND (h.valid_to IS NULL OR h.valid_to > day)
  RETURN collect(person.name) AS holders,
         collect(CASE WHEN person IS NOT NULL THEN {person: person.key, name: person.name, valid_from: h.valid_from,
                 valid_to: h.valid_to, source: h._source, locator: h._locator, illustrative: h._illustrative} END) AS people
}
RETURN w.key AS workstream, w.name AS name, type(r) AS role, p.key AS post, p.title AS title,
       departments, holders, people, r._source AS source, r._locator AS locator, r._illustrative AS illustrative
