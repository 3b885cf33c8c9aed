"""The graph algorithms under the store's shared reads (lineage.store): the one breadth-first frontier walk,
counting and listing shortest paths from what it found, and enumerating simple paths between two nodes. Pure
functions of what the walk found, so they are the same for every store.

The walk is networkx's ``generic_bfs_edges`` with a frontier's neighbours asked at once: ``step`` answers a whole
level in one call (one query on Neo4j), so a walk of depth d costs d calls, not one per node.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Collection, Iterable

from lineage.hops import NO_GATE, Gate, Levels, Link

#: Path enumeration stops after this many paths, and says its total is a lower bound.
MAX_PATHS_COUNTED = 10_000
#: What steps a walk: the links out of a whole frontier.
Stepper = Callable[[Collection[str]], Iterable[Link]]


def frontier_walk(starts: Collection[str], step: Stepper, depth: int, max_visited: int, gate: Gate = NO_GATE) -> Levels:
    """Breadth first from ``starts``, ``depth`` levels, each level the links out of the nodes first reached by
    the level before, as far as ``gate`` lets the walk leave and go on past them (a node it may not go on past
    is reached, and expanded only if a later level reaches it by a link it may). Once ``max_visited`` nodes are
    seen no further level is expanded, and the walk says it was cut. Every level is given, empty where nothing
    was left to expand."""
    seen = set(starts)
    expanded = set(starts)
    frontier = set(starts)
    levels: list[tuple[Link, ...]] = []
    cut = False
    for _ in range(depth):
        if frontier and len(seen) >= max_visited:
            cut, frontier = True, set()
        links = tuple(link for link in step(frontier) if gate.leaves(link, starts)) if frontier else ()
        levels.append(links)
        seen |= {link.far for link in links}
        frontier = {link.far for link in links if gate.goes_on(link)} - expanded
        expanded |= frontier
    return Levels(tuple(levels), cut)


def count_shortest_paths(start: str, parents: dict[str, list[Link]], through: dict[str, list[Link]]) -> dict[str, int]:
    """How many shortest paths reach each node: by the links that reached it first (its ``parents``), each
    after a shortest path to the node before on which the walk went on from there (``through``: the links that
    first reached a node by which a gate let the walk go on past it; its parents, without a gate)."""
    going_on = {start: 1}

    def onward(node: str) -> int:
        if node not in going_on:
            going_on[node] = sum(onward(link.near) for link in through[node])
        return going_on[node]

    counts = {node: sum(onward(link.near) for link in links) for node, links in parents.items()}
    counts[start] = 1
    return counts


def shortest_paths(
    node: str, start: str, parents: dict[str, list[Link]], limit: int, through: dict[str, list[Link]]
) -> tuple[tuple[Link, ...], ...]:
    """Up to ``limit`` shortest paths from start to node, ordered by their edge ids from the start: the node's
    ``parents``, each after the paths to its near end that the walk went on by (``through``, as in
    count_shortest_paths)."""
    if limit <= 0:
        return ()
    if node == start:
        return ((),)
    result: list[tuple[Link, ...]] = []
    for link in sorted(parents[node], key=lambda link: link.edge_id):
        for prefix in shortest_paths(link.near, start, through, limit, through):
            result.append((*prefix, link))
    result.sort(key=lambda path: [link.edge_id for link in path])
    return tuple(result[:limit])


def distances_to(target: str, adjacency: dict[str, list[Link]]) -> dict[str, int]:
    """Hops from each node of the explored adjacency to ``target``, walking it backwards (breadth first)."""
    reverse: dict[str, set[str]] = defaultdict(set)
    for near, links in adjacency.items():
        for link in links:
            reverse[link.far].add(near)
    distance = {target: 0}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        for previous in reverse[node]:
            if previous not in distance:
                distance[previous] = distance[node] + 1
                queue.append(previous)
    return distance


def enumerate_paths(
    source: str,
    target: str,
    max_depth: int,
    adjacency: dict[str, list[Link]],
    to_target: dict[str, int],
    out: list[tuple[Link, ...]],
    gate: Gate = NO_GATE,
) -> bool:
    """Depth-first enumeration of simple paths, pruned by distance to target, going on past a node only as
    ``gate`` lets it (the walk that found ``adjacency`` left each node as the gate let it). False if it hit the
    bound."""
    if source not in to_target or source == target:
        return True
    stack: list[tuple[str, tuple[Link, ...], frozenset[str]]] = [(source, (), frozenset([source]))]
    while stack:
        node, path, on_path = stack.pop()
        for link in adjacency.get(node, ()):
            far = link.far
            if far in on_path or len(path) + 1 + to_target.get(far, max_depth + 1) > max_depth:
                continue
            if far == target:
                out.append((*path, link))
                if len(out) >= MAX_PATHS_COUNTED:
                    return False
            elif gate.goes_on(link):
                stack.append((far, (*path, link), on_path | {far}))
    return True
