//! The read-only views of a gate file: pending/resolved lists, staleness
//! against an SLA in hours, `filter(query)` and `snapshot(hours, query)`.

use serde_json::{Map, Value};

use super::manager::GateManager;
use crate::clock;
use crate::error::{OxeError, OxeResult};
use crate::policy::js_ops::{number_value, property_key, strict_eq, to_number, Slot};

fn get<'v>(g: &'v Value, k: &str) -> Slot<'v> {
    match g {
        Value::Object(m) => Slot::of(m.get(k)),
        _ => Slot::Undef,
    }
}

fn status_is(g: &Value, s: &str) -> bool {
    matches!(get(g, "status"), Slot::Str(x) if x == s)
}

/// `Date.parse(v)` for the ISO timestamps gates carry (`NaN` otherwise).
fn parse_time(v: &Slot) -> f64 {
    match v {
        Slot::Str(s) => clock::parse_iso_ms(s).map_or(f64::NAN, |ms| ms as f64),
        _ => f64::NAN,
    }
}

fn cutoff(now: f64, hours: f64) -> f64 {
    now - hours * 60.0 * 60.0 * 1000.0
}

/// Pending for longer than `hours`: requested at or before now − hours.
pub fn is_stale(g: &Value, hours: f64, now: f64) -> bool {
    let t = parse_time(&get(g, "requested_at"));
    t.is_finite() && t <= cutoff(now, hours)
}

/// Resolved within the last `hours`.
pub fn resolved_recently(g: &Value, hours: f64, now: f64) -> bool {
    let at = get(g, "resolved_at");
    let t = if at.truthy() {
        parse_time(&at)
    } else {
        f64::NAN
    };
    t.is_finite() && t >= cutoff(now, hours)
}

/// `filter(query)`: every truthy criterion must hold. `status` may be
/// `'pending'`, `'resolved'`, `'stale'` (pending and older than
/// `gate_sla_hours ?? 24`) or `'all'`.
pub fn filter<'g>(gates: &'g [Value], query: &Value, now: f64) -> Vec<&'g Value> {
    let q = |k: &str| get(query, k);
    let sla = match q("gate_sla_hours") {
        s if s.is_nullish() => 24.0,
        s => to_number(&s),
    };
    let status = q("status");
    gates
        .iter()
        .filter(|g| {
            for k in ["run_id", "scope", "work_item_id", "action"] {
                let want = q(k);
                if want.truthy() && !strict_eq(&get(g, k), &want) {
                    return false;
                }
            }
            if status.truthy() && !matches!(status, Slot::Str("all")) {
                if matches!(status, Slot::Str("stale")) {
                    if !(status_is(g, "pending") && is_stale(g, sla, now)) {
                        return false;
                    }
                } else if !strict_eq(&get(g, "status"), &status) {
                    return false;
                }
            }
            true
        })
        .collect()
}

fn count_by(gates: &[&Value], key: &str, fallback: &str) -> Map<String, Value> {
    let mut counts: Map<String, Value> = Map::new();
    for g in gates {
        let v = get(g, key);
        let k = if v.truthy() {
            property_key(&v)
        } else {
            fallback.to_string()
        };
        let n = counts.get(&k).and_then(Value::as_u64).unwrap_or(0);
        counts.insert(k, Value::from(n + 1));
    }
    counts
}

