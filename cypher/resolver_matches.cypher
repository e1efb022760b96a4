// Every POSSIBLY_SAME_AS touching one of these organisations ($keys), with its status.
// A match holds no period, so $as_of changes nothing here.
MATCH (o:Organisation)-[r:POSSIBLY_SAME_AS]-()
WHERE o.key IN $keys
RETURN DISTINCT startNode(r).key AS start, endNode(r).key AS end, r.status AS status
