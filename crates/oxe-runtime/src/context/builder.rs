//! The context pack builder: which evidence, lessons and run summary an
//! agent gets for a work item, in which order, without near-duplicates and
//! within an artifact cap and a token budget; plus the pack quality score
//! and the mutation-scope filter (`ContextPackBuilder`, `scorePackQuality`).
//!
//! The builder answers with a *plan*: the source and index of each chosen
//! artifact and its score. The JS glue turns the plan into artifact objects
//! that reuse the caller's strings and lesson tag arrays, so nothing large
//! crosses the boundary twice.
//!
//! Unlike 1.4.0, which re-splits both texts for every pair it compares, the
//! word set of each artifact is computed once (as sorted interned ids), so
//! deduplication costs a merge per pair instead of two regex splits.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::js;
use crate::clock;
use crate::error::{OxeError, OxeResult};
use crate::jsjson::number_to_js_string;

/// `ContextPackOptions` after defaults; numbers are JS numbers (NaN and
/// ±Infinity included), so a caller's odd values behave as in 1.4.0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PackOptions {
    pub max_artifacts: f64,
    pub max_tokens: f64,
    pub dedup_threshold: f64,
}

impl Default for PackOptions {
    fn default() -> Self {
        PackOptions {
            max_artifacts: 20.0,
            max_tokens: 8000.0,
            dedup_threshold: 0.85,
        }
    }
}

impl PackOptions {
    /// Defaults apply only where the caller gave nothing (JS `undefined`).
    pub fn new(max_artifacts: Option<f64>, max_tokens: Option<f64>, dedup: Option<f64>) -> Self {
        let d = PackOptions::default();
        PackOptions {
            max_artifacts: max_artifacts.unwrap_or(d.max_artifacts),
            max_tokens: max_tokens.unwrap_or(d.max_tokens),
            dedup_threshold: dedup.unwrap_or(d.dedup_threshold),
        }
    }
}

/// The parts of a work item the builder reads.
#[derive(Debug, Clone, Default)]
pub struct WorkItemView {
    /// `String(workItem.run_id)`, used in the summary artifact's id.
    pub run_id: String,
    /// `None` when the work item has no string title; an error only if
    /// something needs scoring.
    pub title: Option<String>,
    pub mutation_scope: Vec<String>,
}

/// One evidence item with its content (`""` when the Map has none).
#[derive(Debug, Clone)]
pub struct EvidenceView {
    pub evidence_id: String,
    /// The evidence `type` (any JS value; only `junit_xml` and `diff` score).
    pub kind: Value,
    pub content: String,
}

/// One lesson: its tags and content.
#[derive(Debug, Clone)]
pub struct LessonView {
    pub tags: Vec<String>,
    pub content: String,
}

/// Where a chosen artifact comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Index into the caller's `evidenceItems`.
    Evidence(usize),
    /// Index into the caller's `lessons`.
    Lesson(usize),
    /// The run summary artifact.
    Summary,
}

/// One artifact of the pack, in pack order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chosen {
    pub source: Source,
    pub score: f64,
}

/// What `build` decided.
#[derive(Debug, Clone, PartialEq)]
pub struct PackPlan {
    pub artifacts: Vec<Chosen>,
    pub total_artifacts_considered: usize,
    pub redundancy_removed: usize,
    pub built_at: String,
    /// `(id, content)` of the run summary, when one was considered.
    pub summary: Option<(String, String)>,
}

/// Score of the run summary artifact.
pub const SUMMARY_SCORE: f64 = 0.4;
/// Tag of the run summary artifact.
pub const SUMMARY_TAG: &str = "run-context";

/// Lowercased scope entries and title words, computed once per build.
struct ItemTerms {
    scope: Vec<String>,
    title_words: Vec<String>,
    /// The set of both, sorted, for the lesson overlap.
    item_tags: Vec<String>,
}

impl ItemTerms {
    fn new(wi: &WorkItemView) -> OxeResult<Self> {
        let title = wi.title.as_deref().ok_or_else(|| {
            OxeError::Arg("ContextPackBuilder.build: workItem.title must be a string".into())
        })?;
        let mut title_words = Vec::new();
        for w in js::split_js_space(&title.to_lowercase()) {
            if js::utf16_len(w) > 3 {
                title_words.push(w.to_string());
            }
        }
        let scope: Vec<String> = wi.mutation_scope.iter().map(|s| s.to_lowercase()).collect();
        Ok(ItemTerms::from_terms(scope, title_words))
    }

