// Each initiative (or only $initiative): PID status, funding need and stage, the workstreams
// that raised it, what it claims to serve (SUPPORTS, CONTRIBUTES_TO), its programme, its
// sponsors and leads, and the governance bodies that approved it (on or before $as_of when the
// approval is dated). Every link in force on $as_of, with its provenance.
MATCH (i:Initiative)
WHERE $initiative IS NULL OR i.key = $initiative
RETURN i.key AS initiative, i.name AS name, i.pid_status AS pid_status, i.funding AS funding, i.stage AS stage,
       {source: i._source, locator: i._locator, illustrative: i._illustrative} AS provenance,
       COLLECT {
         MATCH (w:Workstream)-[r:RAISED]->(i)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {type: type(r), key: w.key, label: 'Workstream', name: w.name,
                 source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS raised_by,
       COLLECT {
         MATCH (i)-[r:SUPPORTS|CONTRIBUTES_TO]->(t)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {type: type(r), key: t.key, label: [l IN labels(t) WHERE l <> 'Node'][0], name: coalesce(t.name, t.title, t.text, t.kpi, t.kind, t.transaction_id),
                 source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS claims,
       COLLECT {
         MATCH (i)-[r:PART_OF]->(p:Programme)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {type: type(r), key: p.key, label: 'Programme', name: p.name,
                 source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS programmes,
       COLLECT {
         MATCH (p:Post)-[r:SPONSORS|LEADS]->(i)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {type: type(r), key: p.key, label: 'Post', name: p.title,
                 source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS people,
       COLLECT {
         MATCH (b:GovernanceBody)-[r:APPROVES]->(i)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
           AND ($as_of IS NULL OR r.approved_on IS NULL OR r.approved_on <= $as_of)
         RETURN {type: type(r), key: b.key, label: 'GovernanceBody', name: b.name, approved_on: r.approved_on,
                 source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS approvals
