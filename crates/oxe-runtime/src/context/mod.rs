//! context: the context packs handed to agents (oxe-cc 1.4.0
//! `context/*`): profiles per decision type, the pack builder with its
//! quality score and scope filter, and the pack store under `.oxe/runs/`.

pub mod builder;
pub mod js;
pub mod profiles;
pub mod store;

pub use builder::{
    build, build_wire, filter_by_mutation_scope, score_pack_quality, PackOptions, PackPlan,
    QualityScore,
};
pub use profiles::{default_profiles_value, get_profile, ContextProfile, DEFAULT_PROFILES};
pub use store::{
    diff_packs, get_pack_ref_for_attempt, is_stale, link_pack_to_attempt, list_pack_meta,
    load_pack, mark_stale, save_pack,
};
