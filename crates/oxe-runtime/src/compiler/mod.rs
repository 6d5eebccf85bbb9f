//! compiler: turn a parsed PLAN/SPEC into an `ExecutionGraph`
//! (`compile`), and check a graph (`validateGraph`).

pub mod graph_compiler;
pub mod validate;

pub use graph_compiler::{compile, hash_object_text, CompiledGraph};
pub use validate::validate_graph;
