//! The installer: `oxe-cc [install]`, `uninstall` and `update`, and the
//! SDK namespaces `install`, `manifest`, `agents` and `npmVersion`.
//!
//! Map: [`select`] / [`resolve`] / [`prompt`] (which targets, layout and
//! scope), [`paths`] (where each target lives), [`render`] (one renderer
//! per target, producing a [`plan::Plan`]), [`apply`] (atomic writes,
//! install and update policies), [`manifest`] (`~/.oxe-cc/manifest.json`
//! and backups), [`workspace`] (`.oxe/install/*.json`), [`uninstall`],
//! [`update`] / [`npm_version`], [`vsix`] (VS Code extension),
//! [`summary`], [`run`] (the install command).

pub mod apply;
pub mod build;
pub mod globalcli;
pub mod manifest;
pub mod npm_version;
pub mod paths;
pub mod plan;
pub mod proc;
pub mod prompt;
pub mod render;
pub mod resolve;
pub mod run;
pub mod say;
pub mod sdk;
pub mod select;
pub mod summary;
pub mod text;
pub mod uninstall;
pub mod update;
pub mod vsix;
pub mod workspace;
pub mod wsl;
