//! The installer's own two-language strings (English default, pt-BR).

use crate::i18n::Lang;

/// `en` or `pt` by language, with `{0}`, `{1}`, … replaced by `args`.
pub fn t(lang: Lang, en: &str, pt: &str, args: &[&str]) -> String {
    let mut s = match lang {
        Lang::En => en.to_string(),
        Lang::PtBr => pt.to_string(),
    };
    for (i, a) in args.iter().enumerate() {
        s = s.replace(&format!("{{{i}}}"), a);
    }
    s
}
