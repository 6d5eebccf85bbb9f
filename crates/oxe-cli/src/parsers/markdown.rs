//! Generic Markdown readers, as 1.4.0's dashboard applies them (also to
//! VERIFY.md for `verify --matrix`): pipe tables (a header line followed by
//! a `|---|` separator), the `- item` bullets of an H2 section and the
//! value after a bold label (`**Label:** value`).

/// One pipe table: header cells and, per row, the cells aligned to them
/// (missing cells are empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The cell of `row` under the first header equal to one of `names`
    /// (exact match, tried in order), else `None`.
    pub fn cell<'a>(&self, row: &'a [String], names: &[&str]) -> Option<&'a str> {
        names.iter().find_map(|n| {
            let i = self.headers.iter().position(|h| h == n)?;
            row.get(i).map(String::as_str)
        })
    }

    /// Like [`Table::cell`], but an empty cell counts as absent and the
    /// fallback is `default`.
    pub fn text(&self, row: &[String], names: &[&str], default: &str) -> String {
        names
            .iter()
            .find_map(|n| {
                let i = self.headers.iter().position(|h| h == n)?;
                row.get(i).filter(|c| !c.is_empty()).cloned()
            })
            .unwrap_or_else(|| default.to_string())
    }

    /// True when every name in `wanted` is a header (case-insensitive).
    pub fn has_headers(&self, wanted: &[&str]) -> bool {
        wanted.iter().all(|w| {
            self.headers
                .iter()
                .any(|h| h.to_lowercase() == w.to_lowercase())
        })
    }
}

/// A cell as the dashboard shows it: `<br>` as a space, backticks dropped,
/// runs of whitespace collapsed, trimmed.
pub fn clean_cell(v: &str) -> String {
    let mut s = String::with_capacity(v.len());
    let lower = v.to_ascii_lowercase();
    let mut i = 0;
    while i < v.len() {
        if lower[i..].starts_with("<br") {
            if let Some(end) = v[i..].find('>') {
                let inner = &lower[i + 3..i + end];
                if inner.trim().trim_end_matches('/').trim().is_empty() {
                    s.push(' ');
                    i += end + 1;
                    continue;
                }
            }
        }
        let ch = v[i..].chars().next().unwrap_or(' ');
        if ch != '`' {
            s.push(ch);
        }
        i += ch.len_utf8();
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn split_row(line: &str) -> Vec<String> {
    let l = line.trim();
    let l = l.strip_prefix('|').unwrap_or(l);
    let l = l.strip_suffix('|').unwrap_or(l);
    l.split('|').map(clean_cell).collect()
}

fn is_separator(line: &str) -> bool {
    let l = line.trim();
    !l.is_empty() && l.chars().all(|c| matches!(c, '-' | ':' | '|' | ' ' | '\t'))
}

/// Every pipe table of `text`, in order.
pub fn tables(text: &str) -> Vec<Table> {
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < lines.len() {
        if !lines[i].trim().starts_with('|') || !is_separator(lines[i + 1]) {
            i += 1;
            continue;
        }
        let headers = split_row(lines[i]);
        let mut rows = Vec::new();
        let mut j = i + 2;
        while j < lines.len() && lines[j].trim().starts_with('|') {
            let cells = split_row(lines[j]);
            rows.push(
                (0..headers.len())
                    .map(|k| cells.get(k).cloned().unwrap_or_default())
                    .collect(),
            );
            j += 1;
        }
        out.push(Table { headers, rows });
        i = j.max(i + 1);
    }
    out
}

/// The first table carrying every header in `wanted` (case-insensitive).
pub fn table_with(text: &str, wanted: &[&str]) -> Option<Table> {
    tables(text).into_iter().find(|t| t.has_headers(wanted))
}

/// Each row of the first table carrying every header in `wanted`, mapped
/// by `f(table, row)`; none when there is no such table.
pub fn rows_of<T>(text: &str, wanted: &[&str], f: impl Fn(&Table, &[String]) -> T) -> Vec<T> {
    table_with(text, wanted)
        .map(|t| t.rows.iter().map(|r| f(&t, r)).collect())
        .unwrap_or_default()
}

/// The `- item` bullets of the section `## <heading>` (heading compared
/// case-insensitively), up to the next `##` heading.
pub fn section_items(text: &str, heading: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n");
    let want = heading.to_lowercase();
    let mut inside = false;
    let mut out = Vec::new();
    for line in text.split('\n') {
        let t = line.trim();
        if let Some(h) = line.strip_prefix("##") {
            if inside {
                break;
            }
            inside = !h.starts_with('#') && h.trim().to_lowercase() == want;
            continue;
        }
        if inside {
            if let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("-\t")) {
                let item = item.trim();
                if !item.is_empty() {
                    out.push(item.to_string());
                }
            }
        }
    }
    out
}

/// The trimmed rest of the first line holding `**<label>:**`
/// (case-insensitive), or `None`.
pub fn label_value(text: &str, label: &str) -> Option<String> {
    let needle = format!("**{}:**", label.to_lowercase());
    text.split('\n').find_map(|line| {
        let lower = line.to_lowercase();
        let at = lower.find(&needle)?;
        // lower-casing can change byte lengths; map through char counts
        let chars_before = lower[..at].chars().count() + needle.chars().count();
        let rest: String = line.chars().skip(chars_before).collect();
        let v = rest.trim().to_string();
        (!v.is_empty()).then_some(v)
    })
}

/// The text trimmed and cut to `max` characters (the last one an ellipsis).
pub fn summarize(text: &str, max: usize) -> String {
    let clean = text.replace("\r\n", "\n");
    let clean = clean.trim();
    if clean.chars().count() <= max {
        return clean.to_string();
    }
    let mut s: String = clean.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_cells_to_headers() {
        let md = "x\n| ID | Tipo |\n|---|---|\n| `CP-1` | a<br>b |\n| CP-2 |\n\ntext";
        let t = tables(md);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].headers, vec!["ID", "Tipo"]);
        assert_eq!(t[0].rows[0], vec!["CP-1", "a b"]);
        assert_eq!(t[0].rows[1], vec!["CP-2", ""]);
        assert_eq!(t[0].text(&t[0].rows[1], &["Tipo"], "—"), "—");
        assert!(table_with(md, &["id", "tipo"]).is_some());
        assert!(table_with(md, &["id", "fase"]).is_none());
    }

    #[test]
    fn section_bullets_and_labels() {
        let md = "## Bloqueios\n\n- one\n- two\n\n## Next\n- three\n";
        assert_eq!(section_items(md, "bloqueios"), vec!["one", "two"]);
        assert!(section_items(md, "Missing").is_empty());
        assert_eq!(
            label_value("- **Estado:** running\n", "Estado").as_deref(),
            Some("running")
        );
        assert_eq!(
            label_value("- **Ação:** wait", "ação").as_deref(),
            Some("wait")
        );
        assert_eq!(label_value("- **Estado:**   \n", "Estado"), None);
        assert_eq!(summarize("abcdef", 4), "abc…");
        assert_eq!(summarize("  ab  ", 4), "ab");
    }
}
