//! Time and randomness, with a test hook so that files written by the
//! runtime can be compared byte for byte with fixtures.
//!
//! Timestamps follow JS `new Date().toISOString()` (UTC, milliseconds).
//! Setting `OXE_TEST_NOW` (epoch milliseconds or an ISO string) freezes the
//! clock, and `OXE_TEST_SEED` makes random ids deterministic; both can also
//! be set at run time with [`set_test_clock`].

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

struct TestClock {
    now_ms: Option<i64>,
    rng: Option<fastrand::Rng>,
}

static TEST: Mutex<Option<TestClock>> = Mutex::new(None);
static ENV_LOADED: std::sync::Once = std::sync::Once::new();

fn load_env() {
    ENV_LOADED.call_once(|| {
        let now = std::env::var("OXE_TEST_NOW")
            .ok()
            .and_then(|v| parse_time(&v));
        let seed = std::env::var("OXE_TEST_SEED")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok());
        if now.is_some() || seed.is_some() {
            let mut guard = TEST.lock().unwrap_or_else(|e| e.into_inner());
            *guard = Some(TestClock {
                now_ms: now,
                rng: seed.map(fastrand::Rng::with_seed),
            });
        }
    });
}

fn parse_time(v: &str) -> Option<i64> {
    let v = v.trim();
    if let Ok(ms) = v.parse::<i64>() {
        return Some(ms);
    }
    parse_iso_ms(v)
}

/// Freeze (or release, with `None`) the clock and the random source.
pub fn set_test_clock(now_ms: Option<i64>, seed: Option<u64>) {
    load_env();
    let mut guard = TEST.lock().unwrap_or_else(|e| e.into_inner());
    *guard = if now_ms.is_none() && seed.is_none() {
        None
    } else {
        Some(TestClock {
            now_ms,
            rng: seed.map(fastrand::Rng::with_seed),
        })
    };
}

/// `Date.now()`.
pub fn now_ms() -> i64 {
    load_env();
    if let Some(t) = TEST.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        if let Some(ms) = t.now_ms {
            return ms;
        }
    }
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// `new Date().toISOString()`.
pub fn now_iso() -> String {
    iso_from_ms(now_ms())
}

/// `n` random characters from `alphabet`.
pub fn random_chars(n: usize, alphabet: &[u8]) -> String {
    load_env();
    let mut guard = TEST.lock().unwrap_or_else(|e| e.into_inner());
    let mut out = String::with_capacity(n);
    match guard.as_mut().and_then(|t| t.rng.as_mut()) {
        Some(rng) => {
            for _ in 0..n {
                out.push(alphabet[rng.usize(..alphabet.len())] as char);
            }
        }
        None => {
            drop(guard);
            for _ in 0..n {
                out.push(alphabet[fastrand::usize(..alphabet.len())] as char);
            }
        }
    }
    out
}

pub const BASE36: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
pub const HEX: &[u8] = b"0123456789abcdef";

/// `n.toString(36)` for a non-negative integer.
pub fn to_base36(mut n: u64) -> String {
    if n == 0 {
        return "0".into();
    }
    let mut buf = Vec::new();
    while n > 0 {
        buf.push(BASE36[(n % 36) as usize]);
        n /= 36;
    }
    buf.reverse();
    String::from_utf8(buf).unwrap_or_default()
}

/// Format epoch milliseconds as `YYYY-MM-DDTHH:mm:ss.sssZ`.
pub fn iso_from_ms(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, milli) = (
        rem / 3_600_000,
        (rem / 60_000) % 60,
        (rem / 1000) % 60,
        rem % 1000,
    );
    if (0..=9999).contains(&y) {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
    } else {
        let sign = if y < 0 { '-' } else { '+' };
        format!(
            "{sign}{:06}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z",
            y.abs()
        )
    }
}

/// Parse the ISO forms `Date.parse` accepts for our files
/// (`YYYY-MM-DD`, `YYYY-MM-DDTHH:mm[:ss[.sss]]Z` or with `±HH:mm`).
pub fn parse_iso_ms(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if t.bytes().all(|c| c.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(y, mo as u32, d as u32);
    if b.len() == 10 {
        return Some(days * 86_400_000);
    }
    if b[10] != b'T' || b.len() < 16 || b[13] != b':' {
        return None;
    }
    let (h, mi) = (num(11..13)?, num(14..16)?);
    let mut i = 16;
    let mut sec = 0;
    let mut milli = 0;
    if b.get(i) == Some(&b':') {
        sec = num(i + 1..i + 3)?;
        i += 3;
        if b.get(i) == Some(&b'.') {
            let start = i + 1;
            let mut end = start;
            while end < b.len() && b[end].is_ascii_digit() {
                end += 1;
            }
            let frac = s.get(start..end)?;
            if frac.is_empty() {
                return None;
            }
            let mut f = frac.chars().take(3).collect::<String>();
            while f.len() < 3 {
                f.push('0');
            }
            milli = f.parse().ok()?;
            i = end;
        }
    }
    let offset_min = match s.get(i..)? {
        "Z" | "" => 0,
        rest if rest.len() == 6 && (rest.starts_with('+') || rest.starts_with('-')) => {
            let oh: i64 = rest.get(1..3)?.parse().ok()?;
            let om: i64 = rest.get(4..6)?.parse().ok()?;
            let v = oh * 60 + om;
            if rest.starts_with('-') {
                -v
            } else {
                v
            }
        }
        _ => return None,
    };
    if h > 24 || mi > 59 || sec > 59 {
        return None;
    }
    Some(days * 86_400_000 + h * 3_600_000 + mi * 60_000 + sec * 1000 + milli - offset_min * 60_000)
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trip() {
        assert_eq!(iso_from_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_from_ms(1_764_064_800_123), "2025-11-25T10:00:00.123Z");
        assert_eq!(iso_from_ms(951_782_400_000), "2000-02-29T00:00:00.000Z");
        for ms in [0i64, 1, 86_399_999, 951_782_400_000, 1_764_064_800_123, -1] {
            assert_eq!(parse_iso_ms(&iso_from_ms(ms)), Some(ms));
        }
        assert_eq!(parse_iso_ms("2026-01-01"), Some(1_767_225_600_000));
        assert_eq!(
            parse_iso_ms("2026-01-01T01:00:00+01:00"),
            Some(1_767_225_600_000)
        );
        assert_eq!(parse_iso_ms("not a date"), None);
    }

    #[test]
    fn base36() {
        assert_eq!(to_base36(0), "0");
        assert_eq!(to_base36(35), "z");
        assert_eq!(to_base36(36), "10");
        assert_eq!(to_base36(1_764_064_800_123), "mieemv7f");
    }
}
