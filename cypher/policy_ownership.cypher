// Who owns each policy: responsible officer, sponsoring officer and member, portfolio holder
// (posts, with their departments and who holds them on $as_of), and the bodies that approve or
// oversee it. A policy nobody owns still appears, with no owner.
MATCH (p:Policy)
OPTIONAL MATCH (p)<-[r:RESPONSIBLE_FOR|SPONSORING_OFFICER_FOR|SPONSORING_MEMBER_FOR|PORTFOLIO_HOLDER_FOR|APPROVES|OVERSEES]-(o)
OPTIONAL MATCH (o)-[:IN_DEPARTMENT]->(d:Department)
OPTIONAL MATCH (person:Person)-[h:HOLDS]->(o)
WHERE ($as_of IS NULL OR coalesce(h.valid_from, '') <= $as_of) AND ($as_of IS NULL OR h.valid_to IS NULL OR h.valid_to > $as_of)
RETURN p.key AS policy, p.title AS title, p.review_date AS review_date, type(r) AS role, o.key AS owner,
       [l IN labels(o) WHERE l <> 'Node'][0] AS owner_label, coalesce(o.name, o.title, o.text, o.kpi, o.kind, o.transaction_id) AS owner_name,
       o.kind AS owner_kind, d.key AS department, d.name AS department_name,
       collect(DISTINCT person.name) AS held_by
