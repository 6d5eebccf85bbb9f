//! The dashboard's readers of the `.oxe/` Markdown files, producing the
//! JSON shapes of 1.4.0's dashboard context: the plan (tasks and an array
//! of waves), the SPEC criteria, EXECUTION-RUNTIME, the CHECKPOINTS index,
//! the SESSIONS index, a SESSION.md and VERIFY.md.

use serde_json::{json, Value};

use crate::parsers::markdown::{label_value, rows_of, section_items};
use crate::parsers::verify::parse_verify;
use crate::parsers::{plan::parse_plan, spec::parse_spec};
use crate::plan_verify_cmd::group_waves;

use crate::runtime_cmd::js::num;

/// `{tasks, totalTasks, waves:[{wave, taskIds, tasks}]}`.
pub fn plan(md: &str) -> Value {
    let p = parse_plan(md);
    let task = |t: &crate::parsers::plan::PlanTask| {
        json!({
            "id": t.id,
            "title": t.title,
            "wave": t.wave.filter(|w| *w != 0.0 && w.is_finite()).map_or(Value::Null, num),
            "dependsOn": t.depends_on,
            "verifyCommand": t.verify_command,
            "aceite": t.aceite,
            "decisions": t.decisions,
        })
    };
    let tasks: Vec<Value> = p.tasks.iter().map(task).collect();
    let waves: Vec<Value> = group_waves(&p.tasks)
        .iter()
        .map(|w| {
            json!({
                "wave": num(w.wave),
                "taskIds": w.tasks.iter().map(|t| t.id.clone()).collect::<Vec<_>>(),
                "tasks": w.tasks.iter().map(|t| task(t)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({"tasks": tasks, "totalTasks": p.tasks.len(), "waves": waves})
}

/// `{objective, criteria:[{id, criterion, howToVerify}]}` (ids upper-cased).
pub fn spec(md: &str) -> Value {
    let s = parse_spec(md);
    let criteria: Vec<Value> = s
        .criteria
        .iter()
        .map(|c| {
            json!({
                "id": c.id.to_uppercase(),
                "criterion": c.criterion,
                "howToVerify": c.how_to_verify,
            })
        })
        .collect();
    let objective = s
        .objective
        .map(|o| o.trim().to_string())
        .filter(|o| !o.is_empty());
    json!({"objective": objective, "criteria": criteria})
}

fn list(v: &str, sep: char) -> Vec<String> {
    v.split(sep)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// EXECUTION-RUNTIME.md: the bold labels, the agents and checkpoints
/// tables, and the evidence and blockage bullets.
pub fn runtime(md: &str) -> Value {
    let wave_text = label_value(md, "Onda");
    let current_wave = match &wave_text {
        Some(w) => match w.parse::<f64>() {
            Ok(n) if n != 0.0 && n.is_finite() => num(n),
            _ => json!(w),
        },
        None => Value::Null,
    };
    let agents: Vec<Value> = rows_of(md, &["ID", "Papel", "Tarefas", "Estado"], |t, r| {
        json!({
            "id": t.text(r, &["ID", "Id"], "—"),
            "role": t.text(r, &["Papel", "Role"], "—"),
            "tasks": list(&t.text(r, &["Tarefas", "Tasks"], ""), ','),
            "status": t.text(r, &["Estado", "Status"], "—"),
        })
    });
    let checkpoints: Vec<Value> = rows_of(md, &["ID", "Tipo", "Escopo", "Estado"], |t, r| {
        json!({
            "id": t.text(r, &["ID", "Id"], "—"),
            "type": t.text(r, &["Tipo", "Type"], "—"),
            "scope": t.text(r, &["Escopo", "Scope"], "—"),
            "status": t.text(r, &["Estado", "Status"], "—"),
            "decision": t.text(r, &["Decisão", "Decisao", "Decision"], "—"),
        })
    });
    let blockages: Vec<String> = section_items(md, "Bloqueios")
        .into_iter()
        .filter(|x| {
            let l = x.to_lowercase();
            l != "nenhum" && l != "(nenhum)"
        })
        .collect();
    json!({
        "currentWave": current_wave,
        "status": label_value(md, "Estado"),
        "activeTasks": list(&label_value(md, "Tarefas ativas").unwrap_or_default(), ','),
        "nextAction": label_value(md, "Ação"),
        "nextReason": label_value(md, "Motivo"),
        "agents": agents,
        "checkpoints": checkpoints,
        "evidence": section_items(md, "Evidências produzidas"),
        "blockages": blockages,
    })
}

/// The CHECKPOINTS.md index table.
pub fn checkpoints(md: &str) -> Vec<Value> {
    rows_of(md, &["ID", "Tipo", "Fase", "Escopo", "Estado"], |t, r| {
        json!({
            "id": t.text(r, &["ID", "Id"], "—"),
            "type": t.text(r, &["Tipo", "Type"], "—"),
            "phase": t.text(r, &["Fase", "Phase"], "—"),
            "scope": t.text(r, &["Escopo", "Scope"], "—"),
            "status": t.text(r, &["Estado", "Status"], "—"),
            "notes": t.text(r, &["Notas", "Notes"], "—"),
        })
    })
}

/// The SESSIONS.md index table (headers id, nome, status and path).
pub fn sessions_index(md: &str) -> Vec<Value> {
    rows_of(md, &["id", "nome", "status", "path"], |t, r| {
        json!({
            "id": t.text(r, &["ID", "Id"], "—"),
            "name": t.text(r, &["Nome", "Name"], "—"),
            "status": t.text(r, &["Status"], "—"),
            "createdAt": t.text(r, &["Criada", "Created"], "—"),
            "lastActivity": t.text(r, &["Última atividade", "Ultima atividade", "Last activity"], "—"),
            "summary": t.text(r, &["Resumo", "Summary"], "—"),
            "path": t.text(r, &["Path", "Caminho"], "—").replace('`', ""),
        })
    })
}

/// A session's SESSION.md: labels, tags and the Data/Evento history.
pub fn session_detail(md: &str) -> Value {
    let history: Vec<Value> = rows_of(md, &["Data", "Evento"], |t, r| {
        json!({
            "date": t.text(r, &["Data", "Date"], "—"),
            "event": t.text(r, &["Evento", "Event"], "—"),
        })
    });
    json!({
        "id": label_value(md, "ID"),
        "name": label_value(md, "Nome"),
        "status": label_value(md, "Status"),
        "createdAt": label_value(md, "Criada"),
        "lastActivity": label_value(md, "Última atividade").or_else(|| label_value(md, "Ultima atividade")),
        "summary": label_value(md, "Resumo"),
        "tags": section_items(md, "Tags"),
        "history": history,
    })
}

/// VERIFY.md: criterion rows of every table, ids mentioned anywhere, and
/// whole-file passed/failed flags.
pub fn verify(md: &str) -> Value {
    let doc = parse_verify(md);
    let criteria: Vec<Value> = doc
        .criteria
        .iter()
        .map(|c| json!({"id": c.id, "status": c.status, "summary": c.summary}))
        .collect();
    json!({
        "criteria": criteria,
        "mentionedCriteria": doc.mentioned,
        "failed": doc.failed,
        "passed": doc.passed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_waves_are_an_array() {
        let md = "### T1 — A\n- **Onda:** 2\n- **Aceite vinculado:** A1\n### T2 - B\n- **Onda:** 1\n### T3 — C\n";
        let p = plan(md);
        assert_eq!(p["totalTasks"], 3);
        assert_eq!(p["waves"][0]["wave"], 1);
        assert_eq!(p["waves"][0]["taskIds"], json!(["T2"]));
        assert_eq!(p["waves"][1]["tasks"][0]["aceite"], json!(["A1"]));
        assert_eq!(p["tasks"][2]["wave"], Value::Null);
    }

    #[test]
    fn runtime_labels_tables_and_lists() {
        let md = "- **Onda:** 1\n- **Estado:** running\n- **Tarefas ativas:** T1, T2\n\n| ID | Papel | Tarefas | Estado |\n|--|--|--|--|\n| a | exec | T1 | active |\n\n## Evidências produzidas\n\n- log.txt\n\n## Bloqueios\n\n- nenhum\n";
        let r = runtime(md);
        assert_eq!(r["currentWave"], 1);
        assert_eq!(r["status"], "running");
        assert_eq!(r["activeTasks"], json!(["T1", "T2"]));
        assert_eq!(r["agents"][0]["tasks"], json!(["T1"]));
        assert_eq!(r["evidence"], json!(["log.txt"]));
        assert_eq!(r["blockages"], json!([]));
    }

    #[test]
    fn verify_rows_and_flags() {
        let md = "| ID | Status | Evidência |\n|---|---|---|\n| A1 | ok | log |\n| A2 | falhou | x |\n\nA3 mentioned; verify_complete\n";
        let v = verify(md);
        assert_eq!(v["criteria"][0]["status"], "passed");
        assert_eq!(v["criteria"][1]["status"], "failed");
        assert_eq!(v["criteria"][0]["summary"], "log");
        assert_eq!(v["mentionedCriteria"], json!(["A1", "A2", "A3"]));
        assert_eq!(v["passed"], true);
        assert_eq!(v["failed"], true);
    }

    #[test]
    fn sessions_and_detail() {
        let idx = "| ID | Nome | Status | Path |\n|--|--|--|--|\n| s001 | demo | active | `sessions/s001-demo` |\n";
        assert_eq!(sessions_index(idx)[0]["path"], "sessions/s001-demo");
        let d = session_detail("- **ID:** s001\n\n## Tags\n\n- backend\n");
        assert_eq!(d["id"], "s001");
        assert_eq!(d["tags"], json!(["backend"]));
    }
}
