//! Plan review writes: the review bullets in STATE.md, the regenerated
//! PLAN-REVIEW.md, the comments JSON and their trace events.
//!
//! Every read-modify-write runs under the store's file lock
//! ([`store::with_lock`]) and every file is replaced atomically, so a page
//! and a CLI writing at once never lose an update.

use std::path::{Path, PathBuf};

use oxe_runtime::{clock, jsjson, store};
use serde_json::{json, Map, Value};

use super::{DashError, DashResult};
use crate::i18n::Lang;
use crate::parsers::state::{parse_active_session, parse_plan_review_status};
use crate::runtime_cmd::js::{self, get, text_or};
use crate::runtime_cmd::ops::{read_text, Op};

/// The STATE.md section holding the review bullets (a 1.4.0 file-format
/// label: other tools find the bullets under it).
pub const STATE_SECTION: &str = "Revisão do plano (opcional — dashboard / aprovação)";

/// Where a scope's review files live.
#[derive(Debug, Clone)]
pub struct ReviewPaths {
    pub state: PathBuf,
    pub plan_review: PathBuf,
    pub comments: PathBuf,
    pub plan: PathBuf,
}

/// The review files of the project or of `session` (validated: it must
/// stay inside `.oxe/`).
pub fn review_paths(root: &Path, session: Option<&str>) -> DashResult<ReviewPaths> {
    let oxe = root.join(".oxe");
    let state = oxe.join("STATE.md");
    Ok(match session {
        None => ReviewPaths {
            state,
            plan_review: oxe.join("PLAN-REVIEW.md"),
            comments: oxe.join("plan-review-comments.json"),
            plan: oxe.join("PLAN.md"),
        },
        Some(s) => {
            let mut dir = oxe.clone();
            for seg in super::session_segments(s)? {
                dir.push(seg);
            }
            let plan_dir = dir.join("plan");
            ReviewPaths {
                state,
                plan_review: plan_dir.join("PLAN-REVIEW.md"),
                comments: plan_dir.join("plan-review-comments.json"),
                plan: plan_dir.join("PLAN.md"),
            }
        }
    })
}

/// The session a write applies to: the input's `activeSession` when the
/// key is present (`null` or `""` meaning none), else STATE.md's.
pub fn input_session(root: &Path, input: &Value) -> Option<String> {
    match input.get("activeSession") {
        Some(v) => js::truthy_of(Some(v)).map(js::js_string),
        None => {
            let state = read_text(&root.join(".oxe").join("STATE.md")).unwrap_or_default();
            parse_active_session(&state)
        }
    }
}

fn t(lang: Lang, en: &'static str, pt: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::PtBr => pt,
    }
}

/// Byte offset of the first `##<ws><title>` heading (title compared
/// case-insensitively) and the end of its heading line(s): the position
/// after the last newline of the whitespace that follows the title.
fn find_section(text: &str, title: &str) -> Option<(usize, usize)> {
    let want = title.to_lowercase();
    let mut from = 0;
    while let Some(rel) = text[from..].find("##") {
        let at = from + rel;
        let mut p = at + 2;
        while let Some(c) = text[p..].chars().next().filter(|c| c.is_whitespace()) {
            p += c.len_utf8();
        }
        let rest = &text[p..];
        let head: String = rest.chars().take(want.chars().count()).collect();
        if head.to_lowercase() == want {
            let mut q = p + head.len();
            let mut last_nl = None;
            while let Some(c) = text[q..].chars().next().filter(|c| c.is_whitespace()) {
                q += c.len_utf8();
                if c == '\n' {
                    last_nl = Some(q);
                }
            }
            if let Some(end) = last_nl {
                return Some((at, end));
            }
        }
        from = at + 2;
    }
    None
}

