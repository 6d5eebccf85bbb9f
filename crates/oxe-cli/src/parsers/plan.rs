//! `parsePlan(planMd)`: the tasks of a PLAN.md.
//!
//! A task starts at a line `### T<n> — title` (an em dash or a hyphen; a
//! heading without one is not a task) and runs to the next `### T<n>`
//! line. Inside it, 1.4.0 reads the labels `**Onda:**`, `**Depende de:**`,
//! `**Arquivos prováveis:**`, `Comando: \`…\``, `**Aceite vinculado:**`,
//! `**Decisão vinculada:**` and the JSON comment `<!-- oxe-task: {…} -->`.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{first_labeled, labeled_line, prefixed_ids};
use crate::jstext::{self, backticked, eat, is_line_start, is_ws, ws_end};

/// One task, with the keys and key order of 1.4.0.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanTask {
    pub id: String,
    pub title: String,
    /// `**Onda:** n` (a double, as `parseInt` gives it), or null.
    pub wave: Option<f64>,
    #[serde(rename = "dependsOn")]
    pub depends_on: Vec<String>,
    pub files: Vec<String>,
    #[serde(rename = "verifyCommand")]
    pub verify_command: Option<String>,
    pub aceite: Vec<String>,
    pub decisions: Vec<String>,
    pub done: bool,
    pub meta: Option<Value>,
}

/// The result of `parsePlan`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub tasks: Vec<PlanTask>,
    /// Wave number (as JS renders it) → task ids, in first-seen order.
    pub waves: Map<String, Value>,
    #[serde(rename = "totalTasks")]
    pub total_tasks: usize,
}

impl Plan {
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// A task heading `^###\s+(T\d+)\s*[—-]\s*` at `at`: the id and the end
/// of the match (after the whitespace that follows the dash).
fn task_heading(s: &str, at: usize) -> Option<(&str, usize)> {
    if !is_line_start(s, at) {
        return None;
    }
    let p = eat(s, at, "###", false)?;
    let q = ws_end(s, p);
    if q == p {
        return None;
    }
    let d0 = eat(s, q, "T", false)?;
    let digits = s[d0..].bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let id_end = d0 + digits;
    let r = ws_end(s, id_end);
    let dash = jstext::char_at(s, r).filter(|c| *c == '—' || *c == '-')?;
    Some((&s[q..id_end], ws_end(s, r + dash.len_utf8())))
}

/// The text of a task: its segment up to a line (or the segment's own
/// start) that begins `###\s+T<digit>`.
fn task_body(seg: &str) -> &str {
    for (i, _) in seg.char_indices() {
        if !is_line_start(seg, i) {
            continue;
        }
        let Some(p) = eat(seg, i, "###", false) else {
            continue;
        };
        let q = ws_end(seg, p);
        if q > p
            && seg[q..].starts_with('T')
            && seg[q + 1..]
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_digit())
        {
            return &seg[..i];
        }
    }
    seg
}

/// `<!--\s*oxe-task:\s*(\{[\s\S]*?\})\s*-->`: the JSON text of the first
/// task comment (up to the first `}` followed by `-->`).
fn meta_text(s: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(i) = s[from..].find("<!--") {
        let at = from + i;
        from = at + 4;
        let Some(p) = eat(s, ws_end(s, at + 4), "oxe-task:", false) else {
            continue;
        };
        let brace = ws_end(s, p);
        if !s[brace..].starts_with('{') {
            continue;
        }
        let mut q = brace + 1;
        while let Some(j) = s[q..].find('}') {
            let close = q + j;
            if eat(s, ws_end(s, close + 1), "-->", false).is_some() {
                return Some(&s[brace..=close]);
            }
            q = close + 1;
        }
    }
    None
}

