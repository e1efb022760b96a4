// Each workstream (all, or $key) with its themes and programme, objectives, the initiatives it raised,
// the partners engaged in it (on $as_of) and the key indicators it contributes to, each with its source.
MATCH (w:Workstream)
WHERE $key IS NULL OR w.key = $key
RETURN w.key AS key, w.name AS name, w.description AS description,
       w._source AS source, w._locator AS locator, w._illustrative AS illustrative,
       COLLECT { MATCH (w)-[r:PART_OF]->(t:Theme)
                 RETURN {key: t.key, name: t.name, source: r._source, locator: r._locator, illustrative: r._illustrative} } AS themes,
       COLLECT { MATCH (w)-[r:PART_OF]->(p:Programme)
                 RETURN {key: p.key, name: p.name, source: r._source, locator: r._locator, illustrative: r._illustrative} } AS programmes,
       COLLECT { MATCH (w)-[r:HAS_OBJECTIVE]->(o:Objective)
                 RETURN {key: o.key, text: o.text, source: r._source, locator: r._locator, illustrative: r._illustrative} } AS objectives,
       COLLECT { MATCH (w)-[r:RAISED]->(i:Initiative)
                 RETURN {key: i.key, name: i.name, pid_status: i.pid_status, stage: i.stage,
                         source: r._source, locator: r._locator, illustrative: r._illustrative} } AS initiatives,
       COLLECT { MATCH (o:Organisation)-[r:ENGAGED_IN]->(w)
                 WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
                 RETURN {key: o.key, name: o.name, source: r._source, locator: r._locator, illustrative: r._illustrative} } AS partners,
       COLLECT { MATCH (w)-[r:CONTRIBUTES_TO]->(k:KeyIndicator)
                 RETURN {key: k.key, name: k.name, source: r._source, locator: r._locator, illustrative: r._illustrative} } AS indicators