/// Sets `- **<label>:** <value>` inside the section `## <title>` of a
/// Markdown text (the section is appended when missing; an existing bullet
/// with that label is replaced in place).
pub fn upsert_bullet(text: &str, title: &str, label: &str, value: &str) -> String {
    let mut text = text.to_string();
    if find_section(&text, title).is_none() {
        text = format!("{}\n\n## {title}\n\n", text.trim_end());
    }
    let Some((_, body_start)) = find_section(&text, title) else {
        return text;
    };
    let body_end = text[body_start..]
        .match_indices("\n##")
        .find(|(i, _)| {
            text[body_start + i + 3..]
                .chars()
                .next()
                .is_some_and(char::is_whitespace)
        })
        .map_or(text.len(), |(i, _)| body_start + i);
    let body = &text[body_start..body_end];
    let line = format!("- **{label}:** {value}");
    let prefix = format!("- **{}:**", label.to_lowercase());
    let mut replaced = false;
    let mut lines: Vec<String> = Vec::new();
    for l in body.split('\n') {
        if !replaced && l.to_lowercase().starts_with(&prefix) {
            lines.push(line.clone());
            replaced = true;
        } else {
            lines.push(l.to_string());
        }
    }
    let new_body = if replaced {
        lines.join("\n")
    } else {
        let trimmed = body.trim_end();
        if trimmed.is_empty() {
            format!("{line}\n")
        } else {
            format!("{trimmed}\n{line}\n")
        }
    };
    format!("{}{}{}", &text[..body_start], new_body, &text[body_end..])
}

fn read_comments(path: &Path) -> Vec<Value> {
    match crate::runtime_cmd::ops::read_json(path) {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    }
}

fn comment_line(c: &Value) -> String {
    let f = |k: &str, d: &str| {
        js::truthy_of(c.get(k))
            .map(js::js_string)
            .unwrap_or_else(|| d.to_string())
    };
    format!(
        "- **{}** [{} | {}] {}",
        f("target", "plan"),
        f("type", "note"),
        f("status", "open"),
        f("text", "")
    )
}

fn review_markdown(
    status: &str,
    now: &str,
    author: &str,
    note: &str,
    plan: &Path,
    comments: &[Value],
    lang: Lang,
) -> String {
    let none = t(lang, "- None", "- Nenhum");
    let list = |resolved: bool| {
        let l: Vec<String> = comments
            .iter()
            .filter(|c| (c.get("status").and_then(Value::as_str) == Some("resolved")) == resolved)
            .map(comment_line)
            .collect();
        if l.is_empty() {
            none.to_string()
        } else {
            l.join("\n")
        }
    };
    let next = if status == "approved" {
        t(
            lang,
            "- Go ahead: `/oxe-execute`, or `oxe-cc status` to see where the cycle stands.",
            "- Pode seguir: `/oxe-execute`, ou `oxe-cc status` para ver em que ponto o ciclo está.",
        )
    } else {
        t(
            lang,
            "- Revise the plan first (`/oxe-plan --replan`), then ask for a new review.",
            "- Revise o plano antes (`/oxe-plan --replan`) e peça uma nova revisão.",
        )
    };
    let plan_name = plan
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let date = now.get(..10).unwrap_or(now);
    let mut s = format!(
        "---\noxe_doc: plan_review\nstatus: {status}\nupdated: {date}\nplan_ref: {plan_name}\n---\n\n"
    );
    s.push_str(t(lang, "# Plan review\n\n", "# Revisão do plano\n\n"));
    s.push_str(&format!(
        "{}\n\n- **Status:** {status}\n- **{}:** {now}\n- **{}:** {}\n- **{}:** {author}\n\n",
        t(lang, "## Status", "## Situação"),
        t(lang, "Updated", "Atualizado"),
        t(lang, "Source", "Fonte"),
        t(lang, "local dashboard", "dashboard local"),
        t(lang, "Author", "Autor"),
    ));
    s.push_str(&format!(
        "{}\n\n- **{}:** {status}\n- **{}:** {note}\n\n",
        t(lang, "## Decision", "## Decisão"),
        t(lang, "Result", "Resultado"),
        t(lang, "Rationale", "Motivo"),
    ));
    s.push_str(&format!(
        "{}\n\n{}\n\n",
        t(lang, "## Open comments", "## Comentários em aberto"),
        list(false)
    ));
    s.push_str(&format!(
        "{}\n\n{}\n\n",
        t(lang, "## Resolved comments", "## Comentários resolvidos"),
        list(true)
    ));
    s.push_str(&format!(
        "{}\n\n{next}\n",
        t(lang, "## Next step", "## Próximo passo")
    ));
    s
}

