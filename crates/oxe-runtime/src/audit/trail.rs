//! `AuditTrail`: `.oxe/AUDIT-TRAIL.ndjson` (never session-scoped), one
//! `JSON.stringify(entry)` line per record, with 1.4.0's severities and
//! queries.
//!
//! Beyond 1.4.0:
//! * appends are whole-line and locked (no torn or interleaved lines), and
//!   each line carries the hash of the previous one (see `chain`), computed
//!   under the trail's lock so concurrent writers keep one chain;
//! * a line that does not parse is skipped and reported
//!   (`OXE_W_CORRUPT_LINE`) where 1.4.0 returned an empty trail;
//! * parsed lines are cached per file and only the appended part is read
//!   on the next query.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value};

use super::append;
use super::chain::{self, HASH_FIELD};
use crate::clock;
use crate::error::{OxeError, OxeResult};
use crate::jsjson;
use crate::paths;
use crate::policy::js_ops::{js_lt, property_key, same_value_zero, strict_eq, Slot};
use crate::store::{self, StoreError};

pub const TRAIL_FILE: &str = "AUDIT-TRAIL.ndjson";

/// `.oxe/AUDIT-TRAIL.ndjson`.
pub fn trail_path(root: &Path) -> PathBuf {
    paths::oxe_dir(root).join(TRAIL_FILE)
}

/// The severity 1.4.0 gives each action (`None` for an unknown action,
/// whose entry then has no `severity`).
pub fn severity_of(action: &Slot) -> Option<&'static str> {
    let Slot::Str(a) = action else {
        return None;
    };
    Some(match *a {
        "run_started" | "run_completed" | "run_paused" | "gate_resolved" | "plugin_registered"
        | "plugin_invoked" | "pr_created" => "info",
        "run_recovered" | "gate_requested" | "policy_denied" | "merge_approved"
        | "merge_blocked" => "warn",
        "secret_accessed" | "infra_mutation" => "critical",
        _ => return None,
    })
}

fn opt_field<'v>(v: &'v Value, k: &str) -> Option<&'v Value> {
    match v {
        Value::Object(m) => m.get(k),
        _ => None,
    }
}

fn or_null(v: Option<&Value>) -> Value {
    match v {
        Some(v) if !v.is_null() => v.clone(),
        _ => Value::Null,
    }
}

/// Builds the entry of `record(action, actor, options)`: `{audit_id,
/// action, severity, run_id, work_item_id, actor, resource, detail,
/// timestamp}` (`undefined` action, severity or actor are left out).
pub fn build_entry(
    action: Option<&Value>,
    actor: Option<&Value>,
    options: &Value,
) -> OxeResult<Map<String, Value>> {
    if options.is_null() {
        return Err(OxeError::Arg(
            "AuditTrail.record: options must be an object, got null".into(),
        ));
    }
    let mut e = Map::new();
    e.insert(
        "audit_id".into(),
        Value::String(format!("aud-{}", clock::random_chars(8, clock::HEX))),
    );
    if let Some(a) = action {
        e.insert("action".into(), a.clone());
    }
    if let Some(s) = severity_of(&Slot::of(action)) {
        e.insert("severity".into(), Value::String(s.into()));
    }
    e.insert("run_id".into(), or_null(opt_field(options, "runId")));
    e.insert(
        "work_item_id".into(),
        or_null(opt_field(options, "workItemId")),
    );
    if let Some(a) = actor {
        e.insert("actor".into(), a.clone());
    }
    e.insert("resource".into(), or_null(opt_field(options, "resource")));
    e.insert(
        "detail".into(),
        match opt_field(options, "detail") {
            Some(d) if !d.is_null() => d.clone(),
            _ => Value::Object(Map::new()),
        },
    );
    e.insert("timestamp".into(), Value::String(clock::now_iso()));
    Ok(e)
}

