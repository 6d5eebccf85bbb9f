//! `Date.parse` and `new Date(y, m, d)` as Node (V8) evaluates them.
//!
//! 1.4.0 reads the dates of `STATE.md` with `Date.parse`, which accepts far
//! more than ISO 8601: V8 first tries the ES date-time string format and,
//! when that fails, continues with its legacy parser (the one browsers share
//! with Safari): `01/02/2024` is January 2nd in local time, a date followed
//! by a comment in parentheses is local midnight, a lone `Jan 15` is in
//! 2001. The scan-age warnings and `parseState` depend on these answers, so
//! this module implements the same algorithm: a tokenizer, the ES reader,
//! then the legacy rules, then composition of the day, time and zone.
//!
//! Local time follows the process time zone (`TZ`), through the C library.

/// Milliseconds in a day.
const DAY_MS: f64 = 86_400_000.0;
/// `TimeClip` bound.
const MAX_TIME: f64 = 8.64e15;
const NONE: i64 = i64::MIN;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kw {
    Month,
    AmPm,
    Zone,
    TimeSep,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Tok {
    Num { value: i64, len: usize },
    Sym(char),
    Word { kw: Kw, value: i64, len: usize },
    Space,
    Unknown,
    End,
}

impl Tok {
    fn is_fixed_num(self, n: usize) -> bool {
        matches!(self, Tok::Num { len, .. } if len == n)
    }
    fn num(self) -> i64 {
        match self {
            Tok::Num { value, .. } => value,
            _ => 0,
        }
    }
    fn is_sign(self) -> bool {
        matches!(self, Tok::Sym('+') | Tok::Sym('-'))
    }
    fn is_z(self) -> bool {
        matches!(
            self,
            Tok::Word {
                kw: Kw::Zone,
                value: 0,
                len: 1
            }
        )
    }
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    peeked: Tok,
}

impl Lexer {
    fn new(s: &str) -> Lexer {
        let mut lx = Lexer {
            chars: s.chars().collect(),
            pos: 0,
            peeked: Tok::End,
        };
        lx.peeked = lx.scan();
        lx
    }

    fn peek(&self) -> Tok {
        self.peeked
    }

    fn next(&mut self) -> Tok {
        let t = self.peeked;
        self.peeked = self.scan();
        t
    }

    fn skip_sym(&mut self, c: char) -> bool {
        if self.peeked == Tok::Sym(c) {
            self.next();
            true
        } else {
            false
        }
    }

    fn cur(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn scan(&mut self) -> Tok {
        let Some(c) = self.cur() else {
            return Tok::End;
        };
        if c.is_ascii_digit() {
            let start = self.pos;
            // leading zeros are skipped; then at most 9 significant digits count
            while self.cur() == Some('0') {
                self.pos += 1;
            }
            let digits_from = self.pos;
            let mut value: i64 = 0;
            while let Some(d) = self.cur().filter(char::is_ascii_digit) {
                if self.pos - digits_from < 9 {
                    value = value * 10 + i64::from(d as u32 - '0' as u32);
                }
                self.pos += 1;
            }
            return Tok::Num {
                value,
                len: self.pos - start,
            };
        }
        if matches!(c, ':' | '-' | '+' | '.' | ')') {
            self.pos += 1;
            return Tok::Sym(c);
        }
        let ws = crate::jstext::is_ws;
        if c >= 'A' && !ws(c) {
            let start = self.pos;
            let mut prefix = [0u32; 3];
            while let Some(w) = self.cur().filter(|&w| w >= 'A' && !ws(w)) {
                let i = self.pos - start;
                if i < 3 {
                    prefix[i] = (w as u32) | 0x20;
                }
                self.pos += 1;
            }
            let len = self.pos - start;
            let (kw, value) = keyword(&prefix, len);
            return Tok::Word { kw, value, len };
        }
        if ws(c) {
            while self.cur().is_some_and(ws) {
                self.pos += 1;
            }
            return Tok::Space;
        }
        if c == '(' {
            let mut depth = 0i64;
            loop {
                match self.cur() {
                    Some(')') => depth -= 1,
                    Some('(') => depth += 1,
                    _ => {}
                }
                self.pos += 1;
                if depth <= 0 || self.cur().is_none() {
                    break;
                }
            }
            return Tok::Unknown;
        }
        self.pos += 1;
        Tok::Unknown
    }
}

/// The keyword table: month names match on their first three letters (any
/// longer word too); the other keywords must be spelled in full.
fn keyword(prefix: &[u32; 3], len: usize) -> (Kw, i64) {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const OTHERS: [(&str, Kw, i64); 15] = [
        ("am", Kw::AmPm, 0),
        ("pm", Kw::AmPm, 12),
        ("ut", Kw::Zone, 0),
        ("utc", Kw::Zone, 0),
        ("z", Kw::Zone, 0),
        ("gmt", Kw::Zone, 0),
        ("cdt", Kw::Zone, -5),
        ("cst", Kw::Zone, -6),
        ("edt", Kw::Zone, -4),
        ("est", Kw::Zone, -5),
        ("mdt", Kw::Zone, -6),
        ("mst", Kw::Zone, -7),
        ("pdt", Kw::Zone, -7),
        ("pst", Kw::Zone, -8),
        ("t", Kw::TimeSep, 0),
    ];
    let same = |name: &str| {
        let mut want = [0u32; 3];
        for (i, c) in name.chars().enumerate() {
            want[i] = c as u32;
        }
        want == *prefix
    };
    for (i, m) in MONTHS.iter().enumerate() {
        if same(m) {
            return (Kw::Month, i as i64 + 1);
        }
    }
    if len <= 3 {
        for (name, kw, v) in OTHERS {
            if same(name) {
                return (kw, v);
            }
        }
    }
    (Kw::Other, 0)
}

fn between(x: i64, lo: i64, hi: i64) -> bool {
    (lo..=hi).contains(&x)
}

#[derive(Default)]
struct Day {
    comp: [i64; 3],
    n: usize,
    named_month: Option<i64>,
    iso: bool,
}

impl Day {
    fn add(&mut self, v: i64) -> bool {
        if self.n == 3 {
            return false;
        }
        self.comp[self.n] = v;
        self.n += 1;
        true
    }

    fn write(&mut self) -> Option<(i64, i64, i64)> {
        if self.n < 1 {
            return None;
        }
        while self.n < 3 {
            self.comp[self.n] = 1;
            self.n += 1;
        }
        let c = self.comp;
        let (mut year, month, day) = match self.named_month {
            None => {
                if self.iso || !between(c[0], 1, 31) {
                    (c[0], c[1], c[2])
                } else {
                    (c[2], c[0], c[1])
                }
            }
            Some(m) => {
                if !between(c[0], 1, 31) {
                    (c[0], m, c[1])
                } else {
                    (c[1], m, c[0])
                }
            }
        };
        if !self.iso {
            if between(year, 0, 49) {
                year += 2000;
            } else if between(year, 50, 99) {
                year += 1900;
            }
        }
        if !between(month, 1, 12) || !between(day, 1, 31) {
            return None;
        }
        Some((year, month - 1, day))
    }
}

struct Time {
    comp: [i64; 4],
    n: usize,
    hour_offset: i64,
}

impl Time {
    fn new() -> Time {
        Time {
            comp: [0; 4],
            n: 0,
            hour_offset: NONE,
        }
    }
    fn is_empty(&self) -> bool {
        self.n == 0
    }
    fn expecting(&self, v: i64) -> bool {
        (self.n == 1 && between(v, 0, 59))
            || (self.n == 2 && between(v, 0, 59))
            || (self.n == 3 && between(v, 0, 999))
    }
    fn add(&mut self, v: i64) -> bool {
        if self.n < 4 {
            self.comp[self.n] = v;
            self.n += 1;
            true
        } else {
            false
        }
    }
    fn add_final(&mut self, v: i64) -> bool {
        if !self.add(v) {
            return false;
        }
        while self.n < 4 {
            self.comp[self.n] = 0;
            self.n += 1;
        }
        true
    }
    fn write(&mut self) -> Option<[i64; 4]> {
        while self.n < 4 {
            self.comp[self.n] = 0;
            self.n += 1;
        }
        let [mut h, m, s, ms] = self.comp;
        if self.hour_offset != NONE {
            if !between(h, 0, 12) {
                return None;
            }
            h %= 12;
            h += self.hour_offset;
        }
        let ok = between(h, 0, 23) && between(m, 0, 59) && between(s, 0, 59) && between(ms, 0, 999);
        if !ok && (h != 24 || m != 0 || s != 0 || ms != 0) {
            return None;
        }
        Some([h, m, s, ms])
    }
}

struct Zone {
    sign: i64,
    hour: i64,
    minute: i64,
}

impl Zone {
    fn new() -> Zone {
        Zone {
            sign: NONE,
            hour: NONE,
            minute: NONE,
        }
    }
    fn set(&mut self, offset_hours: i64) {
        self.sign = if offset_hours < 0 { -1 } else { 1 };
        self.hour = offset_hours.abs();
        self.minute = 0;
    }
    fn expecting(&self, v: i64) -> bool {
        self.hour != NONE && self.minute == NONE && between(v, 0, 59)
    }
    fn is_utc(&self) -> bool {
        self.hour == 0 && self.minute == 0
    }
    fn is_empty(&self) -> bool {
        self.hour == NONE
    }
    /// Offset in seconds, or `None` for local time; `Err` when out of range.
    fn write(&self) -> Result<Option<i64>, ()> {
        if self.sign == NONE {
            return Ok(None);
        }
        let h = if self.hour == NONE { 0 } else { self.hour };
        let m = if self.minute == NONE { 0 } else { self.minute };
        let total = h * 3600 + m * 60;
        if !(0..=0x3fff_ffff).contains(&total) {
            return Err(());
        }
        Ok(Some(if self.sign < 0 { -total } else { total }))
    }
}

fn read_millis(t: Tok) -> i64 {
    let (mut v, len) = match t {
        Tok::Num { value, len } => (value, len),
        _ => return 0,
    };
    match len {
        1 => v *= 100,
        2 => v *= 10,
        3 => {}
        _ => {
            let mut l = len.min(9);
            let mut f = 1;
            while l > 3 {
                f *= 10;
                l -= 1;
            }
            v /= f;
        }
    }
    v
}

enum Es {
    /// The whole text was an ES date-time string.
    Done,
    /// Continue with the legacy rules from this token.
    Legacy(Tok),
    Invalid,
}

fn parse_es(lx: &mut Lexer, day: &mut Day, time: &mut Time, tz: &mut Zone) -> Es {
    if lx.peek().is_sign() {
        let sign_tok = lx.next();
        if !lx.peek().is_fixed_num(6) {
            return Es::Legacy(sign_tok);
        }
        let sign = if sign_tok == Tok::Sym('-') { -1 } else { 1 };
        let year = lx.next().num();
        if sign < 0 && year == 0 {
            return Es::Legacy(sign_tok);
        }
        day.add(sign * year);
    } else if lx.peek().is_fixed_num(4) {
        let y = lx.next().num();
        day.add(y);
    } else {
        return Es::Legacy(lx.next());
    }
    if lx.skip_sym('-') {
        if !lx.peek().is_fixed_num(2) || !between(lx.peek().num(), 1, 12) {
            return Es::Legacy(lx.next());
        }
        let m = lx.next().num();
        day.add(m);
        if lx.skip_sym('-') {
            if !lx.peek().is_fixed_num(2) || !between(lx.peek().num(), 1, 31) {
                return Es::Legacy(lx.next());
            }
            let d = lx.next().num();
            day.add(d);
        }
    }
    if !matches!(
        lx.peek(),
        Tok::Word {
            kw: Kw::TimeSep,
            ..
        }
    ) {
        if lx.peek() != Tok::End {
            return Es::Legacy(lx.next());
        }
    } else {
        lx.next();
        if !lx.peek().is_fixed_num(2) || !between(lx.peek().num(), 0, 24) {
            return Es::Invalid;
        }
        let hour_24 = lx.peek().num() == 24;
        let h = lx.next().num();
        time.add(h);
        if !lx.skip_sym(':') {
            return Es::Invalid;
        }
        if !lx.peek().is_fixed_num(2)
            || !between(lx.peek().num(), 0, 59)
            || (hour_24 && lx.peek().num() > 0)
        {
            return Es::Invalid;
        }
        let m = lx.next().num();
        time.add(m);
        if lx.skip_sym(':') {
            if !lx.peek().is_fixed_num(2)
                || !between(lx.peek().num(), 0, 59)
                || (hour_24 && lx.peek().num() > 0)
            {
                return Es::Invalid;
            }
            let s = lx.next().num();
            time.add(s);
            if lx.skip_sym('.') {
                if !matches!(lx.peek(), Tok::Num { .. }) || (hour_24 && lx.peek().num() > 0) {
                    return Es::Invalid;
                }
                let ms = read_millis(lx.next());
                time.add(ms);
            }
        }
        if lx.peek().is_z() {
            lx.next();
            tz.set(0);
        } else if lx.peek().is_sign() {
            tz.sign = if lx.next() == Tok::Sym('+') { 1 } else { -1 };
            if lx.peek().is_fixed_num(4) {
                let hm = lx.next().num();
                let (h, m) = (hm / 100, hm % 100);
                if !between(h, 0, 23) || !between(m, 0, 59) {
                    return Es::Invalid;
                }
                tz.hour = h;
                tz.minute = m;
            } else {
                if !lx.peek().is_fixed_num(2) || !between(lx.peek().num(), 0, 23) {
                    return Es::Invalid;
                }
                tz.hour = lx.next().num();
                if !lx.skip_sym(':') {
                    return Es::Invalid;
                }
                if !lx.peek().is_fixed_num(2) || !between(lx.peek().num(), 0, 59) {
                    return Es::Invalid;
                }
                tz.minute = lx.next().num();
            }
        }
        if lx.peek() != Tok::End {
            return Es::Invalid;
        }
    }
    if tz.is_empty() && time.is_empty() {
        tz.set(0);
    }
    day.iso = true;
    Es::Done
}

/// The fields of a parsed date: y, m (0-based), d, h, mi, s, ms and the
/// zone offset in seconds (`None` = local time).
type Fields = (i64, i64, i64, [i64; 4], Option<i64>);

fn parse_fields(s: &str) -> Option<Fields> {
    let mut lx = Lexer::new(s);
    let mut day = Day::default();
    let mut time = Time::new();
    let mut tz = Zone::new();
    let first = match parse_es(&mut lx, &mut day, &mut time, &mut tz) {
        Es::Invalid => return None,
        Es::Done => Tok::End,
        Es::Legacy(t) => t,
    };
    let mut has_number = day.n > 0;
    let mut tok = first;
    while tok != Tok::End {
        match tok {
            Tok::Num { value: n, .. } => {
                has_number = true;
                if lx.skip_sym(':') {
                    if lx.skip_sym(':') {
                        if !time.is_empty() {
                            return None;
                        }
                        time.add(n);
                        time.add(0);
                    } else {
                        if !time.add(n) {
                            return None;
                        }
                        if lx.peek() == Tok::Sym('.') {
                            lx.next();
                        }
                    }
                } else if lx.skip_sym('.') && time.expecting(n) {
                    time.add(n);
                    if !matches!(lx.peek(), Tok::Num { .. }) {
                        return None;
                    }
                    let ms = read_millis(lx.next());
                    time.add_final(ms);
                } else if tz.expecting(n) {
                    tz.minute = n;
                } else if time.expecting(n) {
                    time.add_final(n);
                    let p = lx.peek();
                    if p != Tok::End && p != Tok::Space && !p.is_z() && !p.is_sign() {
                        return None;
                    }
                } else {
                    if !day.add(n) {
                        return None;
                    }
                    lx.skip_sym('-');
                }
            }
            Tok::Word { kw, value, .. } => {
                if kw == Kw::AmPm && !time.is_empty() {
                    time.hour_offset = value;
                } else if kw == Kw::Month {
                    day.named_month = Some(value);
                    lx.skip_sym('-');
                } else if kw == Kw::Zone && has_number {
                    tz.set(value);
                } else {
                    if has_number {
                        return None;
                    }
                    if matches!(lx.peek(), Tok::Num { .. }) {
                        return None;
                    }
                }
            }
            t if t.is_sign() && (tz.is_utc() || !time.is_empty()) => {
                tz.sign = if t == Tok::Sym('+') { 1 } else { -1 };
                let (mut n, mut len) = (0, 0);
                if let Tok::Num { value, len: l } = lx.peek() {
                    lx.next();
                    n = value;
                    len = l;
                }
                has_number = true;
                if lx.peek() == Tok::Sym(':') {
                    tz.hour = n;
                    tz.minute = NONE;
                } else if len == 1 || len == 2 {
                    tz.hour = n;
                    tz.minute = 0;
                } else if len == 3 || len == 4 {
                    tz.hour = n / 100;
                    tz.minute = n % 100;
                } else {
                    return None;
                }
            }
            t if (t.is_sign() || t == Tok::Sym(')')) && has_number => return None,
            _ => {}
        }
        tok = lx.next();
    }
    let (y, m, d) = day.write()?;
    let t = time.write()?;
    let off = tz.write().ok()?;
    Some((y, m, d, t, off))
}

/// Days from 1970-01-01 to the civil date `y-m-d` (m 1-based).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// ES `MakeDay(year, month, date)` followed by `MakeDate` with a time of
/// day, for integral inputs. `month` is 0-based and may overflow.
pub fn make_date(year: i64, month: i64, date: i64, time_ms: f64) -> f64 {
    let ym = year + month.div_euclid(12);
    let mn = month.rem_euclid(12);
    if ym.abs() > 400_000 {
        return f64::NAN;
    }
    let days = days_from_civil(ym, mn + 1, 1) + date - 1;
    days as f64 * DAY_MS + time_ms
}

/// `TimeClip`.
fn clip(t: f64) -> Option<f64> {
    (t.is_finite() && t.abs() <= MAX_TIME).then_some(t.trunc() + 0.0)
}

/// Offset of local time from UTC, in milliseconds, at the UTC instant `t`.
#[cfg(unix)]
fn local_offset_at_utc(t_ms: f64) -> f64 {
    let secs = (t_ms / 1000.0).floor();
    if !secs.is_finite() || secs.abs() > 1e15 {
        return 0.0;
    }
    let tt = secs as libc::time_t;
    // SAFETY: localtime_r only writes into the `tm` we own.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&tt, &mut tm).is_null() {
            return 0.0;
        }
        tm.tm_gmtoff as f64 * 1000.0
    }
}

