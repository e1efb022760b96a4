// The names, identifiers and postcode of the organisations with these $keys (null: every one), only the home
// councils if $is_council, none of them if false. Organisations hold no period, so $as_of changes nothing here.
// Two branches, so that given keys are index seeks and only null walks the label.
CALL () {
  UNWIND coalesce($keys, []) AS wanted
  MATCH (o:Organisation {key: wanted})
  RETURN o
  UNION
  UNWIND CASE WHEN $keys IS NULL THEN [true] ELSE [] END AS every
  MATCH (o:Organisation)
  RETURN o
}
WITH o WHERE $is_council IS NULL OR coalesce(o.is_council, false) = $is_council
RETURN o.key AS key, o.name AS name, coalesce(o.aliases, []) AS aliases, coalesce(o.identifiers, []) AS identifiers,
       o.postal_code AS postal_code, o.website AS website, o.org_type AS org_type,
       coalesce(o.is_council, false) AS is_council
