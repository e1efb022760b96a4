// Each workstream's sponsor, lead and business reps, with their departments.
MATCH (w:Workstream)<-[r:SPONSORS|LEADS|BUSINESS_REP_FOR]-(p:Post)
OPTIONAL MATCH (p)-[:IN_DEPARTMENT]->(d:Department)
RETURN w.key AS workstream, w.name AS name, type(r) AS role, p.key AS post, p.title AS title,
       collect(d.name) AS departments