    fn from_terms(scope: Vec<String>, title_words: Vec<String>) -> Self {
        let mut item_tags: Vec<String> = scope.iter().chain(&title_words).cloned().collect();
        item_tags.sort_unstable();
        item_tags.dedup();
        ItemTerms {
            scope,
            title_words,
            item_tags,
        }
    }

    /// 0.5, +0.3 for a scope entry inside the id, +0.1 for a title word
    /// inside the id, +0.05 for junit_xml or diff evidence; at most 1.
    fn evidence_score(&self, ev: &EvidenceView) -> f64 {
        let eid = ev.evidence_id.to_lowercase();
        let mut score = 0.5;
        if self.scope.iter().any(|s| eid.contains(s.as_str())) {
            score += 0.3;
        }
        if self.title_words.iter().any(|w| eid.contains(w.as_str())) {
            score += 0.1;
        }
        if ev.kind.as_str() == Some("junit_xml") {
            score += 0.05;
        }
        if ev.kind.as_str() == Some("diff") {
            score += 0.05;
        }
        js::min(score, 1.0)
    }

    /// 0.3 + 0.7 × the Jaccard overlap of the lesson's tags (duplicates
    /// counted) with the scope entries and title words; at most 1.
    fn lesson_score(&self, lesson: &LessonView) -> f64 {
        let overlap = lesson
            .tags
            .iter()
            .filter(|t| self.item_tags.binary_search(&t.to_lowercase()).is_ok())
            .count();
        let denom = self.item_tags.len() + lesson.tags.len() - overlap;
        let jaccard = overlap as f64 / if denom == 0 { 1.0 } else { denom as f64 };
        js::min(0.3 + jaccard * 0.7, 1.0)
    }
}

