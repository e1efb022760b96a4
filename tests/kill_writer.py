"""Writes numbered batches forever (compacting now and then) until killed; used by the kill test."""
import sys

from graph_service.store.embedded import EmbeddedStore
from graph_service.records import Batch, NodeRecord, Provenance, RelRecord

BATCH_NODES = 40


def batch(number: int) -> Batch:
    prov = Provenance(source="kill-test", locator=f"batch {number}")
    nodes = [NodeRecord(label="Person", key=f"person:b{number}-{i}", props={"name": f"P {number} {i}"}, provenance=prov)
             for i in range(BATCH_NODES)]
    nodes.append(NodeRecord(label="Post", key=f"post:b{number}", props={"title": f"Post {number}"}, provenance=prov))
    rels = [RelRecord(type="HOLDS", start=f"person:b{number}-{i}", end=f"post:b{number}", provenance=prov)
            for i in range(BATCH_NODES)]
    return Batch(nodes=nodes, rels=rels)


if __name__ == "__main__":
    store = EmbeddedStore(sys.argv[1])
    number = store.stats()["labels"].get("Post", 0)
    print("ready", flush=True)
    while True:
        store.upsert(batch(number))
        number += 1
        if number % 7 == 0:
            store.compact()