fn rel_to_oxe(root: &Path, p: &Path) -> String {
    p.strip_prefix(root.join(".oxe"))
        .map(|r| r.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| p.to_string_lossy().into_owned())
}

fn s(v: Option<&Value>, d: &str) -> String {
    text_or(v, d)
}

/// `savePlanReviewStatus(root, {status, note, author, activeSession})`.
pub fn save_status(root: &Path, input: &Value, lang: Lang) -> DashResult<Value> {
    let session = input_session(root, input);
    let p = review_paths(root, session.as_deref())?;
    let i = Some(input);
    let status = s(get(i, "status"), "draft");
    let note = s(get(i, "note"), "—");
    let author = s(get(i, "author"), "dashboard");
    let now = clock::now_iso();
    let review_ref = rel_to_oxe(root, &p.plan_review);
    store::with_lock(&p.state, || {
        let state = read_text(&p.state).unwrap_or_else(|| "# OXE — STATE\n".to_string());
        let mut next = state;
        for (label, value) in [
            ("plan_review_status", format!("`{status}`")),
            ("plan_review_updated", format!("`{now}`")),
            ("plan_review_ref", format!("`{review_ref}`")),
            ("Notas", note.clone()),
        ] {
            next = upsert_bullet(&next, STATE_SECTION, label, &value);
        }
        store::write_atomic(&p.state, next.as_bytes())?;
        let comments = read_comments(&p.comments);
        let md = review_markdown(&status, &now, &author, &note, &p.plan, &comments, lang);
        store::write_atomic(&p.plan_review, md.as_bytes())
    })?;
    let op = Op::new(root, session.as_deref(), lang);
    op.append_event(&json!({
        "type": "plan_review_status_changed",
        "payload": {"status": status, "note": note, "author": author, "review_ref": review_ref},
    }))
    .map_err(DashError::op)?;
    Ok(json!({
        "status": status,
        "updatedAt": now,
        "ref": p.plan_review.to_string_lossy(),
        "note": note,
        "author": author,
        "activeSession": session,
    }))
}

/// A comment id `c-<ms base36>` not yet used in `comments`.
fn new_comment_id(comments: &[Value]) -> String {
    let mut ms = clock::now_ms().max(0) as u64;
    loop {
        let id = format!("c-{}", clock::to_base36(ms));
        if !comments
            .iter()
            .any(|c| c.get("id").and_then(Value::as_str) == Some(id.as_str()))
        {
            return id;
        }
        ms += 1;
    }
}

fn current_status(root: &Path) -> Option<String> {
    parse_plan_review_status(&read_text(&root.join(".oxe").join("STATE.md")).unwrap_or_default())
}

/// `addPlanReviewComment(root, {target, type, text, author, activeSession})`:
/// appends the comment, records the event and re-saves the review status.
pub fn add_comment(root: &Path, input: &Value, lang: Lang) -> DashResult<Value> {
    let session = input_session(root, input);
    let p = review_paths(root, session.as_deref())?;
    let i = Some(input);
    let author = s(get(i, "author"), "dashboard");
    let comment = store::with_lock(&p.comments, || {
        let mut comments = read_comments(&p.comments);
        let mut m = Map::new();
        m.insert("id".into(), json!(new_comment_id(&comments)));
        m.insert("target".into(), json!(s(get(i, "target"), "plan")));
        m.insert("type".into(), json!(s(get(i, "type"), "note")));
        m.insert("status".into(), json!("open"));
        m.insert("author".into(), json!(author));
        m.insert("created_at".into(), json!(clock::now_iso()));
        m.insert(
            "text".into(),
            json!(crate::jstext::trim(&s(get(i, "text"), ""))),
        );
        let c = Value::Object(m);
        comments.push(c.clone());
        store::write_atomic(
            &p.comments,
            jsjson::to_pretty(&Value::Array(comments)).as_bytes(),
        )?;
        Ok(c)
    })?;
    let op = Op::new(root, session.as_deref(), lang);
    op.append_event(&json!({
        "type": "plan_review_comment_added",
        "payload": {"comment_id": comment["id"], "target": comment["target"], "comment_type": comment["type"]},
    }))
    .map_err(DashError::op)?;
    save_status(
        root,
        &json!({
            "activeSession": session,
            "status": current_status(root).unwrap_or_else(|| "in_review".into()),
            "note": t(lang, "Open review comments", "Há comentários de revisão em aberto"),
            "author": author,
        }),
        lang,
    )?;
    Ok(comment)
}

