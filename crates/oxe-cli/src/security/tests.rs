use super::glob::{regex_source, rust_source, Glob};
use super::paths::{check_path_safety, is_within, validate_plan_paths};
use super::permissions::{check_file_permission, check_permissions};
use super::scan::{scan_dir_for_secret_files, scan_file_for_secrets};
use super::Builtin;
use crate::i18n::Lang;
use serde_json::json;

fn safety(file: &str, root: &str) -> super::paths::Safety {
    check_path_safety(
        file,
        root,
        &mut Builtin::DeniedPaths,
        &mut Builtin::SecretNames,
        Lang::En,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn glob_sources_match_the_js_translation() {
    assert_eq!(regex_source("*.env"), r"^[^/\\]*\.env$");
    assert_eq!(regex_source("**/.env*"), r"^(.+\/)?\.env[^/\\]*$");
    assert_eq!(regex_source("src/**"), r"^src/.*$");
    assert_eq!(regex_source("a?(b)"), r"^a[^/\\]\(b\)$");
}

fn glob(g: &str) -> Glob {
    Glob::new(g).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn glob_matching() {
    let g = glob("*.env");
    assert!(g.is_match(".env") && g.is_match("production.env") && g.is_match("PROD.ENV"));
    assert!(!g.is_match(".env.local") && !g.is_match("a/b.env"));
    let g = glob("**/.env*");
    assert!(g.is_match(".env") && g.is_match(".env.local") && g.is_match("config/.env.prod"));
    assert!(g.is_match("a/b/c/.env"));
    let g = glob("src/?.ts");
    assert!(g.is_match("src/a.ts") && !g.is_match("src/ab.ts") && !g.is_match("src//.ts"));
    let g = glob("src/**/*.ts");
    assert!(g.is_match("src/a/b/c/file.ts") && g.is_match("src/file.ts"));
    assert!(!g.is_match("lib/a/b/file.ts"));
    let g = glob("scripts/**");
    assert!(g.is_match("scripts/deploy.sh") && g.is_match("scripts/a/b"));
    assert!(!glob("scripts/deploy.sh").is_match("other/deploy.sh"));
}

#[test]
fn containment_is_by_segment_not_by_prefix() {
    assert!(is_within("/proj", "/proj"));
    assert!(is_within("/proj", "/proj/a/b"));
    assert!(!is_within("/proj", "/proj-evil/a"));
    assert!(!is_within("/proj", "/pro"));
    assert!(is_within("/", "/etc"));
    let r = safety("/proj-evil/x.ts", "/proj");
    assert!(!r.safe);
    assert!(r.reason.unwrap_or_default().contains("traversal"));
    assert!(!safety("/proj/../../etc/passwd", "/proj/sub").safe);
}

#[test]
fn relative_roots_resolve_against_the_working_directory() {
    // 1.4.0 refused everything under the root '.'.
    assert!(safety("src/index.ts", ".").safe);
    assert!(!safety("../outside.ts", ".").safe);
}

#[test]
fn denied_then_secret_order() {
    let r = safety("/p/node_modules/pkg", "/p");
    assert!(!r.safe);
    assert!(r
        .reason
        .unwrap_or_default()
        .contains("/node_modules[/\\\\]/"));
    let r = safety("/p/.env", "/p");
    assert!(r.reason.unwrap_or_default().contains(r"/\.env(\.\w+)?$/i"));
    assert!(safety("/p/src/app.ts", "/p").safe);
    assert!(!safety("/p/build/.env", "/p")
        .reason
        .unwrap_or_default()
        .contains("secret"));
    assert!(safety("/p/builder.ts", "/p").safe);
    let pt = check_path_safety(
        "/p/.env",
        "/p",
        &mut Builtin::DeniedPaths,
        &mut Builtin::SecretNames,
        Lang::PtBr,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(pt.reason.unwrap_or_default().contains("segredo"));
}

#[test]
fn secret_names() {
    let hit = |n: &str| (0..15).any(|i| Builtin::SecretNames.matches(i, n));
    for n in [
        ".env",
        ".env.local",
        "prod.ENV",
        "secrets.yml",
        "my-secret.json",
        "credentials.json",
        "server.pem",
        "tls.key",
        "id_rsa",
        "id_ed25519.pub",
        "cert.pfx",
        "a.p12",
        "serviceAccountKey.json",
        "firebase-adminsdk-abc.json",
        "firebase-adminsdk.json",
        "aws-credentials.txt",
        ".npmrc",
        ".netrc",
        ".htpasswd",
        "vault-token",
        "VAULT_TOKEN.txt",
    ] {
        assert!(hit(n), "{n}");
    }
    for n in [
        "app.ts",
        ".env.local.bak",
        "env",
        "secret.txt",
        "keys.json",
        "id_rsa.old",
        "readme.md",
    ] {
        assert!(!hit(n), "{n}");
    }
}

#[test]
fn secret_content() {
    let first = |l: &str| (0..7).find(|&i| Builtin::SecretContent.matches(i, l));
    assert_eq!(first("password = \"hunter2hunter2\""), Some(0));
    assert_eq!(first("API-KEY: 'abcdefgh'"), Some(0));
    assert_eq!(first("token: short"), None);
    assert_eq!(first("-----BEGIN  OPENSSH PRIVATE KEY-----"), Some(1));
    assert_eq!(first("id AKIAABCDEFGHIJKLMNOP"), Some(2));
    assert_eq!(first("id akiaABCDEFGHIJKLMNOP"), None);
    assert_eq!(
        first("t eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc-_x"),
        Some(3)
    );
    assert_eq!(first("eyJ.eyJa.b"), None);
    assert_eq!(first(&format!("ghp_{}", "a".repeat(36))), Some(4));
    assert_eq!(first(&format!("ghs_{}", "a".repeat(35))), None);
    assert_eq!(first(&format!("glpat-{}", "a-_".repeat(7))), Some(6));
    assert_eq!(first("just some normal text"), None);
}

#[test]
fn denied_paths_need_a_separator() {
    let hit = |p: &str| (0..6).any(|i| Builtin::DeniedPaths.matches(i, p));
    assert!(hit("node_modules/x") && hit("a\\.git\\config") && hit("mydist/a") && hit(".cache/x"));
    assert!(!hit("node_modules") && !hit("distribution.md") && !hit("src/build.ts"));
}

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("oxe-sec-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap_or_else(|e| panic!("{e}"));
    d
}

#[test]
fn scan_file_lines_and_previews() {
    let d = tmp("file");
    let f = d.join("cfg.txt");
    let long = format!("secret = {}", "x".repeat(100));
    std::fs::write(&f, format!("clean\n  {long}  \r\nok\n")).unwrap_or_else(|e| panic!("{e}"));
    let r =
        scan_file_for_secrets(&f, &mut Builtin::SecretContent).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r["hasSecrets"], json!(true));
    assert_eq!(r["matches"][0]["line"], json!(2));
    assert_eq!(
        r["matches"][0]["pattern"]
            .as_str()
            .map(|s| s.starts_with("/(?:password|")),
        Some(true)
    );
    let preview = r["matches"][0]["preview"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(preview.ends_with('…'));
    assert_eq!(preview.chars().count(), 81);
    let missing = scan_file_for_secrets(&d.join("nope"), &mut Builtin::SecretContent)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(missing, json!({"hasSecrets": false, "matches": []}));
}

#[test]
fn scan_dir_depth_dots_and_order() {
    let d = tmp("dir");
    let w = |p: &str| {
        let f = d.join(p);
        if let Some(parent) = f.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(f, "x").unwrap_or_else(|e| panic!("{e}"));
    };
    w(".env");
    w("b/secrets.json");
    w("a/.hidden/id_rsa");
    w("a/x.pem");
    w("node_modules/.env");
    w("a/b/c/d/e/deep.key");
    w("app.ts");
    let root = d.to_string_lossy().into_owned();
    let found = scan_dir_for_secret_files(&root, &mut Builtin::SecretNames, 4.0)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found, vec![".env", "a/x.pem", "b/secrets.json"]);
    let deep = scan_dir_for_secret_files(&root, &mut Builtin::SecretNames, f64::NAN)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(deep.contains(&"a/b/c/d/e/deep.key".to_string()));
    let none =
        scan_dir_for_secret_files(&format!("{root}/missing"), &mut Builtin::SecretNames, 4.0)
            .unwrap_or_else(|e| panic!("{e}"));
    assert!(none.is_empty());
}

#[test]
fn permissions_first_match_and_scope() {
    let rules = vec![
        json!({"pattern": "*.env", "action": "deny", "scope": "all"}),
        json!({"pattern": "scripts/**", "action": "ask", "scope": "execute"}),
        json!({"pattern": "src/**", "action": "allow"}),
    ];
    let d = |f: &str, s: Option<&str>| {
        check_file_permission(f, &rules, s).unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(d(".env", Some("execute")).rule, Some(0));
    assert_eq!(d("config/production.env", Some("execute")).action, "deny");
    assert_eq!(d("scripts\\deploy.sh", Some("execute")).action, "ask");
    assert_eq!(d("scripts/deploy.sh", Some("apply")).rule, None);
    assert_eq!(d("scripts/deploy.sh", None).rule, None);
    assert_eq!(d("src/app.ts", Some("execute")).rule, Some(2));
    let odd = vec![json!({"pattern": "*", "action": 7})];
    assert_eq!(
        check_file_permission("x", &odd, Some("execute"))
            .map(|d| d.action)
            .ok(),
        Some("7".into())
    );
    let bad = vec![json!({"pattern": 3})];
    assert!(check_file_permission("x", &bad, Some("execute")).is_err());
    let r = check_permissions(
        &[
            ".env".into(),
            "scripts/run.sh".into(),
            "src/index.ts".into(),
        ],
        &rules[..2],
        Some("execute"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r,
        json!({"denied": [".env"], "needsApproval": ["scripts/run.sh"], "allowed": ["src/index.ts"]})
    );
}

#[test]
fn plan_paths() {
    let r = validate_plan_paths(
        &["/p/src/a.ts".into(), "/p/../etc/passwd".into()],
        "/p",
        Lang::En,
    );
    assert_eq!(r["ok"], json!(false));
    assert_eq!(r["issues"].as_array().map(Vec::len), Some(1));
    assert_eq!(r["issues"][0]["path"], json!("/p/../etc/passwd"));
    assert_eq!(
        validate_plan_paths(&[], "/p", Lang::En),
        json!({"ok": true, "issues": []})
    );
}

#[test]
fn glob_rust_source_keeps_js_meaning() {
    assert_eq!(
        rust_source("a/**/b?*"),
        r"^[aA]/(?:[^\n\r\x{2028}\x{2029}]+/)?[bB][^/\\][^/\\]*$"
    );
    assert_eq!(rust_source("x.1"), r"^[xX]\.1$");
}

#[test]
fn glob_case_follows_js_non_unicode_i() {
    assert!(glob("é.ts").is_match("É.TS"));
    assert!(glob("σ").is_match("ς") && glob("σ").is_match("Σ") && glob("Σ").is_match("σ"));
    // Rust's Unicode folding would accept these; JS does not
    assert!(!glob("s.ts").is_match("\u{17f}.ts"));
    assert!(!glob("k").is_match("\u{212a}"));
    assert!(glob("\u{212a}").is_match("\u{212a}") && !glob("\u{212a}").is_match("K"));
}

#[test]
fn glob_counts_utf16_units() {
    assert!(!glob("?.ts").is_match("😀.ts"));
    assert!(glob("??.ts").is_match("😀.ts"));
    assert!(glob("*.ts").is_match("😀.ts"));
    assert!(glob("😀/*").is_match("😀/a") && !glob("😀/*").is_match("😁/a"));
}

#[test]
fn glob_line_terminators_nul_and_triple_star() {
    // `**` is JS `.`; `*` is `[^/\\]`, which takes line terminators
    assert!(!glob("a/**").is_match("a/x\ny"));
    assert!(glob("a/*").is_match("a/x\ny"));
    assert!(!glob("**/x").is_match("\u{2028}/x"));
    assert!(glob("a\0b").is_match("a/c/b") && glob("a\0/b").is_match("ax/b"));
    assert!(!glob("a\0/b").is_match("a/b"));
    assert!(glob("***/x").is_match("a/b/x") && !glob("***/x").is_match("x"));
    assert!(glob("a(b)+[c]{d}|^$").is_match("A(B)+[C]{D}|^$"));
}
