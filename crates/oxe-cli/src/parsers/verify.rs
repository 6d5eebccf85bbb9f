//! VERIFY.md as 1.4.0 reads it for both the dashboard and `verify
//! --matrix` (one reader serves both there, and here): every Markdown
//! table row whose `ID`/`Id`/`Critério` cell names `A<n>` is a criterion
//! result, an `A<n>` anywhere in the text is a mention, and whole words
//! such as `verify_complete` or `falhou` flag the file as passed or failed.

use super::markdown::tables;

/// One criterion row: id (`A<n>`), status (`passed`, `failed` or
/// `mentioned`) and the evidence/summary cell.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifyCriterion {
    pub id: String,
    pub status: &'static str,
    pub summary: String,
}

/// What VERIFY.md says.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VerifyDoc {
    pub criteria: Vec<VerifyCriterion>,
    /// `A<n>` ids mentioned anywhere, upper-cased, unique.
    pub mentioned: Vec<String>,
    pub failed: bool,
    pub passed: bool,
}

/// Reads VERIFY.md; a cell is taken from the first listed header whose
/// cell is not empty.
pub fn parse_verify(md: &str) -> VerifyDoc {
    let mut criteria = Vec::new();
    for t in tables(md) {
        for r in &t.rows {
            let id_cell = t.text(r, &["ID", "Id", "Critério", "Criterio"], "");
            let Some(id) = first_a_id(&id_cell) else {
                continue;
            };
            let status = t.text(
                r,
                &["Status", "Resultado", "Result", "Veredito", "Passou?"],
                "",
            );
            let summary = t.text(r, &["Evidência", "Evidencia", "Resumo", "Notas"], "");
            criteria.push(VerifyCriterion {
                id,
                status: evidence_status(&status),
                summary,
            });
        }
    }
    VerifyDoc {
        criteria,
        mentioned: a_ids(md),
        failed: has_word(md, &["verify_failed", "falhou", "falha", "reprovad"]),
        passed: has_word(md, &["verify_complete", "aprovad", "passou", "sucesso"]),
    }
}

/// A result cell as a status: `passed`, `failed`, or `mentioned` (empty
/// or unrecognised).
fn evidence_status(raw: &str) -> &'static str {
    let v = raw.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| v.contains(w));
    if v.is_empty() {
        "mentioned"
    } else if has(&["ok", "pass", "aprov", "sim", "true", "done", "conclu"]) {
        "passed"
    } else if has(&["fail", "falh", "reprov", "não", "nao", "false", "blocked"]) {
        "failed"
    } else {
        "mentioned"
    }
}

/// Whole-word `A<digits>` ids anywhere in the text, upper-cased, unique,
/// in order of first appearance.
fn a_ids(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if matches!(chars[i], 'A' | 'a') && (i == 0 || !word(chars[i - 1])) {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j > i + 1 && (j == chars.len() || !word(chars[j])) {
                let id = format!("A{}", chars[i + 1..j].iter().collect::<String>());
                if !out.contains(&id) {
                    out.push(id);
                }
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The first `A<digits>` inside `s` (case-insensitive), upper-cased.
fn first_a_id(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (0..b.len()).find_map(|i| {
        if !matches!(b[i], b'a' | b'A') {
            return None;
        }
        let digits: String = s[i + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        (!digits.is_empty()).then(|| format!("A{digits}"))
    })
}

/// Whether any of `words` occurs in the lower-cased text as a whole word.
fn has_word(text: &str, words: &[&str]) -> bool {
    let lower = text.to_lowercase();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    words.iter().any(|w| {
        lower.match_indices(w).any(|(at, _)| {
            let before = lower[..at].chars().next_back();
            let after = lower[at + w.len()..].chars().next();
            !before.is_some_and(word) && !after.is_some_and(word)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_mentions_and_flags() {
        let md = "| ID | Status | Notas |\n|---|---|---|\n| A1 | ok | log |\n| a2 | reprovado | |\n| x | ok | |\n\nA3 citado; falhou\n";
        let d = parse_verify(md);
        assert_eq!(d.criteria.len(), 2);
        assert_eq!(
            d.criteria[0],
            VerifyCriterion {
                id: "A1".into(),
                status: "passed",
                summary: "log".into()
            }
        );
        assert_eq!(d.criteria[1].id, "A2");
        assert_eq!(d.criteria[1].status, "failed");
        assert_eq!(d.mentioned, vec!["A1", "A2", "A3"]);
        assert!(d.failed && !d.passed);
    }

    #[test]
    fn an_empty_cell_falls_back_to_the_next_header() {
        // `row.ID || row['Critério']` and `row.Status || row.Resultado`
        let md = "| ID | Critério | Status | Resultado |\n|---|---|---|---|\n|  | A4 |  | pass |\n";
        let d = parse_verify(md);
        assert_eq!(d.criteria[0].id, "A4");
        assert_eq!(d.criteria[0].status, "passed");
    }

    #[test]
    fn any_case_of_br_is_a_space_and_a_colon_rule_separates() {
        let md = "| ID | Status |\n|:|:|\n| A5 | <Br >ok |\n";
        let d = parse_verify(md);
        assert_eq!(d.criteria[0].status, "passed");
    }
}