/// Appends `entry` to the trail with its `prev_hash` (see `append`).
/// Returns the entry's own JSON text (without the hash).
pub fn append_entry(root: &Path, entry: &Value) -> OxeResult<String> {
    let path = trail_path(root);
    let mut body = String::with_capacity(256);
    jsjson::write_to(&mut body, entry, false);
    // `entry` is an object, so its text ends with `}`: the field goes last
    body.pop();
    let has_fields = body.len() > 1;
    append::append_chained(&path, |prev| {
        let mut out = String::with_capacity(body.len() + HASH_FIELD.len() + 72);
        out.push_str(&body);
        if has_fields {
            out.push(',');
        }
        out.push('"');
        out.push_str(HASH_FIELD);
        out.push_str("\":\"");
        out.push_str(prev);
        out.push_str("\"}");
        out
    })?;
    body.push('}');
    Ok(body)
}

/// `record(action, actor, options)`: builds and appends the entry; returns
/// it (without its hash, as 1.4.0 returns it) with its JSON text.
pub fn record_with_text(
    root: &Path,
    action: Option<&Value>,
    actor: Option<&Value>,
    options: &Value,
) -> OxeResult<(Map<String, Value>, String)> {
    let entry = Value::Object(build_entry(action, actor, options)?);
    let text = append_entry(root, &entry)?;
    let Value::Object(entry) = entry else {
        return Err(OxeError::Arg(
            "AuditTrail.record: entry is not an object".into(),
        ));
    };
    Ok((entry, text))
}

/// `record(action, actor, options)`: the entry (without its hash).
pub fn record(
    root: &Path,
    action: Option<&Value>,
    actor: Option<&Value>,
    options: &Value,
) -> OxeResult<Map<String, Value>> {
    Ok(record_with_text(root, action, actor, options)?.0)
}

// ------------------------------------------------------------------ reading

/// A parsed line: the fields queries look at, and the entry's JSON text as
/// 1.4.0 returns it (without `prev_hash`).
#[derive(Clone, Debug)]
pub struct Entry {
    pub text: Arc<str>,
    action: Option<Value>,
    severity: Option<Value>,
    run_id: Option<Value>,
    actor: Option<Value>,
    timestamp: Option<Value>,
}

impl Entry {
    fn slot<'a>(v: &'a Option<Value>) -> Slot<'a> {
        Slot::of(v.as_ref())
    }
}

/// A field that may be absent (`None`), as opposed to `null`.
#[derive(Default)]
struct Field(Option<Value>);

impl<'de> serde::Deserialize<'de> for Field {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(|v| Field(Some(v)))
    }
}

/// The fields a line is read for (the rest is skipped while parsing).
#[derive(serde::Deserialize)]
struct Fields {
    #[serde(default)]
    action: Field,
    #[serde(default)]
    severity: Field,
    #[serde(default)]
    run_id: Field,
    #[serde(default)]
    actor: Field,
    #[serde(default)]
    timestamp: Field,
    #[serde(default)]
    prev_hash: Field,
}

/// `line` without `,"prev_hash":"<64 hex>"` when that is its last field,
/// as we write it.
fn strip_hash_suffix(line: &str) -> Option<String> {
    let head = format!(",\"{HASH_FIELD}\":\"");
    let suffix_len = head.len() + 64 + 2;
    let cut = line.len().checked_sub(suffix_len)?;
    let tail = line.get(cut..)?;
    let hash = tail.strip_prefix(head.as_str())?.strip_suffix("\"}")?;
    if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        Some(format!("{}}}", line.get(..cut)?))
    } else {
        None
    }
}

