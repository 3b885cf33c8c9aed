"""The Neo4j store, for production and for graphs that outgrow one process.

Schema (a uniqueness constraint on every node's id, indexes on the model's indexed properties, a TEXT
index on the search text) is created on connect. Writes are batched ``UNWIND $rows``, one transaction per
``write`` call, so a refused or interrupted batch leaves nothing behind: nodes the store does not hold yet
are created, the rest and every relationship merged. Reads come back collected into one record, and a walk
sends ids alone (``links``). Values only ever travel as parameters; the only words put into query text are
labels, relationship types and arrows taken from the model's own enums (and a node's write sends its label
as a parameter: one text, which the server plans once, for every kind). How records become properties and back:
lineage.stores.neo4j_records.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

import neo4j
from neo4j.exceptions import (
    ClientError,
    ConfigurationError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from lineage.errors import LineageError, StoreError, StoreUnavailable, masked
from lineage.hops import NO_GATE, Gate, Hop, Levels, Link, Sides, Step
from lineage.merge import finished_run
from lineage.model import (
    EDGE_SPECS,
    NODE_SPECS,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    RunStatus,
    Scalar,
)
from lineage.search import KIND_ORDER
from lineage.store import (
    MAX_VISITED,
    Bounded,
    Counts,
    Direction,
    Store,
    Traversal,
    WriteResult,
    _check_bounds,
    check_chain,
    check_lookup,
    check_text,
    edge_sides,
    refuse_conflicts,
)
from lineage.stores.memory import MemoryStore
from lineage.stores.neo4j_records import (
    SEARCH_PROPS,
    Params,
    created_params,
    edge_from_props,
    edge_shape,
    edge_shape_params,
    node_from_props,
    node_params,
)

_Row = TypeVar("_Row")
#: Rows per UNWIND: 25,000 wrote the synthetic graph 5-10% faster than 5,000 here (the same run, alternated).
BATCH_ROWS = 25_000
#: Bounds on waiting for the server, so that an outage is reported within about two seconds rather than the
#: driver's minutes: opening a connection, getting one from the pool, and the pause before reading again.
CONNECT_SECONDS = 1.0
ACQUIRE_SECONDS = 2.0
READ_RETRY_DELAY = 0.1
NODE_LABEL = "Node"
#: One node apart from the graph, whose token every write and clear by any process replaces (see version).
#: A write replaces it first, so it holds that node's lock until it commits: writers take turns, and each
#: checks what the store holds (real or synthetic, its edges' ends) only once no other write is under way.
STATE_LABEL = "LineageState"
_NEW_STATE = f"MERGE (s:{STATE_LABEL} {{id: 'state'}}) SET s.token = randomUUID()"
#: A second token, which a clear replaces in a step it commits before deleting anything (see _clear), and which the
#: version reads with the first: a clear holds the state node's lock in a transaction that a killed clear never
#: commits, so the first token alone stayed as it was over a graph part deleted.
_NEW_CLEAR = f"MERGE (c:{STATE_LABEL} {{id: 'cleared'}}) SET c.token = randomUUID()"
#: What version() asks.
VERSION_QUERY = (
    f"OPTIONAL MATCH (s:{STATE_LABEL} {{id: 'state'}}) OPTIONAL MATCH (c:{STATE_LABEL} {{id: 'cleared'}}) "
    "RETURN s.token AS token, c.token AS cleared"
)
#: Nodes a clear deletes in each of its transactions.
CLEAR_ROWS = 10_000
_RUN_LABEL = NodeKind.IMPORT_RUN.value
#: What a clear writes on every import run before it deletes anything (see _clear).
CLEAR_STOPPED = "a clear (`lineage build --fresh`) began deleting the graph and stopped part-way"
_MARK_RUNS = (
    f"{_NEW_CLEAR} WITH count(*) AS _ "
    f"MATCH (r:{_RUN_LABEL}) SET r.status = $interrupted, r.error = $why, r.rows_written = 0"
)
_CLEAR_DATA = (
    f"MATCH (n:{NODE_LABEL}) WHERE NOT n:{_RUN_LABEL} CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF $rows ROWS"
)
_CLEAR_RUNS = f"MATCH (r:{_RUN_LABEL}) DETACH DELETE r"
#: A node's search text: its folded searched fields (neo4j_records.SEARCH_PROPS) joined a line each, which a TEXT
#: index serves.
_SEARCH_TEXT = (
    "reduce(t = '', f IN [" + ", ".join(f"n.{prop}" for prop in SEARCH_PROPS) + "] | "
    "CASE WHEN f IS NULL THEN t WHEN t = '' THEN f ELSE t + $nl + f END)"
)
#: Seconds the driver goes on retrying a query or transaction that failed for want of the server: a lost
#: store is reported within about this long (the driver's own default is 30 s).
RETRY_SECONDS = 5.0
#: A stored node's or edge's ({v}) citations with the new ones ({new}) that it does not have yet.
_CITATION_UNION = "coalesce({v}.citations, []) + [c IN {new} WHERE NOT c IN coalesce({v}.citations, [])]"
_VALID_ON = "({v}.valid_from IS NULL OR {v}.valid_from <= $as_of) AND ({v}.valid_to IS NULL OR $as_of <= {v}.valid_to)"


class Neo4jStore(Store):
    name = "neo4j"

    def __init__(self, uri: str, auth: tuple[str, str] | None = None, database: str = "neo4j") -> None:
        _check_address(uri)
        self.uri = uri
        self.database = database
        try:
            # Counting a kind the graph does not hold yet is not worth a warning per query.
            self.driver = neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                notifications_min_severity="OFF",
                connection_timeout=CONNECT_SECONDS,
                connection_acquisition_timeout=ACQUIRE_SECONDS,
                max_transaction_retry_time=RETRY_SECONDS,
            )
        except (ConfigurationError, ValueError) as exc:
            raise LineageError(f"Neo4j address {uri!r} is not one the driver takes: {_one_line(exc)}") from None
        try:
            self.driver.verify_connectivity()
        except (ServiceUnavailable, OSError) as exc:
            self.driver.close()
            raise StoreUnavailable(
                f"Neo4j at {uri} did not answer ({_one_line(exc)}): start it, or check the address"
            ) from exc
        try:
            self._ensure_schema()
        except _LOST as exc:
            self.driver.close()
            raise self._lost(exc) from exc
        except StoreError:
            self.driver.close()
            raise

    def _lost(self, exc: Exception) -> StoreUnavailable:
        """The one error for a server that stopped answering: what happened, and what to do."""
        return StoreUnavailable(
            f"Neo4j at {self.uri} stopped answering ({_one_line(exc)}); a write is whole or absent, never half: "
            "start Neo4j again, then run the command again"
        )

    def close(self) -> None:
        self.driver.close()

    def _run(self, query: str, **params: Any) -> list[neo4j.Record]:
        """A read, tried again once after a moment if the server was lost or busy; a server that cannot be
        reached raises StoreUnavailable, which the API answers as 503, and the next read reconnects by itself
        once the server is back. An auto-commit read: one round trip, where a managed transaction's begin and
        commit took two more (a read of one node took 9 ms that way, 5 ms this way, here)."""
        try:
            return self._read(query, params)
        except (*_LOST, TransientError):
            time.sleep(READ_RETRY_DELAY)
        try:
            return self._read(query, params)
        except _LOST as exc:
            raise self._lost(exc) from exc
        except TransientError as exc:
            raise StoreError(f"Neo4j could not answer a read just now: {_one_line(exc)}") from exc

    def _read(self, query: str, params: dict[str, Any]) -> list[neo4j.Record]:
        with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            return list(session.run(query, params))

    def _ensure_schema(self) -> None:
        """Create what of the schema is missing. Only what is missing: processes that open the same database
        together (two imports started at once) then write no schema, and cannot deadlock over it."""
        statements = {
            "node_id": f"CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:{NODE_LABEL}) REQUIRE n.id IS UNIQUE",
            # so that two writers' first MERGE of the state node makes one node, the lock they share
            "state_id": f"CREATE CONSTRAINT state_id IF NOT EXISTS FOR (s:{STATE_LABEL}) REQUIRE s.id IS UNIQUE",
            "node_synthetic": f"CREATE INDEX node_synthetic IF NOT EXISTS FOR (n:{NODE_LABEL}) ON (n.synthetic)",
            "node_search_text": (
                f"CREATE TEXT INDEX node_search_text IF NOT EXISTS FOR (n:{NODE_LABEL}) ON (n.search_text)"
            ),
        }
        for spec in NODE_SPECS.values():
            statements |= {
                f"{spec.kind.value.lower()}_{prop.name}": f"CREATE INDEX {spec.kind.value.lower()}_{prop.name} "
                f"IF NOT EXISTS FOR (n:{spec.kind.value}) ON (n.{prop.name})"
                for prop in spec.props
                if prop.indexed
            }
        try:
            present = {r["name"] for r in self._run("SHOW INDEXES YIELD name")}
            missing = [statement for name, statement in statements.items() if name not in present]
            for statement in missing:
                try:
                    self.driver.execute_query(statement, database_=self.database)
                except ClientError as exc:
                    # another process opening a fresh database created the same rule between our look and now
                    if exc.code not in _ALREADY_THERE:
                        raise
            if missing:
                self.driver.execute_query("CALL db.awaitIndexes(300)", database_=self.database)
        except Neo4jError as exc:
            raise StoreError(f"Neo4j at {self.uri} refused to set up the schema: {_one_line(exc)}") from exc

    # ---- writes -----------------------------------------------------------------------------------

    def _apply(self, nodes: Sequence[Node], edges: Sequence[Edge]) -> WriteResult:
        nodes_by_kind: dict[NodeKind, list[Params]] = defaultdict(list)
        for node in nodes:
            nodes_by_kind[node.kind].append(node_params(node))
        edges_by_kind: dict[EdgeKind, list[Edge]] = defaultdict(list)
        for edge in edges:
            edges_by_kind[edge.kind].append(edge)

        def work(tx: neo4j.ManagedTransaction) -> WriteResult:
            tx.run(_NEW_STATE).consume()  # first: the lock, held until this transaction ends
            holdings = _InTransaction(tx)
            refuse_conflicts(holdings, nodes, edges)
            # Nodes the store does not hold yet are created outright (no merge to look for, no citations to
            # join); under the lock, no other writer can create them in between.
            present = holdings.existing(node.id for node in nodes) if nodes else set()
            # what lineage.merge.merge keeps as it is: a finished run, written again by a run that did not finish
            kept = holdings.finished_runs(
                node.id for node in nodes if node.kind is NodeKind.IMPORT_RUN and not finished_run(node)
            )
            created_nodes = created_edges = 0
            for node_kind, rows in nodes_by_kind.items():
                new = [created_params(row) for row in rows if row["id"] not in present]
                old = [row for row in rows if row["id"] in present and row["id"] not in kept]
                for query, chosen in ((_CREATE_NODES, new), (_MERGE_NODES, old)):
                    for batch in _batches(chosen):
                        summary = tx.run(query, rows=batch, kind=node_kind.value, nl="\n").consume()
                        created_nodes += summary.counters.nodes_created
            for edge_kind, kind_edges in edges_by_kind.items():
                query = _merge_edges(edge_kind)
                for edge_batch in _batches(kind_edges):
                    shaped, shapes = _shaped(edge_batch)
                    summary = tx.run(query, rows=shaped, shapes=shapes).consume()
                    created_edges += summary.counters.relationships_created
            return WriteResult(created_nodes, created_edges)

        try:
            with self.driver.session(database=self.database) as session:
                return session.execute_write(work)
        except Neo4jError as exc:
            raise StoreError(f"Neo4j refused the batch, nothing was written: {exc.message}") from exc
        except _LOST as exc:
            raise self._lost(exc) from exc

    def _clear(self) -> None:
        """Delete every node in transactions of CLEAR_ROWS, so a national graph clears in bounded memory, while a
        transaction of its own holds the state node's lock from before the first to after the last: a write
        waits for the clear to end, as for another write (one committed between two batches had kept its
        "finished" ImportRun while a later batch deleted part of its data). Cypher runs no batches after a write
        in one query, so the lock is held beside them, in another session.

        A clear stopped part-way (killed, the server lost, its transaction ended) keeps what its batches deleted.
        So every import run is marked interrupted first, committed before any data are deleted, and deleted
        last: what is left says it may be partial (`lineage counts`, /healthz), where runs left "finished" had
        vouched for deleted data, or runs deleted first had left a partial graph that said nothing. That step
        replaces the clear's own token too (_NEW_CLEAR), so that answers kept from the whole graph (see version)
        are not taken for what is left: the state token is replaced when the lock commits, which a clear stopped
        by its server still does, but a killed clearing process never does (its transaction is rolled back)."""
        try:
            with self.driver.session(database=self.database) as held, held.begin_transaction() as lock:
                lock.run(_NEW_STATE).consume()
                try:
                    with self.driver.session(database=self.database) as session:
                        session.run(_MARK_RUNS, interrupted=RunStatus.INTERRUPTED.value, why=CLEAR_STOPPED).consume()
                        session.run(_CLEAR_DATA, rows=CLEAR_ROWS).consume()
                        session.run(_CLEAR_RUNS).consume()
                finally:
                    if not lock.closed():
                        lock.commit()
        except _LOST as exc:
            raise StoreUnavailable(
                f"Neo4j at {self.uri} stopped answering during a clear ({_one_line(exc)}): it may have deleted part "
                "of the graph, whose import runs then say interrupted; start Neo4j again, then clear again"
            ) from exc
        except Neo4jError as exc:
            raise StoreError(
                f"Neo4j stopped a clear ({_one_line(exc)}): it may have deleted part of the graph, whose import "
                "runs then say interrupted; clear again"
            ) from exc

    def version(self) -> Hashable:
        """The tokens the last write and the last clear left, by this process or another sharing the database
        (see _NEW_CLEAR); None for a database never written."""
        (record,) = self._run(VERSION_QUERY)
        tokens = [token for token in (record["token"], record["cleared"]) if token is not None]
        return " ".join(tokens) or None

    # ---- reads ------------------------------------------------------------------------------------

    def _one(self, query: str, **params: Any) -> neo4j.Record:
        """A read whose answer is collected into one record on the server: Bolt then sends it in one message,
        where a record per row costs the driver far more time than the server spent finding them."""
        return self._run(query, **params)[0]

    def get_nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        return _nodes_of(self._one(_GET_NODES, ids=list(set(ids))))

    def get_edges(self, keys: Iterable[tuple[str, EdgeKind, str]]) -> dict[str, Edge]:
        rows = [[source, kind.value, target] for source, kind, target in set(keys)]
        return _edges_of(self._one(_GET_EDGES, keys=rows))

    def records(
        self, ids: Iterable[str], keys: Iterable[tuple[str, EdgeKind, str]]
    ) -> tuple[dict[str, Node], dict[str, Edge]]:
        """get_nodes and get_edges in one round trip."""
        record = self._one(
            f"CALL () {{ {_GET_NODES} }} CALL () {{ {_GET_EDGES} }} RETURN nodes, edges",
            ids=list(set(ids)),
            keys=[[source, kind.value, target] for source, kind, target in set(keys)],
        )
        return _nodes_of(record), _edges_of(record)

    def existing(self, ids: Iterable[str]) -> set[str]:
        return set(self._one(_EXISTING, ids=list(set(ids)))["ids"])

    def all_nodes(self, kind: NodeKind) -> list[Node]:
        """Every node of ``kind`` in one round trip, by id."""
        record = self._one(f"MATCH (n:{kind.value}) WITH n ORDER BY n.id RETURN collect(properties(n)) AS nodes")
        return [node_from_props(props) for props in record["nodes"]]

    def traverse_each(
        self,
        start_id: str,
        directions: Sequence[Direction],
        *,
        max_depth: int = 3,
        edge_kinds: Collection[EdgeKind] | None = None,
        node_kinds: Collection[NodeKind] | None = None,
        as_of: dt.date | None = None,
        limit: int = 100,
        offset: int = 0,
        max_paths: int = 3,
    ) -> list[Traversal]:
        """One query fetches every node within ``max_depth`` hops of the start by the edge kinds the directions
        follow (either way along them: a superset of each direction's reach) and the edges among them; each
        direction is then walked in this process by the embedded store's own traverse, so the answers are
        the shared walk's. A reach of more than REACH_FETCHED nodes is walked level by level instead."""
        _check_bounds(max_depth, limit, offset)
        check_text(start_id, "id")
        options: dict[str, Any] = {
            "max_depth": max_depth, "edge_kinds": edge_kinds, "node_kinds": node_kinds, "as_of": as_of,
            "limit": limit, "offset": offset, "max_paths": max_paths,
        }  # fmt: skip
        kinds = frozenset().union(*(frozenset().union(*edge_sides(d, edge_kinds)) for d in directions))
        record = self._reach(start_id, kinds, max_depth) if kinds else None
        if record is None or record["reached"] > REACH_FETCHED:
            return super().traverse_each(start_id, directions, **options)
        nodes = {node.id: node for node in map(node_from_props, record["nodes"])}
        edges = [edge_from_props(*row) for row in record["edges"]]
        return MemoryStore.of(list(nodes.values()), edges).traverse_each(start_id, directions, **options)

    def _reach(self, start_id: str, kinds: frozenset[EdgeKind], max_depth: int) -> neo4j.Record:
        """The nodes within ``max_depth`` hops of the start by these kinds, either way (the start first, at most
        REACH_FETCHED + 1 more), and the edges of these kinds among them."""
        types = _types(kinds)
        # max_depth is an int checked by the caller: the only value in this query's text, as a pattern's bound must be
        return self._one(
            f"OPTIONAL MATCH (s:{NODE_LABEL} {{id: $id}}) "
            f"OPTIONAL MATCH (s)-[:{types}*1..{int(max_depth)}]-(n:{NODE_LABEL}) "
            "WITH s, collect(DISTINCT n)[..$cap] AS reach "
            "WITH reach, [x IN [s] + [y IN reach WHERE y <> s] WHERE x IS NOT NULL] AS nodes "
            f"CALL (nodes) {{ UNWIND nodes AS a MATCH (a)-[e:{types}]->(b) WHERE b IN nodes "
            "RETURN collect([a.id, type(e), b.id, properties(e)]) AS edges } "
            "RETURN size(reach) AS reached, [x IN nodes | properties(x)] AS nodes, edges",
            id=start_id,
            cap=REACH_FETCHED + 1,
        )

    def expand(
        self,
        ids: Collection[str],
        outgoing: frozenset[EdgeKind],
        incoming: frozenset[EdgeKind],
        as_of: dt.date | None = None,
    ) -> list[Hop]:
        """One query for both sides (see _hops); each far node's record is sent once however many hops reach it."""
        if not ids or not (outgoing or incoming):
            return []
        record = self._one(
            f"{_hops(outgoing, incoming)} WITH collect([id, startNode(e).id, type(e), endNode(e).id, "
            "properties(e), b.id]) AS hops, collect(DISTINCT b) AS far "
            "RETURN hops, [b IN far | properties(b)] AS far",
            ids=list(ids),
            out=[k.value for k in outgoing],
            as_of=as_of,
        )
        far = {props["id"]: node_from_props(props) for props in record["far"]}
        return [
            Hop(near, edge_from_props(source, kind, target, props), far[far_id])
            for near, source, kind, target, props, far_id in record["hops"]
        ]

    def links(
        self,
        ids: Collection[str],
        outgoing: frozenset[EdgeKind],
        incoming: frozenset[EdgeKind],
        as_of: dt.date | None = None,
    ) -> list[Link]:
        """The same walk as expand, sending only ids and kinds: a traversal fetches records for its page alone."""
        if not ids or not (outgoing or incoming):
            return []
        record = self._one(
            f"{_hops(outgoing, incoming)} "
            "RETURN collect([id, startNode(e).id, type(e), endNode(e).id, b.kind]) AS hops",
            ids=list(ids),
            out=[k.value for k in outgoing],
            as_of=as_of,
        )
        return [
            Link(near, source, EdgeKind(kind), target, NodeKind(far_kind))
            for near, source, kind, target, far_kind in record["hops"]
        ]

    def walk(
        self,
        ids: Collection[str],
        sides: Sides,
        depth: int,
        as_of: dt.date | None = None,
        cap: int = MAX_VISITED,
        gate: Gate = NO_GATE,
    ) -> Levels:
        """Every level in one query (_walk), sending ids alone, up to ONE_QUERY_DEPTH levels; deeper, a query a
        level (the shared walk)."""
        outgoing, incoming = sides
        if not 1 <= depth <= ONE_QUERY_DEPTH or not (outgoing or incoming):
            return super().walk(ids, sides, depth, as_of, cap, gate)
        # depth is an int checked by the caller: the query's shape, never a value in its text
        record = self._one(
            _walk(outgoing, incoming, int(depth)),
            ids=sorted(set(ids)),
            out=[k.value for k in outgoing],
            as_of=as_of,
            max=cap,
            leave=_gate_param(gate.leave),
            go_on=_gate_param(gate.go_on),
        )
        levels = tuple(
            tuple(
                Link(near, source, EdgeKind(kind), target, NodeKind(far)) for near, source, kind, target, far in level
            )
            for level in record["levels"]
        )
        return Levels(levels, record["cut"])

    def chain(self, ids: Collection[str], steps: Sequence[Step], as_of: dt.date | None = None) -> list[list[Hop]]:
        """Every step in one query (_chain)."""
        check_chain(steps)
        if not steps:
            return []
        outs = {f"out{k}": [kind.value for kind in step.outgoing] for k, step in enumerate(steps, 1)}
        record = self._one(_chain(steps), ids=sorted(set(ids)), as_of=as_of, **outs)
        far = {props["id"]: node_from_props(props) for props in record["far"]}
        return [
            [
                Hop(near, edge_from_props(source, kind, target, props), far[far_id])
                for near, source, kind, target, props, far_id in hops
            ]
            for hops in record["hops"]
        ]

    def list_nodes(self, kind: NodeKind | None = None, limit: int = 100, offset: int = 0) -> Bounded[Node]:
        """The count and the page in one record: one round trip where there were two, and the page in one Bolt
        message (see _one). Only the page is collected, never the whole label. Without a kind, the nodes come in
        order from the id constraint's index (the predicate, which every node meets, lets the planner use it), so a
        page reads up to its own end rather than sorting every node; a kind's label has no index on id."""
        _check_bounds(limit=limit, offset=offset)
        label, indexed = (kind.value, "") if kind else (NODE_LABEL, "WHERE n.id IS NOT NULL ")
        record = self._one(
            f"CALL () {{ MATCH (n:{label}) RETURN count(n) AS total }} "
            f"CALL () {{ MATCH (n:{label}) {indexed}WITH n ORDER BY n.id SKIP $offset LIMIT $limit "
            "RETURN collect(properties(n)) AS page } RETURN total, page",
            offset=offset,
            limit=limit,
        )
        return Bounded(tuple(node_from_props(props) for props in record["page"]), record["total"], offset)

    def find_nodes(self, kind: NodeKind, prop: str, values: Collection[Scalar]) -> list[Node]:
        check_lookup(kind, prop)  # the property name is the model's, never the caller's text
        records = self._run(
            f"MATCH (n:{kind.value}) WHERE n.{prop} IN $values RETURN properties(n) AS n ORDER BY n.id",
            values=list(values),
        )
        return [node_from_props(r["n"]) for r in records]

    def _search_page(
        self, needle: str, kinds: Collection[NodeKind] | None, limit: int, offset: int
    ) -> tuple[int, tuple[Node, ...]]:
        """lineage.search's ranking in Cypher, over the TEXT index's CONTAINS: a whole field (a line of the
        search text), whole words (the needle between spaces or line ends), part of a word; then kind, then id.
        The page's records come with the count: one round trip, not one for the ids and one for the records."""
        record = self._one(
            f"MATCH (n:{NODE_LABEL}) WHERE n.search_text CONTAINS $t AND ($kinds IS NULL OR n.kind IN $kinds) "
            "WITH n, CASE WHEN $t IN split(n.search_text, $nl) THEN 0 "
            "WHEN n.search_text =~ $words THEN 1 ELSE 2 END AS rank "
            "ORDER BY rank, $order[n.kind], n.id WITH collect(n) AS found "
            "RETURN size(found) AS total, [n IN found[$offset..$offset + $limit] | properties(n)] AS page",
            t=needle,
            nl="\n",
            words=f"(?s)(?:.*[ \n])?\\Q{needle}\\E(?:[ \n].*)?",
            order={kind.value: place for kind, place in KIND_ORDER.items()},
            kinds=None if kinds is None else [k.value for k in kinds],
            offset=offset,
            limit=limit,
        )
        return record["total"], tuple(node_from_props(props) for props in record["page"])

    def counts(self) -> Counts:
        # Per-label and per-type counts come from Neo4j's count store: no scan; every one in one query (_COUNTS).
        record = self._one(_COUNTS)
        nodes = {kind.value: n for kind, n in zip(NODE_SPECS, record["nodes"], strict=True)}
        edges = {kind.value: n for kind, n in zip(EDGE_SPECS, record["edges"], strict=True)}
        return Counts({k: n for k, n in sorted(nodes.items()) if n}, {k: n for k, n in sorted(edges.items()) if n})

    def holds_synthetic(self, synthetic: bool) -> bool:
        return bool(self._run(_ANY_WITH_FLAG, flag=synthetic))


def _check_address(uri: str) -> None:
    """Refuse a user and password in the address, which every message naming the store would show (the driver's
    refusal of them was a traceback quoting the password), and an address whose host or port cannot be read,
    which the driver reported as a traceback too."""
    if "@" in uri:
        raise LineageError(
            f"Neo4j address {masked(uri)!r} holds a user and password, which messages would show: give the address "
            "without them, and set NEO4J_USER and NEO4J_PASSWORD (both) instead"
        )
    try:
        urlsplit(uri).port  # noqa: B018 - read for the ValueError it raises: a port that is no number from 0 to 65535
    except ValueError as exc:
        raise LineageError(f"Neo4j address {uri!r} is not a valid URI ({exc})") from None


def _one_line(exc: Exception) -> str:
    """The driver's account of a failure, which spans lines, as one line."""
    return " ".join(str(exc).split()) or type(exc).__name__


#: What Neo4j answers a schema rule created by another process first, ``IF NOT EXISTS`` notwithstanding.
_ALREADY_THERE = frozenset(
    {
        "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
        "Neo.ClientError.Schema.IndexAlreadyExists",
        "Neo.ClientError.Schema.ConstraintAlreadyExists",
    }
)
#: The failures that mean the server is gone (killed, stopped, unreachable), not that it refused something.
_LOST = (ServiceUnavailable, SessionExpired)
_GET_NODES = f"UNWIND $ids AS id MATCH (n:{NODE_LABEL} {{id: id}}) RETURN collect(properties(n)) AS nodes"
_GET_EDGES = (
    f"UNWIND $keys AS k MATCH (a:{NODE_LABEL} {{id: k[0]}})-[e]->(b:{NODE_LABEL} {{id: k[2]}}) "
    "WHERE type(e) = k[1] RETURN collect([a.id, type(e), b.id, properties(e)]) AS edges"
)
#: The deepest walk answered in one query. Deeper, the server's filtering of each level against the list of
#: nodes seen (Cypher has no set) costs more than a round trip a level: six levels both ways from KS4 took 2.4 s
#: as one query and 1.7 s level by level, and three of the heaviest traversals (ten levels) at once ran past the
#: API's 10 s limit as one query each.
ONE_QUERY_DEPTH = 4
#: The most nodes traverse_each fetches to walk in this process; a bigger reach is walked level by level.
REACH_FETCHED = 5_000


def _nodes_of(record: neo4j.Record) -> dict[str, Node]:
    nodes = (node_from_props(props) for props in record["nodes"])
    return {node.id: node for node in nodes}


def _edges_of(record: neo4j.Record) -> dict[str, Edge]:
    edges = (edge_from_props(*row) for row in record["edges"])
    return {edge.id: edge for edge in edges}


#: Every kind's count from the count store, in one query and one text. A query a kind was 41 round trips and 41
#: texts for each server to plan: on a fresh server 1.7 s the first time and 0.26 s after, where this takes 0.33 s
#: and 0.04 s; the Neo4j tests sent 4,166 of those queries (db.stats), and now send 109.
_COUNTS = " ".join(
    [f"CALL () {{ MATCH (:{kind.value}) RETURN count(*) AS n{i} }}" for i, kind in enumerate(NODE_SPECS)]
    + [f"CALL () {{ MATCH ()-[:{kind.value}]->() RETURN count(*) AS e{i} }}" for i, kind in enumerate(EDGE_SPECS)]
    + [f"RETURN [{', '.join(f'n{i}' for i in range(len(NODE_SPECS)))}] AS nodes,"]
    + [f"[{', '.join(f'e{i}' for i in range(len(EDGE_SPECS)))}] AS edges"]
)
_ANY_WITH_FLAG = f"MATCH (n:{NODE_LABEL} {{synthetic: $flag}}) RETURN 1 LIMIT 1"
_EXISTING = f"UNWIND $ids AS id MATCH (n:{NODE_LABEL} {{id: id}}) RETURN collect(id) AS ids"
_FINISHED_RUNS = (
    f"UNWIND $ids AS id MATCH (r:{NODE_LABEL}:{_RUN_LABEL} {{id: id}}) WHERE r.status = $finished "
    "RETURN collect(id) AS ids"
)


class _InTransaction:
    """What the write checks read (lineage.store.refuse_conflicts), read inside the write's own transaction
    once it holds the state node's lock, so no other write can come between the check and the write."""

    def __init__(self, tx: neo4j.ManagedTransaction) -> None:
        self.tx = tx

    def holds_synthetic(self, synthetic: bool) -> bool:
        return self.tx.run(_ANY_WITH_FLAG, flag=synthetic).peek() is not None

    def existing(self, ids: Iterable[str]) -> set[str]:
        return set(self.tx.run(_EXISTING, ids=list(set(ids))).single(strict=True)["ids"])

    def finished_runs(self, ids: Iterable[str]) -> set[str]:
        """Which of these import runs the store holds finished (none asked, no query: most writes hold no run)."""
        asked = list(set(ids))
        if not asked:
            return set()
        finished = self.tx.run(_FINISHED_RUNS, ids=asked, finished=RunStatus.FINISHED.value).single(strict=True)
        return set(finished["ids"])


def _types(kinds: Collection[EdgeKind]) -> str:
    """A relationship-type alternation for a pattern, from the model's own kinds (never the caller's text)."""
    return "|".join(sorted(kind.value for kind in kinds))


def _hops(outgoing: frozenset[EdgeKind], incoming: frozenset[EdgeKind], ids: str = "$ids", out: str = "$out") -> str:
    """The match behind expand, links, walk and chain, binding ``id`` (where the walk stands, each of the list
    ``ids`` names once), ``e`` and ``b`` (the far node): each side a pattern typed with its kinds (names from the
    model), so a busy node is read through its relationship types, not by scanning all its links; valid on
    ``$as_of`` when given. ``out`` names the list of outgoing kinds, for a self-loop both sides would report."""
    valid = f"($as_of IS NULL OR ({_VALID_ON.format(v='e')} AND {_VALID_ON.format(v='b')}))"
    sides = []
    if outgoing:
        sides.append(f"MATCH (a)-[e:{_types(outgoing)}]->(b:{NODE_LABEL}) WHERE {valid} RETURN e, b")
    if incoming:
        # a self-loop both sides would report is reported once, as outgoing
        loop = f"NOT (a = b AND type(e) IN {out}) AND " if outgoing else ""
        sides.append(f"MATCH (a)<-[e:{_types(incoming)}]-(b:{NODE_LABEL}) WHERE {loop}{valid} RETURN e, b")
    return (
        f"UNWIND {ids} AS id WITH DISTINCT id MATCH (a:{NODE_LABEL} {{id: id}}) "
        f"CALL (a) {{ {' UNION ALL '.join(sides)} }}"
    )


#: A link as a walk's query sends it: where it stands, the edge's ends and kind, the far node's kind.
_LINK = "[id, startNode(e).id, type(e), endNode(e).id, b.kind]"


def _gate_param(kinds: Mapping[NodeKind, frozenset[EdgeKind]]) -> dict[str, list[str]]:
    """A gate's map (lineage.hops.Gate) as _walk's query reads it: edge kinds by node kind, as values."""
    return {node.value: sorted(kind.value for kind in edges) for node, edges in kinds.items()}


def _walk(outgoing: frozenset[EdgeKind], incoming: frozenset[EdgeKind], depth: int) -> str:
    """lineage.walks.frontier_walk in one query, ``depth`` levels chained: level k's links out of frontier
    ``f{k-1}`` that the gate lets it leave by (``$leave``, unless from a start), the nodes they reach first
    (``n{k}``, not in ``s{k-1}``, what was seen before) and those the gate lets it go on past (``$go_on``) and
    not expanded before (``r{k}``, not in ``e{k-1}``): the next frontier, empty once ``$max`` nodes are seen
    (the walk is then cut, ``c{k}``)."""
    parts = [
        "WITH $ids AS s0, $ids AS e0, size($ids) > 0 AND size($ids) >= $max AS c0",
        "WITH *, CASE WHEN c0 THEN [] ELSE $ids END AS f0",
    ]
    leaves = "$leave[a.kind] IS NULL OR id IN $ids OR type(e) IN $leave[a.kind]"
    goes_on = "$go_on[b.kind] IS NULL OR type(e) IN $go_on[b.kind]"
    for k in range(1, depth + 1):
        parts += [
            f"CALL (f{k - 1}) {{ {_hops(outgoing, incoming, ids=f'f{k - 1}')} WITH * WHERE {leaves} "
            f"RETURN collect({_LINK}) AS l{k}, collect(DISTINCT b.id) AS x{k}, "
            f"collect(DISTINCT CASE WHEN {goes_on} THEN b.id END) AS g{k} }}",
            f"WITH *, [x IN x{k} WHERE NOT x IN s{k - 1}] AS n{k}, [x IN g{k} WHERE NOT x IN e{k - 1}] AS r{k}",
            f"WITH *, s{k - 1} + n{k} AS s{k}, e{k - 1} + r{k} AS e{k}",
            f"WITH *, size(r{k}) > 0 AND size(s{k}) >= $max AS full{k}",
            f"WITH *, c{k - 1} OR full{k} AS c{k}, CASE WHEN full{k} THEN [] ELSE r{k} END AS f{k}",
        ]
    levels = ", ".join(f"l{k}" for k in range(1, depth + 1))
    # the bound is looked at before each level: after the last, nothing is cut
    parts.append(f"RETURN [{levels}] AS levels, c{depth - 1} AS cut")
    return " ".join(parts)


def _chain(steps: Sequence[Step]) -> str:
    """Store.chain in one query: step k's hops ``h{k}`` from the far ends ``x{i}`` of the steps it starts after
    (``x0`` the chain's ids), and its far nodes ``b{k}``; each far node's record is sent once."""
    parts = ["WITH $ids AS x0"]
    for k, step in enumerate(steps, 1):
        sources = sorted(set(step.after))
        if step.outgoing or step.incoming:
            frontier = " + ".join(f"x{i}" for i in sources)
            parts.append(
                f"CALL ({', '.join(f'x{i}' for i in sources)}) {{ "
                f"{_hops(step.outgoing, step.incoming, ids=f'({frontier})', out=f'$out{k}')} "
                "RETURN collect([id, startNode(e).id, type(e), endNode(e).id, properties(e), b.id]) "
                f"AS h{k}, collect(DISTINCT b) AS b{k} }}"
            )
        else:
            parts.append(f"WITH *, [] AS h{k}, [] AS b{k}")
        parts.append(f"WITH *, [b IN b{k} | b.id] AS x{k}")
    every = " + ".join(f"b{k}" for k in range(1, len(steps) + 1))
    parts.append(
        f"CALL ({', '.join(f'b{k}' for k in range(1, len(steps) + 1))}) {{ UNWIND {every} AS b "
        "WITH DISTINCT b RETURN collect(properties(b)) AS far }"
    )
    parts.append(f"RETURN [{', '.join(f'h{k}' for k in range(1, len(steps) + 1))}] AS hops, far")
    return " ".join(parts)


#: A node's kind is a parameter (``$($kind)``, Cypher 5.26), not a label written into the text: one text for
#: each of the two node writes rather than one per kind (32), each of which the server planned anew, on every
#: server a test run starts and again as its counts changed (by ``db.stats``, 19 s of the 92 s the Neo4j tests'
#: servers spent planning). The plans are those of the texts with the label written in: the same unique index
#: seek for the merge, no other Eager. A relationship's type stays in the text (_merge_edges): MERGE with a
#: type as a parameter was planned, on a store holding no relationship of that type yet, as a scan of all
#: relationships for every row (3,998,000 rows read to write 2,000 edges, where the typed text read 8,534).
#:
#: A new node's every property in one map (neo4j_records.created_params): half the server's time of setting
#: them one by one and joining its search text there, on this machine.
_CREATE_NODES = f"UNWIND $rows AS r CREATE (n:{NODE_LABEL}:$($kind)) SET n = r"
_MERGE_NODES = (
    f"UNWIND $rows AS r MERGE (n:{NODE_LABEL} {{id: r.id}}) "
    f"SET n:$($kind), n += r.props, n.citations = {_CITATION_UNION.format(v='n', new='r.citations')} "
    f"SET n.search_text = {_SEARCH_TEXT}"
)


def _merge_edges(kind: EdgeKind) -> str:
    """Edges sent as their ends and the number of their shape in ``$shapes`` (see _shaped)."""
    return (
        f"UNWIND $rows AS r MATCH (a:{NODE_LABEL} {{id: r[0]}}) MATCH (b:{NODE_LABEL} {{id: r[1]}}) "
        f"WITH a, b, $shapes[r[2]] AS s MERGE (a)-[e:{kind.value}]->(b) "
        f"SET e += s.props, e.citations = {_CITATION_UNION.format(v='e', new='s.citations')}"
    )


def _shaped(edges: Sequence[Edge]) -> tuple[list[list[Any]], list[Params]]:
    """Edges as rows ``[source, target, shape]`` and their distinct shapes' parameters (neo4j_records.edge_shape),
    each sent once: the driver packed, and the server read, the same citations and dates for every edge (a
    third of the client's time and more of the server's than the writes, on the synthetic graph)."""
    numbers: dict[Hashable, int] = {}
    shapes: list[Params] = []
    rows = []
    for edge in edges:
        number = numbers.setdefault(edge_shape(edge), len(numbers))
        if number == len(shapes):
            shapes.append(edge_shape_params(edge))
        rows.append([edge.source, edge.target, number])
    return rows, shapes


def _batches(rows: Sequence[_Row]) -> Iterable[Sequence[_Row]]:
    for start in range(0, len(rows), BATCH_ROWS):
        yield rows[start : start + BATCH_ROWS]