/// Sorted, deduplicated ids of the lowercased words (split on ASCII `\W+`)
/// of more than 3 characters.
fn word_ids(text: &str, vocab: &mut HashMap<String, u32>) -> Vec<u32> {
    let mut ids = Vec::new();
    let mut intern = |w: &str, vocab: &mut HashMap<String, u32>| {
        if w.len() > 3 {
            let next = vocab.len() as u32;
            ids.push(*vocab.entry(w.to_string()).or_insert(next));
        }
    };
    if text.is_ascii() {
        let mut buf = String::new();
        for w in js::split_ascii_words(text) {
            buf.clear();
            buf.push_str(w);
            buf.make_ascii_lowercase();
            intern(&buf, vocab);
        }
    } else {
        // Lowercasing can turn non-ASCII letters into ASCII ones (K → k),
        // so the whole text is lowercased before it is split, as in JS.
        let lower = text.to_lowercase();
        for w in js::split_ascii_words(&lower) {
            intern(w, vocab);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Whether |A∩B| / √(|A|·|B|) (0 if either set is empty) is at least
/// `threshold`. When the upper bound min(|A|,|B|) / √(|A|·|B|) is already
/// below the threshold the merge is skipped.
fn similarity_at_least(a: &[u32], b: &[u32], threshold: f64) -> bool {
    if a.is_empty() || b.is_empty() {
        return 0.0 >= threshold;
    }
    let denom = ((a.len() * b.len()) as f64).sqrt();
    if (a.len().min(b.len()) as f64) / denom < threshold {
        return false;
    }
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter as f64 / denom >= threshold
}

/// The end index of `array.slice(0, end)` for a JS number `end`.
pub fn slice_end(end: f64, len: usize) -> usize {
    let rel = if end.is_nan() { 0.0 } else { end.trunc() };
    if rel < 0.0 {
        let from_end = len as f64 + rel;
        if from_end <= 0.0 {
            0
        } else {
            from_end as usize
        }
    } else if rel >= len as f64 {
        len
    } else {
        rel as usize
    }
}

/// `Math.ceil(text.length / 4)`.
pub fn estimate_tokens(text: &str) -> usize {
    js::utf16_len(text).div_ceil(4)
}

/// `ContextPackBuilder.build`: score evidence (items without content are
/// skipped), lessons and the run summary (when something completed); sort
/// by score, stable; drop near-duplicates; cap; stop at the token budget.
/// `counts` are the sizes of the completed, failed and blocked sets.
pub fn build(
    wi: &WorkItemView,
    counts: [f64; 3],
    evidence: &[EvidenceView],
    lessons: &[LessonView],
    opts: &PackOptions,
) -> OxeResult<PackPlan> {
    struct Raw<'a> {
        source: Source,
        score: f64,
        content: &'a str,
    }
    let needs_terms = !lessons.is_empty() || evidence.iter().any(|e| !e.content.is_empty());
    let terms = if needs_terms {
        Some(ItemTerms::new(wi)?)
    } else {
        None
    };
    let mut raw: Vec<Raw> = Vec::with_capacity(evidence.len() + lessons.len() + 1);
    if let Some(terms) = &terms {
        for (i, ev) in evidence.iter().enumerate() {
            if ev.content.is_empty() {
                continue;
            }
            raw.push(Raw {
                source: Source::Evidence(i),
                score: terms.evidence_score(ev),
                content: &ev.content,
            });
        }
        for (i, lesson) in lessons.iter().enumerate() {
            raw.push(Raw {
                source: Source::Lesson(i),
                score: terms.lesson_score(lesson),
                content: &lesson.content,
            });
        }
    }
    let [completed, failed, blocked] = counts;
    let summary = (completed > 0.0).then(|| {
        (
            format!("run-summary-{}", wi.run_id),
            format!(
                "Run progress: {} completed, {} failed, {} blocked.",
                number_to_js_string(completed),
                number_to_js_string(failed),
                number_to_js_string(blocked)
            ),
        )
    });
    if let Some((_, content)) = &summary {
        raw.push(Raw {
            source: Source::Summary,
            score: SUMMARY_SCORE,
            content: content.as_str(),
        });
    }
    let total = raw.len();

    // Stable sort by score, descending (JS `b.score - a.score`).
    let mut order: Vec<usize> = (0..total).collect();
    order.sort_by(|&a, &b| {
        raw[b]
            .score
            .partial_cmp(&raw[a].score)
            .unwrap_or(std::cmp::Ordering::Equal)
    });

    let mut vocab = HashMap::new();
    let words: Vec<Vec<u32>> = raw
        .iter()
        .map(|r| word_ids(r.content, &mut vocab))
        .collect();
    let mut kept: Vec<usize> = Vec::new();
    let mut removed = 0;
    for &c in &order {
        let dup = kept
            .iter()
            .any(|&k| similarity_at_least(&words[c], &words[k], opts.dedup_threshold));
        if dup {
            removed += 1;
        } else {
            kept.push(c);
        }
    }
    kept.truncate(slice_end(opts.max_artifacts, kept.len()));

    let mut used = 0.0;
    let mut artifacts = Vec::with_capacity(kept.len());
    for &k in &kept {
        let t = estimate_tokens(raw[k].content) as f64;
        if used + t > opts.max_tokens {
            break;
        }
        used += t;
        artifacts.push(Chosen {
            source: raw[k].source,
            score: raw[k].score,
        });
    }
    Ok(PackPlan {
        artifacts,
        total_artifacts_considered: total,
        redundancy_removed: removed,
        built_at: clock::now_iso(),
        summary,
    })
}

// ------------------------------------------------------------------ wire

fn arg(msg: String) -> OxeError {
    OxeError::Arg(format!("ContextPackBuilder.build: {msg}"))
}

fn string_at(v: &Value, what: impl FnOnce() -> String) -> OxeResult<String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| arg(format!("{} must be a string", what())))
}

fn strings_at(v: &Value, what: &str) -> OxeResult<Vec<String>> {
    match v {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, s)| string_at(s, || format!("{what}[{i}]")))
            .collect(),
        _ => Err(arg(format!("{what} must be an array of strings"))),
    }
}

