// Which of $keys are generated facts (illustrative provenance or property), to mark them wherever they are shown.
UNWIND $keys AS k
MATCH (n:Node {key: k})
WHERE coalesce(n._illustrative, false) OR coalesce(n.illustrative, false) = true
RETURN DISTINCT n.key AS key
