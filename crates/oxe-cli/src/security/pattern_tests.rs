//! One test per default pattern: inputs that must match and near misses
//! that must not, including the places where JS and Rust regexes differ
//! (ASCII-only `i`, JS `\s` and `.`, UTF-16 counting).

use super::jsview::utf16_view;
use super::Builtin;

fn check(list: Builtin, index: usize, yes: &[&str], no: &[&str]) {
    for s in yes {
        assert!(
            list.matches(index, s),
            "{list:?}[{index}] should match {s:?}"
        );
    }
    for s in no {
        assert!(
            !list.matches(index, s),
            "{list:?}[{index}] should not match {s:?}"
        );
    }
}

fn names(index: usize, yes: &[&str], no: &[&str]) {
    check(Builtin::SecretNames, index, yes, no);
}

fn content(index: usize, yes: &[&str], no: &[&str]) {
    check(Builtin::SecretContent, index, yes, no);
}

#[test]
fn every_default_compiles_and_keeps_its_js_text() {
    for (list, n) in [
        (Builtin::SecretNames, 15),
        (Builtin::SecretContent, 7),
        (Builtin::DeniedPaths, 6),
    ] {
        assert_eq!(list.sources().len(), n);
        for p in list.sources() {
            assert!(regex::Regex::new(p.rust).is_ok(), "{}", p.rust);
        }
    }
    use super::PatternSet;
    assert_eq!(Builtin::SecretNames.label(0), r"/\.env(\.\w+)?$/i");
    assert_eq!(
        Builtin::SecretContent.label(2),
        r"/(?:AKIA|ASIA)[A-Z0-9]{16}/"
    );
    assert_eq!(Builtin::DeniedPaths.label(1), r"/\.git[/\\]/");
    assert!(!Builtin::DeniedPaths.matches(6, "node_modules/"));
}

#[test]
fn utf16_view_splits_astral_characters_only() {
    assert!(matches!(
        utf16_view("plain é"),
        std::borrow::Cow::Borrowed(_)
    ));
    assert_eq!(utf16_view("a😀b").chars().count(), 4);
    assert_ne!(utf16_view("😀"), utf16_view("😁"));
}

#[test]
fn name_env() {
    names(
        0,
        &[".env", "prod.ENV", ".env.local", ".Env.Prod_1"],
        &[
            "env",
            ".env.local.bak",
            ".env-x",
            ".env.",
            ".env\n",
            ".env.é",
            ".env.\u{17f}",
        ],
    );
}

#[test]
fn name_secrets() {
    names(
        1,
        &[
            "secrets.yml",
            "SECRET.INI",
            "my-secret.json",
            "x.secrets.toml",
        ],
        // U+017F (long s) does not fold to `s` under JS's non-unicode `i`
        &[
            "secret.txt",
            "secrets.json.bak",
            "\u{17f}ecrets.json",
            "secret.jsonl",
        ],
    );
}

#[test]
fn name_credentials() {
    names(
        2,
        &["credentials.json", "Credential.YAML", "aws.credentials.yml"],
        &["credentials.toml", "credentials.jsonl", "credentail.json"],
    );
}

#[test]
fn name_pem_key_pfx_p12() {
    names(3, &["server.pem", "X.PEM"], &["server.pem.bak", "pem"]);
    // U+212A (Kelvin sign) does not fold to `k` under JS's non-unicode `i`
    names(
        4,
        &["tls.key", "A.KEY"],
        &["tls.\u{212a}ey", "keys.json", "key"],
    );
    names(6, &["cert.pfx", "C.PFX"], &["cert.pfx2"]);
    names(7, &["a.p12", "a.P12"], &["a.p1", "a.p12.x"]);
}

#[test]
fn name_ssh_keys() {
    names(
        5,
        &["id_rsa", "ID_ED25519.pub", "x_id_ecdsa", "id_rsa.PUB"],
        &["id_rsa.old", "id_dsa", "id-rsa"],
    );
}

#[test]
fn name_service_account_and_firebase() {
    names(
        8,
        &["serviceAccountKey.json", "SERVICEACCOUNTKEY.JSON"],
        &["serviceAccount.json", "serviceAccountKey.json5"],
    );
    names(
        9,
        &[
            "firebase-adminsdk.json",
            "firebase-adminsdk-x1 é.json",
            "FIREBASE-ADMINSDK😀.JSON",
            // U+0085 is not a JS line terminator, so `.` takes it
            "firebase-adminsdk\u{85}.json",
        ],
        &[
            "firebase-adminsdk.jsonx",
            "firebase-adminsdk\n.json",
            "firebase-adminsdk\r.json",
            "firebase-adminsdk\u{2028}.json",
            "firebase_adminsdk.json",
        ],
    );
}