/// `snapshot(hours, query)`: `{total, gate_sla_hours, pending,
/// stale_pending, staleCount, resolved_recent, byRun, byScope, all}`.
/// With `indexed`, the three lists hold indexes into `all` instead of
/// copies, so a host can share one object per gate as 1.4.0 does.
pub fn snapshot_with(
    gates: &[Value],
    hours: f64,
    query: &Value,
    now: f64,
    indexed: bool,
) -> Map<String, Value> {
    let mut q = match query {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    q.insert("gate_sla_hours".into(), number_value(hours));
    let all = filter(gates, &Value::Object(q), now);
    let list = |f: &dyn Fn(&Value) -> bool| -> Vec<Value> {
        all.iter()
            .enumerate()
            .filter(|(_, g)| f(g))
            .map(|(i, g)| {
                if indexed {
                    Value::from(i as u64)
                } else {
                    (*g).clone()
                }
            })
            .collect()
    };
    let pending = list(&|g| status_is(g, "pending"));
    let stale = list(&|g| status_is(g, "pending") && is_stale(g, hours, now));
    let recent = list(&|g| status_is(g, "resolved") && resolved_recently(g, hours, now));
    let mut m = Map::new();
    m.insert("total".into(), Value::from(all.len() as u64));
    m.insert("gate_sla_hours".into(), number_value(hours));
    m.insert("pending".into(), Value::Array(pending));
    let stale_count = stale.len() as u64;
    m.insert("stale_pending".into(), Value::Array(stale));
    m.insert("staleCount".into(), Value::from(stale_count));
    m.insert("resolved_recent".into(), Value::Array(recent));
    m.insert(
        "byRun".into(),
        Value::Object(count_by(&all, "run_id", "unscoped")),
    );
    m.insert(
        "byScope".into(),
        Value::Object(count_by(&all, "scope", "unknown")),
    );
    m.insert(
        "all".into(),
        Value::Array(all.into_iter().cloned().collect()),
    );
    m
}

/// [`snapshot_with`] holding copies of the gates.
pub fn snapshot(gates: &[Value], hours: f64, query: &Value, now: f64) -> Map<String, Value> {
    snapshot_with(gates, hours, query, now, false)
}

/// One read-only query of a manager, by its JS method name. `arg` is the
/// method's argument (`None` for `undefined`), `hours` its SLA in hours.
/// `snapshot` answers in the indexed form of [`snapshot_with`].
pub fn query(mgr: &GateManager, op: &str, arg: Option<&Value>, hours: f64) -> OxeResult<Value> {
    let list = mgr.read_gates()?;
    let gates = &list.items;
    let now = clock::now_ms() as f64;
    let arg_slot = Slot::of(arg);
    let keep = |gates: &[Value], f: &dyn Fn(&Value) -> bool| -> Value {
        Value::Array(gates.iter().filter(|g| f(g)).cloned().collect())
    };
    Ok(match op {
        "isPending" => Value::Bool(
            gates
                .iter()
                .any(|g| strict_eq(&get(g, "scope"), &arg_slot) && status_is(g, "pending")),
        ),
        "listPending" => keep(gates, &|g| status_is(g, "pending")),
        "listResolved" => keep(gates, &|g| status_is(g, "resolved")),
        "listAll" => Value::Array(gates.clone()),
        "listPendingByRun" => keep(gates, &|g| {
            status_is(g, "pending") && strict_eq(&get(g, "run_id"), &arg_slot)
        }),
        "listPendingForWorkItem" => keep(gates, &|g| {
            status_is(g, "pending") && strict_eq(&get(g, "work_item_id"), &arg_slot)
        }),
        "stalePending" => keep(gates, &|g| {
            status_is(g, "pending") && is_stale(g, hours, now)
        }),
        "listRecentResolved" => keep(gates, &|g| {
            status_is(g, "resolved") && resolved_recently(g, hours, now)
        }),
        "get" => gates
            .iter()
            .find(|g| strict_eq(&get(g, "gate_id"), &arg_slot))
            .cloned()
            .unwrap_or(Value::Null),
        "filter" => Value::Array(
            filter(gates, arg.unwrap_or(&Value::Null), now)
                .into_iter()
                .cloned()
                .collect(),
        ),
        "snapshot" => Value::Object(snapshot_with(
            gates,
            hours,
            arg.unwrap_or(&Value::Null),
            now,
            true,
        )),
        other => {
            return Err(OxeError::Arg(format!(
                "GateManager: unknown query {other:?}"
            )))
        }
    })
}