fn parse_task(id: &str, rest: &str) -> PlanTask {
    let title = if rest.is_empty() || rest.starts_with('\n') {
        String::new()
    } else {
        let line = rest.split('\n').next().unwrap_or_default();
        jstext::trim(line).to_string()
    };
    let wave = first_labeled(rest, &["**Onda:**"], |s, after| {
        let p = ws_end(s, after);
        let n = s[p..].bytes().take_while(u8::is_ascii_digit).count();
        (n > 0).then(|| jstext::digits_value(&s[p..p + n]))
    });
    let depends_on = labeled_line(rest, &["**Depende", "de:**"])
        .map(|line| {
            line.split(|c: char| c == ',' || is_ws(c))
                .filter(|t| super::is_prefixed_id(t, "T") && t.starts_with('T'))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let files = labeled_line(rest, &["**Arquivos", "prováveis:**"])
        .map(|line| backticked(line).into_iter().map(str::to_string).collect())
        .unwrap_or_default();
    let verify_command = first_labeled(rest, &["Comando:"], |s, after| {
        let p = ws_end(s, after);
        if !s[p..].starts_with('`') {
            return None;
        }
        let body = &s[p + 1..];
        match body.find('`') {
            Some(n) if n > 0 => Some(body[..n].to_string()),
            _ => None,
        }
    });
    let ids = |words: &[&str], prefix: &str| -> Vec<String> {
        labeled_line(rest, words)
            .map(|line| {
                prefixed_ids(line, prefix)
                    .into_iter()
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let aceite = ids(&["**Aceite", "vinculado:**"], "A");
    let decisions = ids(&["**Decisão", "vinculada:**"], "D-");
    let meta = meta_text(rest)
        .and_then(|t| oxe_runtime::jsjson::parse(t).ok())
        .filter(Value::is_object);
    let done = meta
        .as_ref()
        .and_then(|m| m.get("done"))
        .is_some_and(|d| *d == Value::Bool(true));
    PlanTask {
        id: id.to_string(),
        title,
        wave,
        depends_on,
        files,
        verify_command,
        aceite,
        decisions,
        done,
        meta,
    }
}

/// `parsePlan(planMd)`.
pub fn parse_plan(md: &str) -> Plan {
    let mut heads: Vec<(usize, usize, &str)> = Vec::new();
    let mut p = 0;
    while p < md.len() {
        if let Some((id, end)) = task_heading(md, p) {
            heads.push((p, end, id));
            p = end;
            continue;
        }
        p += jstext::char_at(md, p).map_or(1, char::len_utf8);
    }
    let mut tasks = Vec::with_capacity(heads.len());
    let mut waves = Map::new();
    for (k, &(_, end, id)) in heads.iter().enumerate() {
        let seg_end = heads.get(k + 1).map_or(md.len(), |h| h.0);
        let task = parse_task(id, task_body(&md[end..seg_end]));
        if let Some(w) = task.wave {
            let key = oxe_runtime::jsjson::number_to_js_string(w);
            let entry = waves.entry(key).or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(ids) = entry {
                ids.push(Value::String(task.id.clone()));
            }
        }
        tasks.push(task);
    }
    let total_tasks = tasks.len();
    Plan {
        tasks,
        waves,
        total_tasks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "\n## Tarefas\n\n### T1 — Login endpoint\n- **Arquivos prováveis:** `src/auth.ts`, `src/routes.ts`\n- **Depende de:** —\n- **Onda:** 1\n- **Verificar:**\n  - Comando: `npm test -- auth`\n- **Aceite vinculado:** A1, A2\n<!-- oxe-task: {\"id\":\"T1\",\"done\":true} -->\n\n### T2 - JWT middleware\n- **Depende de:** T1, T3x\n- **Onda:** 2\n- **Decisão vinculada:** D-01, D-02\n";

    #[test]
    fn reads_tasks() {
        let p = parse_plan(PLAN);
        assert_eq!(p.total_tasks, 2);
        let t1 = &p.tasks[0];
        assert_eq!(t1.id, "T1");
        assert_eq!(t1.title, "Login endpoint");
        assert_eq!(t1.wave, Some(1.0));
        assert!(t1.depends_on.is_empty());
        assert_eq!(t1.files, vec!["src/auth.ts", "src/routes.ts"]);
        assert_eq!(t1.verify_command.as_deref(), Some("npm test -- auth"));
        assert_eq!(t1.aceite, vec!["A1", "A2"]);
        assert!(t1.done);
        let t2 = &p.tasks[1];
        assert_eq!(t2.depends_on, vec!["T1"]);
        assert_eq!(t2.decisions, vec!["D-01", "D-02"]);
        assert_eq!(t2.meta, None);
        assert_eq!(
            oxe_runtime::jsjson::to_line(&Value::Object(p.waves)),
            r#"{"1":["T1"],"2":["T2"]}"#
        );
    }

    #[test]
    fn odd_headings() {
        assert_eq!(parse_plan("### T1 Title\n").total_tasks, 0);
        assert_eq!(parse_plan("#### T1 — x\n").total_tasks, 0);
        // the whitespace after the dash runs into the next line
        let p = parse_plan("### T1 —\n\n- **Onda:** 3\n");
        assert_eq!(p.tasks[0].title, "- **Onda:** 3");
        assert_eq!(p.tasks[0].wave, Some(3.0));
        // a heading line that is not a task still ends the previous task
        let p = parse_plan("### T1 — a\n- **Onda:** 1\n### T2 b\n- **Onda:** 2\n");
        assert_eq!(p.tasks.len(), 1);
        assert_eq!(p.tasks[0].wave, Some(1.0));
    }

    #[test]
    fn broken_meta_is_null() {
        let p = parse_plan("### T1 — x\n<!-- oxe-task: {id: broken -->\n");
        assert_eq!(p.tasks[0].meta, None);
        assert!(!p.tasks[0].done);
    }
}
