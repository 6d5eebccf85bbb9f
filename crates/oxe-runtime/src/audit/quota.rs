//! Run quotas: limits on work items, mutations and retries of a run.
//!
//! Limits default to `Infinity` (written as `null` by `JSON.stringify`,
//! which `jsjson` reproduces). Beyond 1.4.0, a limit that is `null` (a quota
//! that went through JSON) also means "no limit": 1.4.0 compared against
//! `null` as 0 and reported every consumption as a violation.

/// The three kinds of quota, in the order they are checked.
pub const QUOTA_TYPES: [&str; 3] = ["work_items", "mutations", "retries"];

/// The `RunQuota` counter field a quota type consumes.
pub fn consumed_field(quota_type: &str) -> Option<&'static str> {
    match quota_type {
        "work_items" => Some("consumed_work_items"),
        "mutations" => Some("consumed_mutations"),
        "retries" => Some("consumed_retries"),
        _ => None,
    }
}

/// `createQuota`'s numbers: `[max_work_items, max_mutations,
/// max_retries_total, consumed_work_items, consumed_mutations,
/// consumed_retries]`; a missing limit is `Infinity`.
pub fn create_quota(limits: [Option<f64>; 3]) -> [f64; 6] {
    let l = limits.map(|v| v.unwrap_or(f64::INFINITY));
    [l[0], l[1], l[2], 0.0, 0.0, 0.0]
}

/// A quota over its limit: `(quota_type, limit, consumed)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub quota_type: &'static str,
    pub limit: f64,
    pub consumed: f64,
}

/// `checkQuota`: the first counter strictly above its limit, checking
/// work items, mutations, then retries. `consumed[i]` `None` counts as 0;
/// `limits[i]` `None` (null/undefined) is no limit.
pub fn check_quota(consumed: [Option<f64>; 3], limits: [Option<f64>; 3]) -> Option<Violation> {
    for (i, quota_type) in QUOTA_TYPES.iter().enumerate() {
        let Some(limit) = limits[i] else {
            continue;
        };
        let used = consumed[i].unwrap_or(0.0);
        if used > limit {
            return Some(Violation {
                quota_type,
                limit,
                consumed: used,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_checks() {
        let q = create_quota([Some(2.0), None, None]);
        assert_eq!(q[0], 2.0);
        assert!(q[1].is_infinite() && q[2].is_infinite());
        assert_eq!(
            crate::jsjson::to_line(
                &serde_json::json!({"m": crate::policy::js_ops::number_value(q[1])})
            ),
            r#"{"m":null}"#
        );
        assert_eq!(
            check_quota(
                [Some(2.0), Some(9.0), Some(9.0)],
                [Some(2.0), Some(f64::INFINITY), None]
            ),
            None
        );
        assert_eq!(
            check_quota([Some(3.0), Some(11.0), None], [Some(2.0), Some(10.0), None]),
            Some(Violation {
                quota_type: "work_items",
                limit: 2.0,
                consumed: 3.0
            })
        );
        assert_eq!(
            check_quota(
                [None, Some(11.0), Some(4.0)],
                [Some(2.0), Some(10.0), Some(3.0)]
            )
            .map(|v| v.quota_type),
            Some("mutations")
        );
        // a NaN count never exceeds anything; a zero budget is exceeded by one
        assert_eq!(
            check_quota(
                [Some(f64::NAN), None, Some(1.0)],
                [Some(0.0), None, Some(0.0)]
            )
            .map(|v| v.quota_type),
            Some("retries")
        );
        assert_eq!(consumed_field("mutations"), Some("consumed_mutations"));
        assert_eq!(consumed_field("x"), None);
    }
}
