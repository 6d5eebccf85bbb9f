//! `validateGraph(graph)`: unknown dependencies (one message each, in node
//! order) and at most one cycle message. The node a cycle message names is
//! the first node, in Map order, from which a cycle is reachable, which is
//! exactly the node 1.4.0's depth-first search reports. Cycles are found
//! with petgraph's strongly connected components, so deep chains cannot
//! overflow a stack.

use std::collections::HashMap;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Bfs, Reversed};
use serde_json::Value;

use crate::error::{OxeError, OxeResult};
use crate::jsjson::js_string;
use crate::reducers::Key;

/// `nodes`: `[id, depends_on]` in Map order.
pub fn validate_graph(nodes: &[(Value, Value)]) -> OxeResult<Vec<String>> {
    let mut index: HashMap<Key, NodeIndex> = HashMap::with_capacity(nodes.len());
    let mut g: DiGraph<(), ()> = DiGraph::with_capacity(nodes.len(), nodes.len());
    for (id, _) in nodes {
        index.entry(Key::of(id)).or_insert_with(|| g.add_node(()));
    }
    let mut errors = Vec::new();
    for (id, deps) in nodes {
        let deps = deps.as_array().ok_or_else(|| {
            OxeError::Graph(format!(
                "validateGraph: node {} has no depends_on array",
                js_string(id)
            ))
        })?;
        let from = index[&Key::of(id)];
        for dep in deps {
            match index.get(&Key::of(dep)) {
                Some(&to) => {
                    g.update_edge(from, to, ());
                }
                None => errors.push(format!(
                    "Node {} depends on unknown node {}",
                    js_string(id),
                    js_string(dep)
                )),
            }
        }
    }

    // Nodes on a cycle: members of a multi-node SCC, or with a self-loop.
    let mut reaches_cycle = vec![false; g.node_count()];
    let mut bfs_roots = Vec::new();
    for scc in petgraph::algo::kosaraju_scc(&g) {
        let cyclic = scc.len() > 1 || g.contains_edge(scc[0], scc[0]);
        if cyclic {
            bfs_roots.extend(scc);
        }
    }
    // Everything that can reach such a node (walk edges backwards).
    let rev = Reversed(&g);
    for root in bfs_roots {
        if reaches_cycle[root.index()] {
            continue;
        }
        let mut bfs = Bfs::new(rev, root);
        while let Some(n) = bfs.next(rev) {
            reaches_cycle[n.index()] = true;
        }
    }
    if let Some((id, _)) = nodes
        .iter()
        .find(|(id, _)| reaches_cycle[index[&Key::of(id)].index()])
    {
        errors.push(format!("Cycle detected involving node {}", js_string(id)));
    }
    Ok(errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn n(id: &str, deps: &[&str]) -> (Value, Value) {
        (json!(id), json!(deps))
    }

    #[test]
    fn clean_graph() {
        assert!(validate_graph(&[n("a", &[]), n("b", &["a"])])
            .unwrap()
            .is_empty());
    }

    #[test]
    fn unknown_and_cycle() {
        let errs = validate_graph(&[n("x", &["a"]), n("a", &["b", "zz"]), n("b", &["a"])]).unwrap();
        assert_eq!(
            errs,
            vec![
                "Node a depends on unknown node zz".to_string(),
                "Cycle detected involving node x".to_string()
            ]
        );
        let errs = validate_graph(&[n("ok", &[]), n("self", &["self"])]).unwrap();
        assert_eq!(errs, vec!["Cycle detected involving node self".to_string()]);
    }

    #[test]
    fn long_chain_does_not_overflow() {
        let ids: Vec<String> = (0..200_000).map(|i| format!("n{i}")).collect();
        let mut nodes: Vec<(Value, Value)> = Vec::new();
        for i in 0..ids.len() {
            let deps = if i + 1 < ids.len() {
                json!([ids[i + 1]])
            } else {
                json!([ids[0]])
            };
            nodes.push((json!(ids[i]), deps));
        }
        let errs = validate_graph(&nodes).unwrap();
        assert_eq!(errs, vec!["Cycle detected involving node n0".to_string()]);
    }

    #[test]
    fn bad_depends_on() {
        let e = validate_graph(&[(json!("a"), json!(null))]).unwrap_err();
        assert_eq!(e.code(), "OXE_E_GRAPH");
    }
}
