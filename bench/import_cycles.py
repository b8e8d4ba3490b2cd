"""Import cycles among the areas below the views (issue 9's measure).

    python bench/import_cycles.py

Builds the package's import graph with grimp (installed with import-linter), folds it
to top-level areas (ideation.<area>), leaves out the views (they may compose several
areas on one page) and the pure domain, and prints the groups of areas that import
each other in a loop (strongly connected components) and the number of simple cycles.
"""

from __future__ import annotations

import itertools

import grimp


def area_edges() -> set[tuple[str, str]]:
    graph = grimp.build_graph("ideation", exclude_type_checking_imports=True)
    edges = set()
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) < 2 or parts[1] == "domain" or "views" in parts[2:]:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            other = imported.split(".")
            if len(other) < 2 or other[1] == "domain" or "views" in other[2:]:
                continue
            if parts[1] != other[1]:
                edges.add((parts[1], other[1]))
    return edges


def components(edges: set[tuple[str, str]]) -> list[set[str]]:
    """Strongly connected components of more than one area (mutual reachability)."""
    nodes = {a for edge in edges for a in edge}
    reach = {n: {b for a, b in edges if a == n} for n in nodes}
    changed = True
    while changed:  # transitive closure: the graph has a few dozen nodes
        changed = False
        for n in nodes:
            more = set().union(*(reach[m] for m in reach[n])) - reach[n]
            if more:
                reach[n] |= more
                changed = True
    groups: list[set[str]] = []
    for n in sorted(nodes):
        group = {m for m in nodes if m in reach[n] and n in reach[m]} | {n}
        if len(group) > 1 and group not in groups:
            groups.append(group)
    return groups


def simple_cycles(edges: set[tuple[str, str]], group: set[str]) -> int:
    """Elementary cycles inside one component (small: brute force over orderings)."""
    count = 0
    nodes = sorted(group)
    for size in range(2, len(nodes) + 1):
        for subset in itertools.combinations(nodes, size):
            first, rest = subset[0], subset[1:]
            for order in itertools.permutations(rest):
                path = (first, *order, first)
                if all((a, b) in edges for a, b in itertools.pairwise(path)):
                    count += 1
    return count


if __name__ == "__main__":
    found = area_edges()
    groups = components(found)
    print("areas importing each other in a loop:", [sorted(g) for g in groups] or "none")
    print("simple cycles:", sum(simple_cycles(found, g) for g in groups))
