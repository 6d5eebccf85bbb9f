//! Unit tests of the provider's decisions, with a scripted fake `az`.
