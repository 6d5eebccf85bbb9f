//! `globToRegex`: the permission-rule glob language. `*` is a run of
//! characters without `/` or `\`, `?` one such character, `**/` an optional
//! run of folders, a lone `**` anything; everything else is literal and
//! letters compare without case; the whole path must match.
//!
//! [`regex_source`] gives the JS regex source 1.4.0 builds (the SDK returns
//! a `RegExp` made from it, flag `i`); [`Glob`] matches the same language
//! here.

/// The regex source of `glob` (to be used with the `i` flag).
pub fn regex_source(glob: &str) -> String {
    let mut escaped = String::with_capacity(glob.len() * 2);
    for c in glob.chars() {
        if ".+^${}()|[]\\".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    let body = escaped
        .replace("**", "\u{0}")
        .replace('*', r"[^/\\]*")
        .replace('?', r"[^/\\]")
        .replace("\u{0}/", r"(.+\/)?")
        .replace('\u{0}', ".*");
    format!("^{body}$")
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Lit(char),
    /// `*`: any run without a separator.
    Seg,
    /// `?`: one non-separator.
    One,
    /// `**/`: empty, or a non-empty line followed by `/`.
    Dirs,
    /// `**`: any run within a line.
    Any,
}

/// A compiled glob.
#[derive(Debug, Clone)]
pub struct Glob {
    toks: Vec<Tok>,
}

fn is_sep(c: char) -> bool {
    c == '/' || c == '\\'
}

fn is_line_char(c: char) -> bool {
    !matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

fn same(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

impl Glob {
    pub fn new(glob: &str) -> Glob {
        let cs: Vec<char> = glob.chars().collect();
        let mut toks = Vec::new();
        let mut i = 0;
        while i < cs.len() {
            match cs[i] {
                '*' if cs.get(i + 1) == Some(&'*') => {
                    if cs.get(i + 2) == Some(&'/') {
                        toks.push(Tok::Dirs);
                        i += 3;
                    } else {
                        toks.push(Tok::Any);
                        i += 2;
                    }
                }
                '*' => {
                    toks.push(Tok::Seg);
                    i += 1;
                }
                '?' => {
                    toks.push(Tok::One);
                    i += 1;
                }
                c => {
                    toks.push(Tok::Lit(c));
                    i += 1;
                }
            }
        }
        Glob { toks }
    }

    /// Whether the whole of `s` matches.
    pub fn is_match(&self, s: &str) -> bool {
        let cs: Vec<char> = s.chars().collect();
        let mut failed = std::collections::HashSet::new();
        self.at(0, &cs, 0, &mut failed)
    }

    fn at(
        &self,
        t: usize,
        cs: &[char],
        i: usize,
        failed: &mut std::collections::HashSet<(usize, usize)>,
    ) -> bool {
        if failed.contains(&(t, i)) {
            return false;
        }
        let ok = match self.toks.get(t) {
            None => i == cs.len(),
            Some(Tok::Lit(c)) => {
                cs.get(i).is_some_and(|&x| same(x, *c)) && self.at(t + 1, cs, i + 1, failed)
            }
            Some(Tok::One) => {
                cs.get(i).is_some_and(|&x| !is_sep(x)) && self.at(t + 1, cs, i + 1, failed)
            }
            Some(Tok::Seg) => {
                let run = cs[i..].iter().take_while(|&&c| !is_sep(c)).count();
                (0..=run).rev().any(|k| self.at(t + 1, cs, i + k, failed))
            }
            Some(Tok::Any) => {
                let run = cs[i..].iter().take_while(|&&c| is_line_char(c)).count();
                (0..=run).rev().any(|k| self.at(t + 1, cs, i + k, failed))
            }
            Some(Tok::Dirs) => {
                let run = cs[i..].iter().take_while(|&&c| is_line_char(c)).count();
                (1..run.min(cs.len() - i))
                    .rev()
                    .chain(std::iter::once(0))
                    .any(|k| {
                        if k == 0 {
                            self.at(t + 1, cs, i, failed)
                        } else {
                            cs[i + k] == '/' && self.at(t + 1, cs, i + k + 1, failed)
                        }
                    })
            }
        };
        if !ok {
            failed.insert((t, i));
        }
        ok
    }
}