#[test]
fn name_misc() {
    names(
        10,
        &["aws-credentials", "x-AWS-CREDENTIALS.txt"],
        &["aws_credentials"],
    );
    names(11, &[".npmrc", "A.NPMRC"], &[".npmrc.bak", "npmrc"]);
    names(12, &[".netrc"], &["_netrc", ".netrc~"]);
    names(13, &[".htpasswd", "HTPASSWD-old"], &["htpass", "ht-passwd"]);
    names(
        14,
        &["vault-token", "Vault_Token.txt"],
        &["vault.token", "vaulttoken"],
    );
}

#[test]
fn content_key_value() {
    content(
        0,
        &[
            "password = \"hunter2hunter2\"",
            "API_KEY: 'abcdefgh'",
            "passwd:abcdefgh",
            "Private-Key =12345678",
            // U+FEFF and U+3000 are JS `\s`
            "token\u{feff}=\u{3000}abcdefgh",
            // four astral characters are eight UTF-16 units
            "secret=😀😀😀😀",
            "x accesskey=é-é-é-é-",
        ],
        &[
            "token: short",
            "secret=😀😀😀",
            // U+0085 is Rust `\s` but not JS `\s`
            "password\u{85}=abcdefgh1",
            "pa\u{17f}\u{17f}word=abcdefghij",
            "token=\"abc def gh\"",
            "apikey - abcdefghij",
            "api__key=abcdefghij",
        ],
    );
}

#[test]
fn content_private_key_header() {
    content(
        1,
        &[
            "-----BEGIN RSA PRIVATE KEY-----",
            "begin\tpgp  private\u{3000}key",
            "BEGIN EC PRIVATE KEY",
            "BEGIN OPENSSH PRIVATE KEY",
        ],
        &[
            "BEGIN DSA PRIVATE KEY",
            "BEGINRSA PRIVATE KEY",
            "BEGIN\u{85}RSA PRIVATE KEY",
            "BEGIN RSA PUBLIC KEY",
            "BEGIN RSA PRIVATE \u{212a}EY",
        ],
    );
}

#[test]
fn content_aws_key() {
    content(
        2,
        &["AKIAABCDEFGHIJKLMNOP", "xASIA0123456789ABCDEF"],
        &[
            "akiaABCDEFGHIJKLMNOP",
            "AKIAABCDEFGHIJKLMNO",
            "AKIAabcdefghijklmnop",
        ],
    );
}

#[test]
fn content_jwt() {
    content(
        3,
        &[
            "x eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.SflKxwRJSMeKKF2QT4fw",
            "eyJa.eyJb.c",
        ],
        &["eyJ.eyJa.b", "eyJa.eyJb", "eyja.eyJb.c", "eyJa.eyJb.é"],
    );
}

#[test]
fn content_github_and_gitlab_tokens() {
    let a36 = "aB3".repeat(12);
    let a35 = &a36[..35];
    content(
        4,
        &[&format!("ghp_{a36}"), &format!("k=ghp_{a36}xyz")],
        &[
            &format!("ghp_{a35}"),
            &format!("GHP_{a36}"),
            &format!("ghp_{a35}é"),
        ],
    );
    content(
        5,
        &[&format!("ghs_{a36}")],
        &[&format!("ghs_{a35}"), &format!("ghs-{a36}")],
    );
    content(
        6,
        &[&format!("glpat-{}", "x-_y".repeat(5))],
        &[
            &format!("glpat-{}", "a".repeat(19)),
            &format!("glpat_{}", "a".repeat(20)),
        ],
    );
}

#[test]
fn denied_paths() {
    let hit = |p: &str| (0..6).find(|&i| Builtin::DeniedPaths.matches(i, p));
    assert_eq!(hit("node_modules/x"), Some(0));
    assert_eq!(hit("a\\.git\\config"), Some(1));
    assert_eq!(hit("mydist/a"), Some(2));
    assert_eq!(hit("build\\"), Some(3));
    assert_eq!(hit("coverage/"), Some(4));
    assert_eq!(hit(".cache/x"), Some(5));
    for p in [
        "node_modules",
        "NODE_MODULES/x",
        "distribution.md",
        "src/build.ts",
        ".gitignore/x",
        "dist\n/x",
    ] {
        assert_eq!(hit(p), None, "{p:?}");
    }
}

#[test]
fn long_lines_do_not_hurt() {
    let line = format!("{}password={}", "a ".repeat(200_000), "z".repeat(100_000));
    assert!(Builtin::SecretContent.matches(0, &line));
    let clean = "eyJ".repeat(100_000);
    assert!(!(0..7).any(|i| Builtin::SecretContent.matches(i, &clean)));
}
