//! Node's POSIX `path` functions (`join`, `normalize`, `resolve`,
//! `relative`, `extname`, `basename`) on strings, so paths the runtime
//! prints or stores are the same strings 1.4.0 produces.

/// `path.normalize(p)`.
pub fn normalize(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let absolute = p.starts_with('/');
    let trailing = p.ends_with('/');
    let mut body = normalize_segments(p, !absolute);
    if body.is_empty() {
        if absolute {
            return "/".into();
        }
        return if trailing { "./".into() } else { ".".into() };
    }
    if trailing {
        body.push('/');
    }
    if absolute {
        format!("/{body}")
    } else {
        body
    }
}

/// Folds `.`, `..` and empty segments; keeps leading `..` when
/// `allow_above_root`.
fn normalize_segments(p: &str, allow_above_root: bool) -> String {
    let mut segs: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => match segs.last() {
                Some(last) if *last != ".." => {
                    segs.pop();
                }
                _ if allow_above_root => segs.push(".."),
                _ => {}
            },
            s => segs.push(s),
        }
    }
    segs.join("/")
}

/// `path.join(...parts)`.
pub fn join(parts: &[&str]) -> String {
    let joined = parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("/");
    if joined.is_empty() {
        return ".".into();
    }
    normalize(&joined)
}

fn cwd() -> String {
    std::env::current_dir()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "/".into())
}

/// `path.resolve(...parts)` against the process's working directory.
pub fn resolve(parts: &[&str]) -> String {
    let mut acc = String::new();
    let mut absolute = false;
    for p in parts.iter().rev() {
        if p.is_empty() {
            continue;
        }
        acc = if acc.is_empty() {
            (*p).to_string()
        } else {
            format!("{p}/{acc}")
        };
        if p.starts_with('/') {
            absolute = true;
            break;
        }
    }
    if !absolute {
        let c = cwd();
        acc = if acc.is_empty() {
            c
        } else {
            format!("{c}/{acc}")
        };
    }
    format!("/{}", normalize_segments(&acc, false))
}

/// `path.isAbsolute(p)`.
pub fn is_absolute(p: &str) -> bool {
    p.starts_with('/')
}

/// `path.relative(from, to)`.
pub fn relative(from: &str, to: &str) -> String {
    let from = resolve(&[from]);
    let to = resolve(&[to]);
    if from == to {
        return String::new();
    }
    let f: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let t: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; f.len() - common];
    out.extend_from_slice(&t[common..]);
    out.join("/")
}

/// `path.basename(p)`.
pub fn basename(p: &str) -> &str {
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return "";
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// `path.extname(p)`, with Node's rules for dot files and `..`.
pub fn extname(p: &str) -> &str {
    let b = p.as_bytes();
    let mut start_dot: Option<usize> = None;
    let mut start_part = 0usize;
    let mut end: Option<usize> = None;
    let mut matched_slash = true;
    // 0: no dot seen before the last one yet; 1: another dot; -1: a non-dot
    let mut pre_dot_state = 0i8;
    for i in (0..b.len()).rev() {
        let c = b[i];
        if c == b'/' {
            if !matched_slash {
                start_part = i + 1;
                break;
            }
            continue;
        }
        if end.is_none() {
            matched_slash = false;
            end = Some(i + 1);
        }
        if c == b'.' {
            if start_dot.is_none() {
                start_dot = Some(i);
            } else if pre_dot_state != 1 {
                pre_dot_state = 1;
            }
        } else if start_dot.is_some() {
            pre_dot_state = -1;
        }
    }
    match (start_dot, end) {
        (Some(sd), Some(e)) => {
            if pre_dot_state == 0 || (pre_dot_state == 1 && sd + 1 == e && sd == start_part + 1) {
                ""
            } else {
                &p[sd..e]
            }
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_node() {
        assert_eq!(join(&["/a/b", "../c", "d.md"]), "/a/c/d.md");
        assert_eq!(join(&[".", ".oxe", "runs"]), ".oxe/runs");
        assert_eq!(join(&["/dir", "/abs/x"]), "/dir/abs/x");
        assert_eq!(join(&["", ""]), ".");
        assert_eq!(normalize("a/../../b/"), "../b/");
        assert_eq!(resolve(&["/a", "b", "../c"]), "/a/c");
        assert_eq!(resolve(&["/a", "/b"]), "/b");
        assert_eq!(relative("/p", "/p/.oxe/x.json"), ".oxe/x.json");
        assert_eq!(relative("/p/a", "/p/b/c"), "../b/c");
        assert_eq!(relative("/p", "/p"), "");
        assert_eq!(extname("run.js"), ".js");
        assert_eq!(extname("/x/y.tar.GZ"), ".GZ");
        assert_eq!(extname(".bashrc"), "");
        assert_eq!(extname(".."), "");
        assert_eq!(extname("..."), ".");
        assert_eq!(extname("a."), ".");
        assert_eq!(extname("dir.d/file"), "");
        assert_eq!(basename("/a/b/c.txt"), "c.txt");
        assert_eq!(basename("/a/b/"), "b");
    }
}