fn parse_line(path: &Path, index: usize, line: &str) -> Option<Entry> {
    // fast path: only the needed fields are kept (serde_json refuses
    // duplicate keys and lone surrogates, which the full parser handles)
    if let Ok(f) = serde_json::from_str::<Fields>(line) {
        let text = match f.prev_hash.0 {
            None => Some(line.to_string()),
            Some(_) => strip_hash_suffix(line),
        };
        if let Some(text) = text {
            return Some(Entry {
                text: Arc::from(text),
                action: f.action.0,
                severity: f.severity.0,
                run_id: f.run_id.0,
                actor: f.actor.0,
                timestamp: f.timestamp.0,
            });
        }
    }
    match jsjson::parse(line) {
        Ok(Value::Object(mut m)) => {
            let take = |m: &Map<String, Value>, k: &str| m.get(k).cloned();
            let (action, severity, run_id, actor, timestamp) = (
                take(&m, "action"),
                take(&m, "severity"),
                take(&m, "run_id"),
                take(&m, "actor"),
                take(&m, "timestamp"),
            );
            let text = if m.shift_remove(HASH_FIELD).is_some() {
                jsjson::to_line(&Value::Object(m))
            } else {
                line.to_string()
            };
            Some(Entry {
                text: Arc::from(text),
                action,
                severity,
                run_id,
                actor,
                timestamp,
            })
        }
        Ok(_) => {
            report_line(path, index, "is not a JSON object");
            None
        }
        Err(e) => {
            report_line(path, index, &e.to_string());
            None
        }
    }
}

fn report_line(path: &Path, index: usize, why: &str) {
    store::report(store::Diagnostic::new(
        store::W_CORRUPT_LINE,
        path,
        format!("{}: line {} skipped ({why})", path.display(), index + 1),
    ));
}

/// What we know of a trail file: its complete lines up to `offset`.
struct Loaded {
    identity: Option<(u64, u64)>,
    offset: usize,
    lines: usize,
    /// [`crate::store::content_hash`] of the bytes before `offset`: a file rewritten in
    /// place (not only appended to) is read afresh.
    prefix_hash: u64,
    entries: Arc<Vec<Entry>>,
}

static LOADED: Mutex<Option<HashMap<PathBuf, Loaded>>> = Mutex::new(None);

/// Every parseable entry of the trail, in file order.
pub fn load(root: &Path) -> OxeResult<Arc<Vec<Entry>>> {
    let path = trail_path(root);
    let io_err = |e: io::Error| OxeError::from(StoreError::io(&path, e));
    let mut f = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Arc::new(Vec::new())),
        Err(e) => return Err(io_err(e)),
    };
    let ident = f
        .metadata()
        .ok()
        .and_then(|m| crate::store::identity_of(&m));
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes).map_err(io_err)?;

    let mut guard = LOADED.lock().unwrap_or_else(|e| e.into_inner());
    let cache = guard.get_or_insert_with(HashMap::new);
    let base = cache.remove(&path).filter(|l| {
        ident.is_some()
            && l.identity == ident
            && bytes
                .get(..l.offset)
                .is_some_and(|prefix| crate::store::content_hash(prefix) == l.prefix_hash)
    });
    let (start, mut entries, mut lines) = match base {
        Some(l) => (l.offset, l.entries, l.lines),
        None => (0, Arc::new(Vec::new()), 0),
    };
    let tail = bytes.get(start..).unwrap_or_default();
    // complete lines go to the cache; a last line without `\n` is read but
    // not cached (a writer may still be finishing it)
    let complete = tail.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let (done, partial) = tail.split_at(complete);
    if !done.is_empty() {
        let list = Arc::make_mut(&mut entries);
        for line in String::from_utf8_lossy(done).split_terminator('\n') {
            if !line.is_empty() {
                if let Some(e) = parse_line(&path, lines, line) {
                    list.push(e);
                }
            }
            lines += 1;
        }
    }
    let offset = start + complete;
    if ident.is_some() {
        if cache.len() > 64 {
            cache.clear();
        }
        cache.insert(
            path.clone(),
            Loaded {
                identity: ident,
                offset,
                lines,
                prefix_hash: crate::store::content_hash(bytes.get(..offset).unwrap_or_default()),
                entries: Arc::clone(&entries),
            },
        );
    }
    drop(guard);
    if partial.is_empty() {
        return Ok(entries);
    }
    match parse_line(&path, lines, &String::from_utf8_lossy(partial)) {
        Some(e) => {
            let mut all = (*entries).clone();
            all.push(e);
            Ok(Arc::new(all))
        }
        None => Ok(entries),
    }
}

