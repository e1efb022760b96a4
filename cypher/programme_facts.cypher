// Each programme with its themes, workstreams, director posts (with who held them on $as_of, today when
// null), the governance bodies overseeing it, its objectives and initiatives, each with its source.
WITH coalesce($as_of, toString(date())) AS day
MATCH (p:Programme)
RETURN p.key AS key, p.name AS name, p.description AS description,
       p._source AS source, p._locator AS locator, p._illustrative AS illustrative,
       COLLECT { MATCH (t:Theme)-[r:PART_OF]->(p)
                 RETURN {key: t.key, name: t.name, source: r._source, locator: r._locator, illustrative: r._illustrative} } AS themes,
       COLLECT { MATCH (w:Workstream)-[r:PART_OF]->(p)
                 RETURN {key: w.key, name: w.name, source: r._source, locator: r._locator, illustrative: r._illustrative} } AS workstreams,
       COLLECT { MATCH (d:Post)-[r:DIRECTS]->(p)
                 RETURN {key: d.key, title: d.title, source: r._source, locator: r._locator, illustrative: r._illustrative,
                         holders: COLLECT { MATCH (person:Person)-[h:HOLDS]->(d)
                                            WHERE (h.valid_from IS NULL OR h.valid_from <= day) AND (h.valid_to IS NULL OR h.valid_to > day)
                                            RETURN person.name ORDER BY person.name }} } AS directors,
       COLLECT { MATCH (b:GovernanceBody)-[r:OVERSEES]->(p)
                 RETURN {key: b.key, name: b.name, source: r._source, locator: r._locator, illustrative: r._illustrative} } AS overseers,
       COLLECT { MATCH (p)-[r:HAS_OBJECTIVE]->(o:Objective)
                 RETURN {key: o.key, text: o.text, source: r._source, locator: r._locator, illustrative: r._illustrative} } AS objectives,
       COLLECT { MATCH (i:Initiative)-[r:PART_OF]->(p)
                 RETURN {key: i.key, name: i.name, source: r._source, locator: r._locator, illustrative: r._illustrative} } AS initiatives
