// Each top priority with the key indicators that measure it, and each key indicator with the
// priorities it measures (MEASURES in force on $as_of), so gaps show on either side.
MATCH (p:Priority)
RETURN 'priority' AS kind, p.key AS key, p.name AS name, null AS unit, null AS target,
       {source: p._source, locator: p._locator, illustrative: p._illustrative} AS provenance,
       COLLECT {
         MATCH (k:KeyIndicator)-[r:MEASURES]->(p)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {type: type(r), key: k.key, label: 'KeyIndicator', name: k.name,
                 source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS links
UNION ALL
MATCH (k:KeyIndicator)
RETURN 'indicator' AS kind, k.key AS key, k.name AS name, k.unit AS unit, k.target AS target,
       {source: k._source, locator: k._locator, illustrative: k._illustrative} AS provenance,
       COLLECT {
         MATCH (k)-[r:MEASURES]->(p:Priority)
         WHERE ($as_of IS NULL OR coalesce(r.valid_from, '') <= $as_of) AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to > $as_of)
         RETURN {type: type(r), key: p.key, label: 'Priority', name: p.name,
                 source: r._source, locator: r._locator, illustrative: r._illustrative}
       } AS links