/// `query({action?, severity?, runId?, since?})`: the matching entries.
pub fn query<'e>(entries: &'e [Entry], filter: &Value) -> Vec<&'e Entry> {
    let f = |k: &str| Slot::of(opt_field(filter, k));
    let (action, severity, run, since) = (f("action"), f("severity"), f("runId"), f("since"));
    entries
        .iter()
        .filter(|e| {
            if action.truthy() && !strict_eq(&Entry::slot(&e.action), &action) {
                return false;
            }
            if severity.truthy() && !strict_eq(&Entry::slot(&e.severity), &severity) {
                return false;
            }
            if run.truthy() && !strict_eq(&Entry::slot(&e.run_id), &run) {
                return false;
            }
            if since.truthy() && js_lt(&Entry::slot(&e.timestamp), &since) {
                return false;
            }
            true
        })
        .collect()
}

/// The entries as a JSON array text (their original text, so the caller's
/// `JSON.parse` sees what 1.4.0's did).
pub fn to_json_array(entries: &[&Entry]) -> String {
    let total: usize = entries.iter().map(|e| e.text.len() + 1).sum();
    let mut out = String::with_capacity(total + 2);
    out.push('[');
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&e.text);
    }
    out.push(']');
    out
}

/// `metrics()`: `{total_entries, critical_count, warn_count, by_action,
/// actors, oldest, newest}`.
pub fn metrics(entries: &[Entry]) -> Map<String, Value> {
    // by action, in first-seen order (jsjson puts index-like keys first on
    // output, as V8 does)
    let mut counts: Vec<(String, u64)> = Vec::new();
    let mut count_at: HashMap<String, usize> = HashMap::new();
    let mut actors: Vec<Value> = Vec::new();
    let mut seen_text: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let (mut critical, mut warn) = (0u64, 0u64);
    let mut oldest: Option<Slot> = None;
    let mut newest: Option<Slot> = None;
    for e in entries {
        let action = Entry::slot(&e.action);
        let key = match action {
            Slot::Str(a) => std::borrow::Cow::Borrowed(a),
            other => std::borrow::Cow::Owned(property_key(&other)),
        };
        match count_at.get(key.as_ref()) {
            Some(&i) => {
                if let Some(c) = counts.get_mut(i) {
                    c.1 += 1;
                }
            }
            None => {
                count_at.insert(key.to_string(), counts.len());
                counts.push((key.into_owned(), 1));
            }
        }
        let actor = Entry::slot(&e.actor);
        let fresh = match actor {
            Slot::Str(a) => seen_text.insert(a),
            other => !actors
                .iter()
                .any(|x| same_value_zero(&Slot::of(Some(x)), &other)),
        };
        if fresh {
            // `undefined` in an array is written as null
            actors.push(actor.to_value().unwrap_or(Value::Null));
        }
        match Entry::slot(&e.severity) {
            Slot::Str("critical") => critical += 1,
            Slot::Str("warn") => warn += 1,
            _ => {}
        }
        let ts = Entry::slot(&e.timestamp);
        if !oldest.is_some_and(|o| o.truthy()) || oldest.is_some_and(|o| js_lt(&ts, &o)) {
            oldest = Some(ts);
        }
        if !newest.is_some_and(|n| n.truthy()) || newest.is_some_and(|n| js_lt(&n, &ts)) {
            newest = Some(ts);
        }
    }
    let mut by_action = Map::new();
    for (k, n) in counts {
        by_action.insert(k, Value::from(n));
    }
    let mut m = Map::new();
    m.insert("total_entries".into(), Value::from(entries.len() as u64));
    m.insert("critical_count".into(), Value::from(critical));
    m.insert("warn_count".into(), Value::from(warn));
    m.insert("by_action".into(), Value::Object(by_action));
    m.insert("actors".into(), Value::Array(actors));
    let ts_value = |s: Option<Slot>| s.and_then(|s| s.to_value()).unwrap_or(Value::Null);
    m.insert("oldest".into(), ts_value(oldest));
    m.insert("newest".into(), ts_value(newest));
    m
}

/// `verify()`: the hash chain report of the trail (see `chain`).
pub fn verify(root: &Path) -> OxeResult<Value> {
    let path = trail_path(root);
    let text = store::read_text(&path)?.unwrap_or_default();
    Ok(chain::verify_text(&text).to_value())
}
