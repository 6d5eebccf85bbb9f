//! plugins: the plugin ABI, manifests and validation, the registry's
//! rules, the capability matrix and project capabilities as plugins
//! (`.oxe/capabilities/*/CAPABILITY.md`).
//!
//! Plugins are JS objects with functions, so they stay in JS; the glue
//! describes them ([`abi::PluginDesc`]) and these modules decide.

pub mod abi;
pub mod capability_adapter;
pub mod capability_matrix;
pub mod js;
pub mod manifest;
pub mod node_path;
pub mod registry;