#[cfg(not(unix))]
fn local_offset_at_utc(_t_ms: f64) -> f64 {
    0.0
}

/// The UTC instant of a local wall-clock time (`date_cache.ToUTC`).
pub fn local_to_utc(local_ms: f64) -> f64 {
    let first = local_offset_at_utc(local_ms);
    let guess = local_ms - first;
    let second = local_offset_at_utc(guess);
    if second == first {
        guess
    } else {
        local_ms - second
    }
}

/// `Date.parse(s)`: epoch milliseconds, or `None` for NaN.
pub fn parse(s: &str) -> Option<f64> {
    let (y, m, d, [h, mi, sec, ms], off) = parse_fields(s)?;
    let time = ((h * 60 + mi) * 60 + sec) as f64 * 1000.0 + ms as f64;
    let date = make_date(y, m, d, time);
    if !date.is_finite() {
        return None;
    }
    match off {
        None => {
            if date.abs() > MAX_TIME + 864e6 {
                return None;
            }
            clip(local_to_utc(date))
        }
        Some(secs) => {
            let t = date - secs as f64 * 1000.0;
            if t.abs() > MAX_TIME {
                return None;
            }
            clip(t)
        }
    }
}

/// `new Date(y, monthIndex, d).getTime()`: local midnight, or `None`.
pub fn local_date(y: f64, month_index: f64, d: f64) -> Option<f64> {
    if !(y.is_finite() && month_index.is_finite() && d.is_finite()) {
        return None;
    }
    let (y, month_index, d) = (y.trunc(), month_index.trunc(), d.trunc());
    // `new Date(99, 0, 1)` is in 1999: two-digit years are 19xx
    let y = if (0.0..=99.0).contains(&y) {
        y + 1900.0
    } else {
        y
    };
    if y.abs() > 1e9 || month_index.abs() > 1e9 || d.abs() > 1e12 {
        return None;
    }
    let date = make_date(y as i64, month_index as i64, d as i64, 0.0);
    if !date.is_finite() {
        return None;
    }
    clip(local_to_utc(date))
}

