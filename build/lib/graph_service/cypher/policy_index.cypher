// Every policy's names (title, aliases, keywords): what a policy search ranks, kept lean for large registers.
// A policy published after $as_of did not exist yet; one without a publication date always counts.
MATCH (p:Policy)
WHERE $as_of IS NULL OR p.published_on IS NULL OR p.published_on <= $as_of
RETURN p.key AS key, p.title AS title, p.aliases AS aliases, p.keywords AS keywords