/// `build` from the glue's wire form:
/// `{run_id, title, scope, counts: [c, f, b], evidence: [[id, type, content]…],
/// lessons: [[tags, content]…]}`; answers
/// `{kept: [source, index, score, …], considered, removed, built_at, summary?}`
/// where source is 0 (evidence), 1 (lesson) or 2 (summary).
pub fn build_wire(wire: &Value, opts: &PackOptions) -> OxeResult<Value> {
    let wi = WorkItemView {
        run_id: wire["run_id"].as_str().unwrap_or_default().to_string(),
        title: wire["title"].as_str().map(str::to_string),
        mutation_scope: match &wire["scope"] {
            Value::Null => Vec::new(),
            v => strings_at(v, "workItem.mutation_scope")?,
        },
    };
    let count = |i: usize| js::to_number(wire["counts"].get(i));
    let counts = [count(0), count(1), count(2)];
    let empty = Vec::new();
    let evidence = wire["evidence"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .enumerate()
        .map(|(i, e)| {
            Ok(EvidenceView {
                evidence_id: string_at(&e[0], || format!("evidenceItems[{i}].evidence_id"))?,
                kind: e[1].clone(),
                content: string_at(&e[2], || {
                    format!("the evidenceContents value of evidenceItems[{i}]")
                })?,
            })
        })
        .collect::<OxeResult<Vec<_>>>()?;
    let lessons = wire["lessons"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .enumerate()
        .map(|(i, l)| {
            Ok(LessonView {
                tags: strings_at(&l[0], &format!("lessons[{i}].tags"))?,
                content: string_at(&l[1], || format!("lessons[{i}].content"))?,
            })
        })
        .collect::<OxeResult<Vec<_>>>()?;
    let plan = build(&wi, counts, &evidence, &lessons, opts)?;
    let mut kept = Vec::with_capacity(plan.artifacts.len() * 3);
    for a in &plan.artifacts {
        let (src, idx) = match a.source {
            Source::Evidence(i) => (0, i),
            Source::Lesson(i) => (1, i),
            Source::Summary => (2, 0),
        };
        kept.extend([json!(src), json!(idx), js::number(a.score)]);
    }
    let mut out = json!({
        "kept": kept,
        "considered": plan.total_artifacts_considered,
        "removed": plan.redundancy_removed,
        "built_at": plan.built_at,
    });
    if let Some((id, content)) = plan.summary {
        out["summary"] = json!({
            "id": id,
            "kind": "summary",
            "content": content,
            "relevanceScore": SUMMARY_SCORE,
            "tags": [SUMMARY_TAG],
        });
    }
    Ok(out)
}

// --------------------------------------------------------------- quality

/// `ContextQualityScore`, each value rounded to 2 decimals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QualityScore {
    pub completeness: f64,
    pub relevance_mean: f64,
    pub redundancy: f64,
    pub recency_score: f64,
    pub overall: f64,
}

const DAY_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;

/// `scorePackQuality(pack, profile)`. `expected_kinds` are the keys of the
/// profile's weights; `kinds` and `scores` are the artifacts' `kind` and
/// `relevanceScore`; `considered` is `total_artifacts_considered`;
/// `built_at_ms` is `new Date(pack.built_at).getTime()` (NaN if invalid).
pub fn score_pack_quality(
    expected_kinds: &[String],
    kinds: &[Value],
    scores: &[f64],
    considered: f64,
    built_at_ms: f64,
) -> QualityScore {
    let present = |k: &str| kinds.iter().any(|v| v.as_str() == Some(k));
    let completeness = if expected_kinds.is_empty() {
        0.0
    } else {
        expected_kinds.iter().filter(|k| present(k)).count() as f64 / expected_kinds.len() as f64
    };
    let n = scores.len() as f64;
    let relevance_mean = if scores.is_empty() {
        0.0
    } else {
        scores.iter().fold(0.0, |sum, s| sum + s) / n
    };
    let redundancy = if considered > 0.0 {
        1.0 - n / considered
    } else {
        0.0
    };
    let age_ms = clock::now_ms() as f64 - built_at_ms;
    let recency_score = js::max(0.0, 1.0 - age_ms / DAY_MS);
    let overall = js::min(
        1.0,
        0.3 * completeness
            + 0.35 * relevance_mean
            + 0.1 * (1.0 - redundancy)
            + 0.25 * recency_score,
    );
    QualityScore {
        completeness: js::round2(completeness),
        relevance_mean: js::round2(relevance_mean),
        redundancy: js::round2(redundancy),
        recency_score: js::round2(recency_score),
        overall: js::round2(overall),
    }
}

// ---------------------------------------------------------- scope filter

/// `filterByMutationScope(artifacts, scope, tier)`: `None` for tiers L2 and
/// L3 (the caller's array is returned as is); otherwise the indices of the
/// artifacts kept: those with no path-like tag (one containing `/` or `\`),
/// and those with a path-like tag that contains, or is contained in, a
/// lowercased scope entry.
pub fn filter_by_mutation_scope(
    tags: &[Vec<String>],
    scope: &[String],
    tier: Option<&str>,
) -> Option<Vec<usize>> {
    if matches!(tier, Some("L2" | "L3")) {
        return None;
    }
    let scope: Vec<String> = scope.iter().map(|s| s.to_lowercase()).collect();
    let keep = |artifact_tags: &Vec<String>| {
        let mut path_tags = artifact_tags
            .iter()
            .filter(|t| t.contains('/') || t.contains('\\'))
            .peekable();
        if path_tags.peek().is_none() {
            return true;
        }
        path_tags.any(|tag| {
            let tag = tag.to_lowercase();
            scope
                .iter()
                .any(|s| tag.contains(s.as_str()) || s.contains(tag.as_str()))
        })
    };
    Some(
        tags.iter()
            .enumerate()
            .filter(|(_, t)| keep(t))
            .map(|(i, _)| i)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wi() -> WorkItemView {
        WorkItemView {
            run_id: "r-001".into(),
            title: Some("Add authentication middleware".into()),
            mutation_scope: vec!["src/auth".into(), "src/middleware".into()],
        }
    }

    fn ev(id: &str, kind: &str, content: &str) -> EvidenceView {
        EvidenceView {
            evidence_id: id.into(),
            kind: json!(kind),
            content: content.into(),
        }
    }

    #[test]
    fn evidence_scores_follow_the_bonuses() {
        let t = ItemTerms::new(&wi()).unwrap();
        assert_eq!(t.evidence_score(&ev("x", "stdout", "c")), 0.5);
        assert_eq!(t.evidence_score(&ev("SRC/AUTH-x", "stdout", "c")), 0.8);
        assert_eq!(
            t.evidence_score(&ev("src/auth-middleware", "junit_xml", "c")),
            0.5 + 0.3 + 0.1 + 0.05
        );
        assert_eq!(t.evidence_score(&ev("diff", "diff", "c")), 0.55);
    }

    #[test]
    fn lesson_jaccard_counts_duplicate_tags() {
        let t = ItemTerms::new(&wi()).unwrap();
        let l = |tags: &[&str]| LessonView {
            tags: tags.iter().map(|s| s.to_string()).collect(),
            content: String::new(),
        };
        // item tags: src/auth, src/middleware, authentication, middleware
        assert_eq!(t.lesson_score(&l(&[])), 0.3);
        assert_eq!(t.lesson_score(&l(&["Middleware"])), 0.3 + 0.25 * 0.7);
        assert_eq!(
            t.lesson_score(&l(&["middleware", "middleware"])),
            0.3 + 0.5 * 0.7
        );
        let one = ItemTerms::from_terms(vec!["auth".into()], vec![]);
        assert_eq!(one.lesson_score(&l(&["AUTH", "auth"])), 1.0);
        let none = ItemTerms::from_terms(vec![], vec![]);
        assert_eq!(none.lesson_score(&l(&[])), 0.3);
    }

    #[test]
    fn dedup_cap_and_budget() {
        let content =
            "All auth middleware tests passed successfully and authentication is working.";
        let evs = vec![
            ev("ev-001", "stdout", content),
            ev("ev-002", "stdout", &format!("{content} (same)")),
            ev("ev-003", "stdout", ""),
        ];
        let opts = PackOptions::new(None, None, Some(0.7));
        let plan = build(&wi(), [0.0; 3], &evs, &[], &opts).unwrap();
        assert_eq!(plan.total_artifacts_considered, 2);
        assert_eq!(plan.redundancy_removed, 1);
        assert_eq!(plan.artifacts.len(), 1);

        let big = vec![ev("big", "stdout", &"A".repeat(500))];
        let plan = build(
            &wi(),
            [0.0; 3],
            &big,
            &[],
            &PackOptions::new(None, Some(20.0), None),
        )
        .unwrap();
        assert!(plan.artifacts.is_empty());

        // the budget stops at the first artifact that does not fit
        let evs = vec![
            ev("a-diff", "diff", &"x ".repeat(20)),
            ev("b", "stdout", &"y".repeat(400)),
            ev("c", "stdout", "z"),
        ];
        let plan = build(
            &wi(),
            [0.0; 3],
            &evs,
            &[],
            &PackOptions::new(None, Some(50.0), None),
        )
        .unwrap();
        assert_eq!(plan.artifacts.len(), 1);
        assert_eq!(plan.artifacts[0].source, Source::Evidence(0));

        let evs: Vec<_> = (0..10)
            .map(|i| ev(&format!("ev-{i}"), "stdout", &format!("Content item{i}")))
            .collect();
        let plan = build(
            &wi(),
            [0.0; 3],
            &evs,
            &[],
            &PackOptions::new(Some(2.0), None, None),
        )
        .unwrap();
        assert_eq!(plan.artifacts.len(), 2);
        let plan = build(
            &wi(),
            [0.0; 3],
            &evs,
            &[],
            &PackOptions::new(Some(-8.0), None, None),
        )
        .unwrap();
        assert_eq!(plan.artifacts.len(), 2);
    }

    #[test]
    fn summary_and_token_lengths() {
        let plan = build(&wi(), [3.0, 1.0, 0.0], &[], &[], &PackOptions::default()).unwrap();
        assert_eq!(
            plan.artifacts,
            [Chosen {
                source: Source::Summary,
                score: 0.4
            }]
        );
        let (id, content) = plan.summary.unwrap();
        assert_eq!(id, "run-summary-r-001");
        assert_eq!(content, "Run progress: 3 completed, 1 failed, 0 blocked.");
        assert_eq!(estimate_tokens("🎉🎉"), 1);
        assert_eq!(estimate_tokens("abcde"), 2);
        assert_eq!(estimate_tokens(""), 0);
    }

    #[test]
    fn title_needed_only_when_scoring() {
        let mut w = wi();
        w.title = None;
        assert!(build(
            &w,
            [0.0; 3],
            &[ev("e", "stdout", "")],
            &[],
            &PackOptions::default()
        )
        .is_ok());
        let e = build(
            &w,
            [0.0; 3],
            &[ev("e", "stdout", "x")],
            &[],
            &PackOptions::default(),
        )
        .unwrap_err();
        assert_eq!(e.code(), "OXE_E_ARG");
    }

    #[test]
    fn odd_thresholds_behave_like_js() {
        let evs = vec![
            ev("a", "stdout", "word words wordy"),
            ev("b", "stdout", "!!"),
        ];
        // threshold 0: an empty word set is similar (0 >= 0) to everything
        let plan = build(
            &wi(),
            [0.0; 3],
            &evs,
            &[],
            &PackOptions::new(None, None, Some(0.0)),
        )
        .unwrap();
        assert_eq!(plan.redundancy_removed, 1);
        // NaN: nothing is ever a duplicate, and NaN budgets never stop
        let nan = PackOptions::new(None, Some(f64::NAN), Some(f64::NAN));
        let plan = build(&wi(), [0.0; 3], &evs, &[], &nan).unwrap();
        assert_eq!((plan.redundancy_removed, plan.artifacts.len()), (0, 2));
    }

    #[test]
    fn slice_end_like_js() {
        assert_eq!(slice_end(2.0, 5), 2);
        assert_eq!(slice_end(2.9, 5), 2);
        assert_eq!(slice_end(-2.0, 5), 3);
        assert_eq!(slice_end(-9.0, 5), 0);
        assert_eq!(slice_end(f64::NAN, 5), 0);
        assert_eq!(slice_end(f64::INFINITY, 5), 5);
    }

    #[test]
    fn quality_scores() {
        let kinds = ["evidence", "lesson", "file", "summary"].map(String::from);
        let now = clock::now_ms() as f64;
        let q = score_pack_quality(
            &kinds,
            &[json!("evidence"), json!("lesson")],
            &[0.7, 0.75],
            4.0,
            now,
        );
        assert_eq!(q.completeness, 0.5);
        assert_eq!(q.relevance_mean, js::round2((0.7 + 0.75) / 2.0));
        assert_eq!(q.redundancy, 0.5);
        assert_eq!(q.recency_score, 1.0);
        assert_eq!(q.overall, js::round2(0.15 + 0.35 * 0.725 + 0.05 + 0.25));
        let old = score_pack_quality(&kinds, &[], &[], 0.0, now - 2.0 * DAY_MS);
        assert_eq!(
            (old.relevance_mean, old.recency_score, old.redundancy),
            (0.0, 0.0, 0.0)
        );
        let bad = score_pack_quality(&kinds, &[], &[], 0.0, f64::NAN);
        assert!(bad.recency_score.is_nan() && bad.overall.is_nan());
    }

    #[test]
    fn scope_filter() {
        let tags = vec![
            vec!["src/API/handler.ts".to_string()],
            vec!["src/other/handler.ts".to_string()],
            vec!["junit".to_string(), "T1".to_string()],
            vec!["src".to_string(), "x\\y".to_string()],
        ];
        let scope = vec!["src/api".to_string()];
        assert_eq!(filter_by_mutation_scope(&tags, &scope, Some("L2")), None);
        assert_eq!(
            filter_by_mutation_scope(&tags, &scope, Some("L1")),
            Some(vec![0, 2])
        );
        let wide = vec!["src/api/handler.ts/extra".to_string()];
        assert_eq!(
            filter_by_mutation_scope(&tags, &wide, None),
            Some(vec![0, 2])
        );
    }
}