/// `updatePlanReviewCommentStatus(root, {commentId, status, activeSession})`:
/// the updated comment, or `None` for an unknown id. With `resave` (the
/// HTTP route), the review status is saved again afterwards.
pub fn update_comment(
    root: &Path,
    input: &Value,
    resave: bool,
    lang: Lang,
) -> DashResult<Option<Value>> {
    let session = input_session(root, input);
    let p = review_paths(root, session.as_deref())?;
    let i = Some(input);
    let wanted = get(i, "commentId").cloned().unwrap_or(Value::Null);
    let status = s(get(i, "status"), "resolved");
    let updated = store::with_lock(&p.comments, || {
        let mut comments = read_comments(&p.comments);
        let Some(c) = comments.iter_mut().find(|c| c.get("id") == Some(&wanted)) else {
            return Ok(None);
        };
        if let Value::Object(m) = c {
            m.insert("status".into(), json!(status));
            m.insert("updated_at".into(), json!(clock::now_iso()));
        }
        let out = c.clone();
        store::write_atomic(
            &p.comments,
            jsjson::to_pretty(&Value::Array(comments)).as_bytes(),
        )?;
        Ok(Some(out))
    })?;
    let Some(comment) = updated else {
        return Ok(None);
    };
    let op = Op::new(root, session.as_deref(), lang);
    op.append_event(&json!({
        "type": "plan_review_comment_updated",
        "payload": {"comment_id": comment["id"], "status": comment["status"]},
    }))
    .map_err(DashError::op)?;
    if resave {
        save_status(
            root,
            &json!({
                "activeSession": session,
                "status": current_status(root).unwrap_or_else(|| "in_review".into()),
                "note": t(lang, "Review comments updated", "Comentários de revisão atualizados"),
                "author": s(get(i, "author"), "dashboard"),
            }),
            lang,
        )?;
    }
    Ok(Some(comment))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upsert_creates_then_replaces() {
        let a = upsert_bullet("# S\n", STATE_SECTION, "plan_review_status", "`draft`");
        assert_eq!(
            a,
            format!("# S\n\n## {STATE_SECTION}\n\n- **plan_review_status:** `draft`\n")
        );
        let b = upsert_bullet(&a, STATE_SECTION, "Notas", "x");
        assert!(b.ends_with("`draft`\n- **Notas:** x\n"), "{b}");
        let c = upsert_bullet(&b, STATE_SECTION, "plan_review_status", "`approved`");
        assert!(c.contains("- **plan_review_status:** `approved`\n- **Notas:** x"));
        assert_eq!(c.matches("plan_review_status").count(), 1);
    }

    #[test]
    fn upsert_stays_inside_its_section() {
        let text =
            format!("# S\n\n## {STATE_SECTION}\n\n- **Notas:** a\n\n## Other\n\n- **Notas:** b\n");
        let out = upsert_bullet(&text, STATE_SECTION, "Notas", "c");
        assert!(
            out.contains("- **Notas:** c\n\n## Other\n\n- **Notas:** b\n"),
            "{out}"
        );
        let out = upsert_bullet(&text, STATE_SECTION, "plan_review_status", "`x`");
        assert!(
            out.contains("- **Notas:** a\n- **plan_review_status:** `x`\n\n## Other"),
            "{out}"
        );
    }

    #[test]
    fn comment_ids_never_collide() {
        let first = new_comment_id(&[]);
        let second = new_comment_id(&[json!({"id": first})]);
        assert_ne!(first, second);
    }

    #[test]
    fn session_paths_refuse_escapes() {
        let root = Path::new("/p");
        assert!(review_paths(root, Some("../x")).is_err());
        assert!(review_paths(root, Some("/etc")).is_err());
        let p = review_paths(root, Some("sessions/s001-a")).ok();
        assert_eq!(
            p.map(|p| p.comments),
            Some(PathBuf::from(
                "/p/.oxe/sessions/s001-a/plan/plan-review-comments.json"
            ))
        );
    }
}
