"""The graph algorithms under the store's shared reads (lineage.store): counting and listing shortest paths
from a breadth-first walk's parents, and enumerating simple paths between two nodes. Pure functions of what
the walk found, so they are the same for every store.
"""

from __future__ import annotations

from collections import defaultdict, deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store module imports this one: its types are only named here
    from lineage.store import Hop, Link, Path

#: Path enumeration stops after this many paths, and says its total is a lower bound.
MAX_PATHS_COUNTED = 10_000


def count_shortest_paths(start: str, degree: dict[str, int], parents: dict[str, list[Link]]) -> dict[str, int]:
    """How many shortest paths reach each node, from the links that reached it first (its parents)."""
    counts = {start: 1}
    for node in sorted(degree, key=degree.__getitem__):
        if node != start:
            counts[node] = sum(counts[link.near] for link in parents[node])
    return counts


def shortest_paths(node: str, start: str, parents: dict[str, list[Link]], limit: int) -> tuple[tuple[Link, ...], ...]:
    """Up to ``limit`` shortest paths from start to node, ordered by their edge ids from the start."""
    if limit <= 0:
        return ()
    if node == start:
        return ((),)
    result: list[tuple[Link, ...]] = []
    for link in sorted(parents[node], key=lambda link: link.edge_id):
        for prefix in shortest_paths(link.near, start, parents, limit):
            result.append((*prefix, link))
    result.sort(key=lambda path: [link.edge_id for link in path])
    return tuple(result[:limit])


def distances_to(target: str, adjacency: dict[str, list[Hop]]) -> dict[str, int]:
    """Hops from each node of the explored adjacency to ``target``, walking it backwards (breadth first)."""
    reverse: dict[str, set[str]] = defaultdict(set)
    for near, hops in adjacency.items():
        for hop in hops:
            reverse[hop.node.id].add(near)
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
    adjacency: dict[str, list[Hop]],
    to_target: dict[str, int],
    out: list[Path],
) -> bool:
    """Depth-first enumeration of simple paths, pruned by distance to target. False if it hit the bound."""
    if source not in to_target or source == target:
        return True
    stack: list[tuple[str, Path, frozenset[str]]] = [(source, (), frozenset([source]))]
    while stack:
        node, path, on_path = stack.pop()
        for hop in adjacency.get(node, ()):
            far = hop.node.id
            if far in on_path or len(path) + 1 + to_target.get(far, max_depth + 1) > max_depth:
                continue
            if far == target:
                out.append((*path, hop.edge))
                if len(out) >= MAX_PATHS_COUNTED:
                    return False
            else:
                stack.append((far, (*path, hop.edge), on_path | {far}))
    return True