/// `new Date(ms).toISOString()` (the caller guarantees a valid time).
pub fn to_iso(ms: f64) -> String {
    oxe_runtime::clock::iso_from_ms(ms as i64)
}

/// `new Date(ms).toISOString().split('T')[0]`.
pub fn iso_day(ms: f64) -> String {
    let iso = to_iso(ms);
    iso.split('T').next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Option<String> {
        parse(s).map(to_iso)
    }

    #[test]
    fn es_format() {
        assert_eq!(
            utc("2024-01-15").as_deref(),
            Some("2024-01-15T00:00:00.000Z")
        );
        assert_eq!(utc("2024-01").as_deref(), Some("2024-01-01T00:00:00.000Z"));
        assert_eq!(utc("2024").as_deref(), Some("2024-01-01T00:00:00.000Z"));
        assert_eq!(
            utc("2024-01-15T10:20:30.5Z").as_deref(),
            Some("2024-01-15T10:20:30.500Z")
        );
        assert_eq!(
            utc("2024-01-15T10:20+01:30").as_deref(),
            Some("2024-01-15T08:50:00.000Z")
        );
        assert_eq!(
            utc("2024-02-30").as_deref(),
            Some("2024-03-01T00:00:00.000Z")
        );
        assert_eq!(
            utc("+010000-01-01").as_deref(),
            Some("+010000-01-01T00:00:00.000Z")
        );
        assert_eq!(utc("2024-01-15T25:00Z"), None);
        assert_eq!(utc("2024-13-01"), None);
    }

    #[test]
    fn legacy_with_explicit_zone() {
        assert_eq!(
            utc("Mon, 15 Jan 2024 10:00:00 GMT").as_deref(),
            Some("2024-01-15T10:00:00.000Z")
        );
        assert_eq!(
            utc("January 15, 2024 10:00 UTC+0300").as_deref(),
            Some("2024-01-15T07:00:00.000Z")
        );
        assert_eq!(
            utc("01/02/2024 GMT").as_deref(),
            Some("2024-01-02T00:00:00.000Z")
        );
    }

    #[test]
    fn leading_zeros_do_not_count() {
        // "0000011999" is the year 11999, not 1199
        let (y, ..) = parse_fields("0000011999 dec").expect("legacy date");
        assert_eq!(y, 11999);
    }

    #[test]
    fn rejections() {
        for s in [
            "",
            "—",
            "abc",
            "15/01/2024",
            "2024-01-15 foo",
            "(x)",
            "12 13 14 15",
        ] {
            assert_eq!(parse(s), None, "{s:?}");
        }
    }
}
