// Every saved map view: its name, kind, address and who saved it when (the latest save).
MATCH (v:SavedView)
RETURN v.key AS key, v.name AS name, v.kind AS kind, v.address AS address, v.saved_by AS saved_by,
       v.saved_at AS saved_at
