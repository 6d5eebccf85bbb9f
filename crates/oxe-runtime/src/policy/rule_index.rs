//! Candidate rules per context: for each `when` field, which rules a
//! context value leaves in play, as bitsets. An evaluation ANDs five rows
//! and tests only the rules left, in order (first match still wins),
//! instead of comparing every rule's clause.

use std::collections::HashMap;

use serde_json::Value;

use super::engine::{Rule, When};
use super::js_ops::Slot;

/// FNV-1a, for small maps keyed by short strings of our own process.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(crate) type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

/// A non-string `when` value that can be `===` to a context value.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Scalar {
    Num(f64),
    Bool(bool),
}

/// For one `when` field: which rules a context value leaves as candidates.
/// A rule is a candidate for a value when it does not constrain the field
/// or constrains it to that value (strict equality).
#[derive(Clone, Debug, Default)]
pub(super) struct FieldIndex {
    strs: HashMap<String, usize, FnvBuild>,
    scalars: Vec<(Scalar, usize)>,
    /// Per known value: the candidate rules, as a bitset.
    rows: Vec<Vec<u64>>,
    /// The candidates for any other value (rules that do not constrain it).
    free: Vec<u64>,
}

impl FieldIndex {
    pub(super) fn row(&self, v: &Slot) -> &[u64] {
        let hit = match v {
            Slot::Str(s) => self.strs.get(*s).copied(),
            Slot::Num(n) => self
                .scalars
                .iter()
                .find(|(k, _)| *k == Scalar::Num(*n))
                .map(|(_, r)| *r),
            Slot::Bool(b) => self
                .scalars
                .iter()
                .find(|(k, _)| *k == Scalar::Bool(*b))
                .map(|(_, r)| *r),
            _ => None,
        };
        hit.and_then(|r| self.rows.get(r)).unwrap_or(&self.free)
    }
}

/// Candidate rules per context, so that an evaluation tests only the rules
/// whose `when` clause matches instead of every rule in turn. Rules are
/// still decided in order (first match wins).
#[derive(Clone, Debug, Default)]
pub(super) struct RuleIndex {
    pub(super) words: usize,
    pub(super) fields: [FieldIndex; 5],
}

fn set_bit(bits: &mut [u64], i: usize) {
    if let Some(w) = bits.get_mut(i / 64) {
        *w |= 1u64 << (i % 64);
    }
}

impl RuleIndex {
    pub(super) fn build(rules: &[Rule]) -> RuleIndex {
        let words = rules.len().div_ceil(64);
        let mut index = RuleIndex {
            words,
            fields: Default::default(),
        };
        for (f, field) in index.fields.iter_mut().enumerate() {
            field.free = vec![0; words];
            // the values rules constrain this field to
            for rule in rules {
                let Rule::Valid {
                    when: When::Fields(fs),
                    ..
                } = rule
                else {
                    continue;
                };
                for (_, v) in fs.iter().filter(|(i, _)| *i == f) {
                    match v {
                        Value::String(s) if !field.strs.contains_key(s) => {
                            field.strs.insert(s.clone(), field.rows.len());
                            field.rows.push(vec![0; words]);
                        }
                        Value::Number(n) => {
                            let k = Scalar::Num(n.as_f64().unwrap_or(f64::NAN));
                            if !field.scalars.iter().any(|(x, _)| *x == k) {
                                field.scalars.push((k, field.rows.len()));
                                field.rows.push(vec![0; words]);
                            }
                        }
                        Value::Bool(b)
                            if !field.scalars.iter().any(|(x, _)| *x == Scalar::Bool(*b)) =>
                        {
                            field.scalars.push((Scalar::Bool(*b), field.rows.len()));
                            field.rows.push(vec![0; words]);
                        }
                        _ => {}
                    }
                }
            }
            for (i, rule) in rules.iter().enumerate() {
                let constraint = match rule {
                    Rule::Valid {
                        when: When::Fields(fs),
                        ..
                    } => fs.iter().find(|(j, _)| *j == f).map(|(_, v)| v),
                    // a rule that throws when reached is always a candidate
                    _ => None,
                };
                match constraint {
                    None => {
                        set_bit(&mut field.free, i);
                        for row in &mut field.rows {
                            set_bit(row, i);
                        }
                    }
                    Some(v) => {
                        let row = match v {
                            Value::String(s) => field.strs.get(s).copied(),
                            Value::Number(n) => {
                                let k = Scalar::Num(n.as_f64().unwrap_or(f64::NAN));
                                field.scalars.iter().find(|(x, _)| *x == k).map(|(_, r)| *r)
                            }
                            Value::Bool(b) => field
                                .scalars
                                .iter()
                                .find(|(x, _)| *x == Scalar::Bool(*b))
                                .map(|(_, r)| *r),
                            // arrays and objects are never identical to a context value
                            _ => None,
                        };
                        if let Some(row) = row.and_then(|r| field.rows.get_mut(r)) {
                            set_bit(row, i);
                        }
                    }
                }
            }
        }
        index
    }
}
