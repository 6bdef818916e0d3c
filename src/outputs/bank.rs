//! Bank transfer files: one batch per funding source (payer account), as ISO 20022
//! `pain.001.001.09` XML (UTF-8). Deterministic: the message id derives from pipeline, payout
//! month and funding source, and the creation time is the payout month's last day at 00:00 —
//! never the wall clock — so the same run gives the same bytes.
//!
//! Validated against `shared/xsd/pain.001.001.09.xsd` by `xmllint` in the tests. The schema
//! does not check that `NbOfTxs` and `CtrlSum` match the lines: `Batch::new` computes them from
//! the lines themselves.

use super::payments::Line;
use crate::domain::{Money, Month};
use crate::pipeline::Funding;
use sha2::{Digest, Sha256};

/// Written for a payer account or bank code the pipeline does not set (see PAYER_ACCOUNT_UNSET).
pub const UNSET: &str = "UNSET";

/// The lines one payer account pays in a run.
pub struct Batch<'a> {
    pub funding: &'a Funding,
    pub account: &'a str,
    pub bank_code: &'a str,
    pub lines: Vec<&'a Line>,
    pub total: Money,
    /// `DSB…`, at most 35 characters
    pub msg_id: String,
}

impl<'a> Batch<'a> {
    pub fn new(
        pipeline: &str,
        payout: Month,
        funding: &'a Funding,
        account: &'a str,
        bank_code: &'a str,
        lines: Vec<&'a Line>,
    ) -> Self {
        let total = lines.iter().map(|l| l.amount).sum();
        // ISO 20022: one MsgId per message. The same batch written again (a re-run of the
        // same inputs) keeps its MsgId, so a bank's duplicate check refuses a second sending; a
        // batch whose lines, amounts, payees' accounts, banks or names or payer changed (a
        // corrected re-run) gets another — a batch the bank refused for a wrong account, sent
        // again corrected, must not carry the refused one's MsgId (a review found it kept)
        let mut h = Sha256::new();
        h.update(format!("{pipeline}\u{1f}{payout}\u{1f}{}", funding.id).as_bytes());
        h.update(format!("\u{1f}{account}\u{1f}{bank_code}").as_bytes());
        for l in &lines {
            h.update(b"\x1e");
            h.update(l.payment_id.as_bytes());
            h.update(b"\x1f");
            h.update(l.amount.to_string().as_bytes());
            for part in [
                l.account_no.as_deref(),
                l.bank_code.as_deref(),
                Some(l.payee_name.as_str()),
            ] {
                h.update(b"\x1f");
                h.update(part.unwrap_or("").as_bytes());
            }
        }
        let msg_id = format!(
            "DSB{}{}",
            payout.to_string().replace('-', ""),
            &hex::encode(h.finalize())[..20].to_ascii_uppercase()
        );
        Batch {
            funding,
            account,
            bank_code,
            lines,
            total,
            msg_id,
        }
    }

    /// `<pipeline>-<YYYY-MM>-<funding>-01.xml`
    pub fn file_name(&self, pipeline: &str, payout: Month, ext: &str) -> String {
        format!("bank/{pipeline}-{payout}-{}-01.{ext}", self.funding.id)
    }
}

/// XML text escaping.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    esc_into(&mut o, s);
    o
}

/// `esc`, appended to `o` (text without a character to escape is copied as it is).
fn esc_into(o: &mut String, s: &str) {
    if !s
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'') || b < 0x20)
    {
        o.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            // (a CR written as it is reads as LF to any XML parser — line ends are normalised:
            // the bank would read another name than payments.csv's, a review)
            '\r' => o.push_str("&#13;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => {}
            c => o.push(c),
        }
    }
}

/// The first `n` characters of `s`.
fn cut(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}

fn agent(o: &mut String, tag: &str, cnaps: &str) {
    for part in [
        "<",
        tag,
        "><FinInstnId><ClrSysMmbId><ClrSysId><Cd>CNAPS</Cd></ClrSysId><MmbId>",
    ] {
        o.push_str(part);
    }
    esc_into(o, cnaps);
    for part in ["</MmbId></ClrSysMmbId></FinInstnId></", tag, ">"] {
        o.push_str(part);
    }
}

/// The batch as a `pain.001.001.09` document.
pub fn pain001(b: &Batch, payout: Month) -> Vec<u8> {
    let day = payout.last_day();
    let n = b.lines.len();
    let mut o = String::with_capacity(600 + n * 700);
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    o.push_str(
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\">\n<CstmrCdtTrfInitn>\n",
    );
    o.push_str(&format!(
        "<GrpHdr><MsgId>{}</MsgId><CreDtTm>{day}T00:00:00</CreDtTm><NbOfTxs>{n}</NbOfTxs><CtrlSum>{}</CtrlSum><InitgPty><Nm>{}</Nm></InitgPty></GrpHdr>\n",
        b.msg_id,
        b.total,
        esc(cut(&b.funding.name, 140))
    ));
    o.push_str(&format!(
        "<PmtInf><PmtInfId>{}-1</PmtInfId><PmtMtd>TRF</PmtMtd><NbOfTxs>{n}</NbOfTxs><CtrlSum>{}</CtrlSum><ReqdExctnDt><Dt>{day}</Dt></ReqdExctnDt><Dbtr><Nm>{}</Nm></Dbtr><DbtrAcct><Id><Othr><Id>{}</Id></Othr></Id><Ccy>CNY</Ccy></DbtrAcct>",
        cut(&b.msg_id, 33),
        b.total,
        esc(cut(&b.funding.name, 140)),
        esc(b.account)
    ));
    agent(&mut o, "DbtrAgt", b.bank_code);
    o.push('\n');
    let mut remit = String::new();
    for l in &b.lines {
        use std::fmt::Write as _;
        o.push_str("<CdtTrfTxInf><PmtId><EndToEndId>");
        esc_into(&mut o, &l.payment_id);
        let _ = write!(
            o,
            "</EndToEndId></PmtId><Amt><InstdAmt Ccy=\"CNY\">{}</InstdAmt></Amt>",
            l.amount
        );
        agent(&mut o, "CdtrAgt", l.bank_code.as_deref().unwrap_or(""));
        o.push_str("<Cdtr><Nm>");
        esc_into(&mut o, cut(&l.payee_name, 140));
        o.push_str("</Nm></Cdtr>");
        // a bank payee (lending bank) is credited at its clearing code: no creditor account
        if let Some(a) = l.account_no.as_deref() {
            o.push_str("<CdtrAcct><Id><Othr><Id>");
            esc_into(&mut o, a);
            o.push_str("</Id></Othr></Id></CdtrAcct>");
        }
        remit.clear();
        remit.push_str(l.programme);
        if let Some(m) = l.service_month {
            let _ = write!(remit, " {m}");
        }
        // (a loan line's loan and instalment before the clause, which the 140 characters may
        // cut: the lending bank applies the line to a loan contract — two cold reviews)
        if !l.reference.is_empty() {
            remit.push(' ');
            remit.push_str(&l.reference);
        }
        remit.push(' ');
        remit.push_str(&l.clause);
        o.push_str("<RmtInf><Ustrd>");
        esc_into(&mut o, cut(&remit, 140));
        o.push_str("</Ustrd></RmtInf></CdtTrfTxInf>\n");
    }
    o.push_str("</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n");
    o.into_bytes()
}

/// The batch as a flat bank file (代发) in the pipeline's layout: optional header, one line per
/// payment, and a control line `<label>,<count>,<total>` (`,UNSET` after it when the pipeline
/// sets no payer account); encoded as the layout says.
pub fn flat(b: &Batch, layout: &crate::pipeline::FlatLayout) -> Result<Vec<u8>, String> {
    let delim = layout.delimiter.as_bytes().first().copied().unwrap_or(b',');
    let mut w = csv::WriterBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let err = |e: csv::Error| e.to_string();
    if layout.header {
        let titles = if layout.header_labels.is_empty() {
            &layout.columns
        } else {
            &layout.header_labels
        };
        w.write_record(titles).map_err(err)?;
    }
    let (mut seq, mut remark) = (itoa::Buffer::new(), String::new());
    for (i, l) in b.lines.iter().enumerate() {
        let month = l.service_month.map(|m| m.to_string()).unwrap_or_default();
        let amount = l.amount.to_string();
        for c in &layout.columns {
            let field: &str = match c.as_str() {
                "seq" => seq.format(i + 1),
                "payment_id" => &l.payment_id,
                "account_no" => l.account_no.as_deref().unwrap_or(""),
                "payee_name" => &l.payee_name,
                "amount" => &amount,
                "bank_code" => l.bank_code.as_deref().unwrap_or(""),
                "payee_id" => &l.payee_id,
                "programme" => l.programme,
                "service_month" => &month,
                "remark" => {
                    remark.clear();
                    remark.push_str(l.programme);
                    for part in [month.as_str(), l.reference.as_str()] {
                        if !part.is_empty() {
                            remark.push(' ');
                            remark.push_str(part);
                        }
                    }
                    carried(&mut remark, layout, delim);
                    cut(&remark, 60)
                }
                _ => "",
            };
            w.write_field(field).map_err(err)?;
        }
        w.write_record(None::<&[u8]>).map_err(err)?;
    }
    // a payer account the pipeline does not set: the control line says so in a fourth field,
    // as the XML's debtor does — the flat file names no payer, and one byte-identical to an
    // executable batch passed `verify-bank` (a cold review)
    let mut control = vec![
        layout.control_label.clone(),
        b.lines.len().to_string(),
        b.total.to_string(),
    ];
    if b.account == UNSET || b.bank_code == UNSET {
        control.push(UNSET.to_string());
    }
    w.write_record(&control).map_err(err)?;
    let text =
        String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    match layout.encoding.to_ascii_lowercase().as_str() {
        "gbk" | "gb18030" => {
            let enc = if layout.encoding.eq_ignore_ascii_case("gbk") {
                encoding_rs::GBK
            } else {
                encoding_rs::GB18030
            };
            let (bytes, _, unmappable) = enc.encode(&text);
            if unmappable {
                return Err(format!(
                    "a payee name cannot be written in {}: use gb18030 or utf-8 for this bank",
                    layout.encoding
                ));
            }
            Ok(bytes.into_owned())
        }
        _ => Ok(text.into_bytes()),
    }
}

/// A payment as a bank file must carry it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expected<'a> {
    /// in cents (`None`: not a number)
    pub cents: Option<i64>,
    /// the amount as payments.csv wrote it, where it was read from there (for messages)
    pub text: Option<&'a str>,
    /// `None` when only payments.csv is at hand (it carries no account numbers)
    pub account: Option<&'a str>,
    pub bank_code: &'a str,
    /// the payee's name (payments.csv `payee_name`), `None`: not checked
    pub name: Option<&'a str>,
}

/// The text after each `open` in `s`, up to `close` (or to the next `open` without one).
fn tag_values<'a>(s: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    Tag::new(open, close).values(s)
}

/// A tag's opening and closing text, their searchers built once for many searches.
struct Tag {
    open: memchr::memmem::Finder<'static>,
    close: memchr::memmem::Finder<'static>,
}

impl Tag {
    fn new(open: &str, close: &str) -> Tag {
        Tag {
            open: memchr::memmem::Finder::new(open.as_bytes()).into_owned(),
            close: memchr::memmem::Finder::new(close.as_bytes()).into_owned(),
        }
    }

    /// The value in `piece` (the text after an `open`, up to the next one): up to `close`.
    fn cut<'a>(&self, piece: &'a str) -> &'a str {
        // both texts are ASCII: a match is on a character boundary
        self.close
            .find(piece.as_bytes())
            .map_or(piece, |n| &piece[..n])
    }

    fn values<'a>(&self, s: &'a str) -> Vec<&'a str> {
        let n = self.open.needle().len();
        let starts: Vec<usize> = self.open.find_iter(s.as_bytes()).collect();
        let ends = starts.iter().skip(1).copied().chain([s.len()]);
        starts
            .iter()
            .zip(ends)
            .map(|(&a, b)| self.cut(&s[a + n..b]))
            .collect()
    }

    /// The first value in `s`: `cut` of the text after the first `open` up to the next
    /// `open`, found without searching past the value (a transaction is searched for five
    /// tags, 89k transactions a month with loans).
    fn first<'a>(&self, s: &'a str) -> Option<&'a str> {
        let n = self.open.needle().len();
        let rest = &s[self.open.find(s.as_bytes())? + n..];
        let b = rest.as_bytes();
        Some(match self.close.find(b) {
            // an `open` starting before the close ends the value there
            Some(c) => match self.open.find(&b[..(c + n - 1).min(b.len())]) {
                Some(o) if o < c => &rest[..o],
                _ => &rest[..c],
            },
            None => self.open.find(b).map_or(rest, |o| &rest[..o]),
        })
    }
}

/// What payments.csv says of each payment id.
pub type Expectations<'a> = rustc_hash::FxHashMap<&'a str, Expected<'a>>;

/// A payment's expected amount in a bank file, from the amount's text.
pub fn cents(amount: &str) -> Option<i64> {
    crate::domain::money::parse_cents_upto(amount.trim(), 16).ok()
}

/// A control sum in cents, of any length an i128 holds: a batch of 16-digit lines adds up to
/// more than a line may be (read as no amount, the run refused its own file, saying “CtrlSum X
/// but the transactions add up to X”: a review).
fn sum_cents(amount: &str) -> Option<i128> {
    let a = amount.trim();
    // (a control sum carries no sign)
    if a.starts_with('-') {
        return None;
    }
    crate::domain::money::parse_cents_wide(a, 30).ok()
}

/// The lines' amounts added up, in cents (an amount that is no amount left out: said per line).
fn total_cents<'a>(amounts: impl Iterator<Item = &'a str>) -> i128 {
    amounts.filter_map(cents).map(i128::from).sum()
}

/// A total in cents as yuan with two decimals.
fn yuan(c: i128) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:02}",
        c.unsigned_abs() / 100,
        c.unsigned_abs() % 100
    )
}

/// The pain.001's elements and attributes that the run does not write as it writes them: a
/// namespace prefix, a clearing system other than `<ClrSysId><Cd>CNAPS</Cd></ClrSysId>`, a
/// currency other than `<Ccy>CNY</Ccy>` or `Ccy="CNY"` — each said in `problems`.
fn unwritten_forms(text: &str, problems: &mut Vec<String>) {
    // banks by CNAPS code and amounts in yuan (issue 6): a clearing system or a currency
    // changed by hand is a file the bank routes or books otherwise (a review found a
    // creditor agent's USABA and a payer account in USD passed)
    // (every element and attribute looked at, against the form the run writes — not only
    // that form's values: a space or a line break inside the element, or `<Prtry>` for
    // `<Cd>`, passed a search for the written form, a regression review. Text never holds a
    // raw `<` or `"`, escaped as it is: a payee named “Ccy” is no mention. One pass each.)
    let b = text.as_bytes();
    let value_at = |from: usize, close: u8| {
        let rest = &text[from..];
        rest.find(close as char).map_or(rest, |e| &rest[..e])
    };
    // the run writes every element in the document's default namespace: a prefixed one
    // (`<p:Ccy xmlns:p=…>USD</p:Ccy>`, valid against the schema) would hide from the
    // searches below (a regression review). A raw `<` is always markup.
    let prefixed = memchr::memchr_iter(b'<', b)
        .filter(|&at| {
            let name = b[at + 1..]
                .iter()
                .position(|c| c.is_ascii_whitespace() || matches!(c, b'>' | b'/'))
                .map_or(&b[at + 1..], |e| &b[at + 1..at + 1 + e]);
            name.contains(&b':')
        })
        .count();
    if prefixed > 0 {
        problems.push(format!(
            "{prefixed} element(s) with a namespace prefix: the run writes none"
        ));
    }
    let mut other_systems = 0usize;
    for at in memchr::memmem::find_iter(b, "<ClrSysId") {
        const WRITTEN: &str = "<ClrSysId><Cd>CNAPS</Cd></ClrSysId>";
        if text[at..].starts_with(WRITTEN) {
            continue;
        }
        const CD: &str = "<ClrSysId><Cd>";
        if text[at..].starts_with(CD) {
            let cd = value_at(at + CD.len(), b'<');
            problems.push(format!("clearing system {cd:?}, not CNAPS"));
        } else {
            other_systems += 1;
        }
    }
    if other_systems > 0 {
        problems.push(format!(
            "{other_systems} clearing-system element(s) not written <ClrSysId><Cd>CNAPS</Cd></ClrSysId>"
        ));
    }
    let mut other_currencies = 0usize;
    for at in memchr::memmem::find_iter(b, "Ccy") {
        let before = at.checked_sub(1).map(|i| b[i]);
        if before == Some(b'/') {
            continue; // a closing tag
        }
        if before == Some(b'<') {
            // an element
            if text[at - 1..].starts_with("<Ccy>CNY</Ccy>") {
                continue;
            }
            if text[at - 1..].starts_with("<Ccy>") {
                let v = value_at(at + 4, b'<');
                problems.push(format!("currency {v:?}, not CNY"));
            } else {
                other_currencies += 1;
            }
            continue;
        }
        // an attribute: `Ccy`, spaces, `=`, spaces, a quote
        let mut i = at + 3;
        let skip = |i: &mut usize| {
            while b.get(*i).is_some_and(|c| c.is_ascii_whitespace()) {
                *i += 1;
            }
        };
        skip(&mut i);
        if b.get(i) != Some(&b'=') {
            continue; // text
        }
        i += 1;
        skip(&mut i);
        if !matches!(b.get(i), Some(b'"' | b'\'')) {
            continue;
        }
        if text[at..].starts_with("Ccy=\"CNY\"") {
            continue;
        }
        if text[at..].starts_with("Ccy=\"") {
            let v = value_at(at + 5, b'"');
            problems.push(format!("currency {v:?}, not CNY"));
        } else {
            other_currencies += 1;
        }
    }
    if other_currencies > 0 {
        problems.push(format!(
            "{other_currencies} currency mention(s) not written Ccy=\"CNY\" or <Ccy>CNY</Ccy>"
        ));
    }
}

/// Checks a bank file (pain.001 XML or the flat layout) against itself and the payments:
/// counts and totals of the control fields equal the lines', payment ids are unique, and every
/// line is a payment with the same amount, account and bank. Returns the problems found.
/// `xml`: the file is the pain.001 (the run knows which file it wrote; `verify-bank` tells it by
/// its `.xml` name or its `<?xml` start) — not guessed from text found anywhere in it: a flat
/// file carries names and loan ids as they are, and one holding `<Document` was read as XML
/// and the run stopped on its own file (a regression review).
pub fn verify(
    bytes: &[u8],
    xml: bool,
    layout: &crate::pipeline::FlatLayout,
    payments: &Expectations,
    complete: bool,
) -> Vec<String> {
    // read as written — the XML in UTF-8, the flat file in its layout's encoding — not
    // guessed: a GBK batch whose only names are valid UTF-8 by chance (濮鸿波) was read back
    // garbled and the run refused its own file (a cold review)
    use crate::pipeline::Encoding;
    let written = if xml {
        Encoding::Utf8
    } else {
        Encoding::parse(&layout.encoding).unwrap_or(Encoding::Auto)
    };
    let (text, read_as, _) = crate::ingest::decode::decode(bytes, written);
    let mut problems = Vec::new();
    if !xml && layout.encoding.eq_ignore_ascii_case("gbk") {
        if let Some(at) = gbk_unreadable(bytes) {
            problems.push(format!(
                "bytes at offset {at} that GBK (as iconv and a bank's import read it) has no character for"
            ));
        }
    }
    let fields: String;
    // (id, amount, account, bank, payee name as written) of every line, borrowed from the text
    // or the records
    let mut lines: Vec<(&str, &str, &str, &str, &str)> = Vec::new();
    let money = cents;
    // the name as the file writes it: escaped and cut in the XML, as it is in the flat file
    // (absent from a flat layout without the column: not checked)
    let mut name_written: Option<fn(&str) -> String> = None;
    if xml {
        name_written = Some(|n| esc(cut(n, 140)));
        let (id, amount, account, agent, member, name) = (
            Tag::new("<EndToEndId>", "<"),
            Tag::new("<InstdAmt Ccy=\"CNY\">", "<"),
            Tag::new("<CdtrAcct><Id><Othr><Id>", "<"),
            Tag::new("<CdtrAgt>", "</CdtrAgt>"),
            Tag::new("<MmbId>", "<"),
            Tag::new("<Cdtr><Nm>", "<"),
        );
        for tx in tag_values(&text, "<CdtTrfTxInf>", "</CdtTrfTxInf>") {
            lines.push((
                id.first(tx).unwrap_or(""),
                amount.first(tx).unwrap_or(""),
                account.first(tx).unwrap_or(""),
                agent.first(tx).and_then(|a| member.first(a)).unwrap_or(""),
                name.first(tx).unwrap_or(""),
            ));
        }
        unwritten_forms(&text, &mut problems);
        let total = total_cents(lines.iter().map(|l| l.1));
        // (the group header's, then the payment batch's: named — a review found the same
        // line said twice)
        let level = |i: usize| if i == 0 { "GrpHdr" } else { "PmtInf" };
        for (i, n) in tag_values(&text, "<NbOfTxs>", "<").into_iter().enumerate() {
            if n.parse::<usize>().ok() != Some(lines.len()) {
                problems.push(format!(
                    "{} NbOfTxs {n} but {} transactions",
                    level(i),
                    lines.len()
                ));
            }
        }
        for (i, c) in tag_values(&text, "<CtrlSum>", "<").into_iter().enumerate() {
            if sum_cents(c) != Some(total) {
                problems.push(format!(
                    "{} CtrlSum {c} but the transactions add up to {}",
                    level(i),
                    yuan(total)
                ));
            }
        }
    } else {
        let delim = layout.delimiter.as_bytes().first().copied().unwrap_or(b',');
        // a GBK/GB18030 file is split on its bytes, as a 代发 import splits it: the second byte
        // of a character can be the delimiter's (珅 is AB 7C in GBK, 7C is `|`) and cuts the line
        // there — read as text, it did not (since 2026-12-02: a review)
        let gb = read_as == crate::ingest::decode::Detected::Gb18030;
        let field = |b: &[u8]| -> String {
            if gb {
                encoding_rs::GB18030
                    .decode_without_bom_handling(b)
                    .0
                    .into_owned()
            } else {
                String::from_utf8_lossy(b).into_owned()
            }
        };
        // (split on the delimiter's byte and no quoting read, as a 代发 import splits it: a
        // quoted field holding the delimiter is two fields to the bank — a cold review found
        // such a line passed)
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delim)
            .has_headers(false)
            .flexible(true)
            .quoting(false)
            .from_reader(if gb { bytes } else { text.as_bytes() });
        // a record's physical line: one more than the line breaks up to where csv starts it
        // (at its first byte, or at the LF of the CRLF before it — csv's own line count lagged
        // one behind there: a line after the first was named as the one before it, a cold
        // review)
        let source: &[u8] = if gb { bytes } else { text.as_bytes() };
        let line_of = |r: &csv::ByteRecord| -> usize {
            let at = r.position().map_or(0, |p| p.byte() as usize);
            let upto = source.len().min(at.saturating_add(1));
            memchr::memchr_iter(b'\n', &source[..upto]).count() + 1
        };
        let col = |n: &str| layout.columns.iter().position(|c| c == n);
        let (id, amount, account, bank, name) = (
            col("payment_id"),
            col("amount"),
            col("account_no"),
            col("bank_code"),
            col("payee_name"),
        );
        // the lines' sequence numbers, 1 to n in order where the layout has them (a review
        // found a repeated one passed)
        let seq = col("seq");
        if name.is_some() {
            name_written = Some(str::to_string);
        }
        // each line's four fields copied into one text (not a record kept per line); the
        // header, if the layout has one, is the first record read, the control line the last
        let mut text_of = String::new();
        let mut spans: Vec<[(usize, usize); 5]> = Vec::new();
        let (mut cur, mut prev) = (csv::ByteRecord::new(), csv::ByteRecord::new());
        let (mut have_prev, mut header) = (false, layout.header);
        loop {
            match rdr.read_byte_record(&mut cur) {
                Ok(true) => {}
                Ok(false) => break,
                // (a record that cannot be read is passed over)
                Err(_) => continue,
            }
            if std::mem::take(&mut header) {
                continue;
            }
            if have_prev {
                if prev.len() != layout.columns.len() {
                    problems.push(format!(
                        "line {}: {} fields, the layout has {} (a value holds the delimiter{})",
                        line_of(&prev),
                        prev.len(),
                        layout.columns.len(),
                        if gb {
                            ", or a character whose GBK bytes hold its byte"
                        } else {
                            ""
                        }
                    ));
                }
                if let Some(k) = seq {
                    // (the line's number: the lines before it, plus one)
                    let want = spans.len() + 1;
                    let v = field(prev.get(k).unwrap_or(b""));
                    if v != itoa::Buffer::new().format(want) {
                        problems.push(format!(
                            "line {}: sequence number {v:?}, expected {want}",
                            line_of(&prev)
                        ));
                    }
                }
                spans.push([id, amount, account, bank, name].map(|i| {
                    let start = text_of.len();
                    text_of.push_str(&field(i.and_then(|i| prev.get(i)).unwrap_or(b"")));
                    (start, text_of.len())
                }));
            }
            std::mem::swap(&mut prev, &mut cur);
            have_prev = true;
        }
        let control = have_prev.then_some(prev);
        fields = text_of;
        for s in &spans {
            let get = |k: usize| &fields[s[k].0..s[k].1];
            lines.push((get(0), get(1), get(2), get(3), get(4)));
        }
        let total = total_cents(lines.iter().map(|l| l.1));
        match control {
            // (the label read as written, in the layout's encoding: a GBK 合计 compared as
            // UTF-8 bytes was never found, and every run stopped — a cold review)
            Some(c) if c.get(0).map(&field).as_deref() == Some(layout.control_label.as_str()) => {
                let (count, sum) = (c.get(1).map(&field), c.get(2).map(&field));
                if count.as_deref().and_then(|n| n.parse::<usize>().ok()) != Some(lines.len()) {
                    problems.push(format!(
                        "control count {} but {} lines",
                        count.as_deref().unwrap_or("(none)"),
                        lines.len()
                    ));
                }
                if sum.as_deref().and_then(sum_cents) != Some(total) {
                    problems.push(format!(
                        "control total {} but the lines add up to {}",
                        sum.as_deref().unwrap_or("(none)"),
                        yuan(total)
                    ));
                }
            }
            _ => problems.push(format!(
                "no control line starting with {:?}",
                layout.control_label
            )),
        }
    }
    let mut seen = rustc_hash::FxHashSet::with_capacity_and_hasher(lines.len(), Default::default());
    for &(id, amount, account, bank, name) in &lines {
        if !seen.insert(id) {
            problems.push(format!("payment id {id} appears twice"));
        }
        match payments.get(id) {
            None => problems.push(format!("payment id {id} is not in payments.csv")),
            Some(e) => {
                // (a line whose amount is no amount is said even where payments.csv says the
                // same: it is left out of the total, and was passed — a review)
                if money(amount).is_none() {
                    problems.push(format!("{id}: amount {amount:?} is not an amount"));
                } else if money(amount) != e.cents {
                    problems.push(format!(
                        "{id}: amount {amount}, payments.csv says {}",
                        e.text.map_or_else(
                            || e.cents.map_or_else(
                                || "no amount".to_string(),
                                |c| Money::from_cents(c).to_string()
                            ),
                            str::to_string
                        )
                    ));
                }
                if e.account.is_some_and(|a| a != account) || bank != e.bank_code {
                    problems.push(format!("{id}: account or bank differs from the payee's"));
                }
                if let (Some(expected), Some(written)) = (e.name, name_written) {
                    if written(expected) != name {
                        problems.push(format!(
                            "{id}: payee name {name:?}, payments.csv says {expected:?}"
                        ));
                    }
                }
            }
        }
    }
    // `complete`: `payments` are exactly this file's — each must be in it (a line dropped with
    // the control totals adjusted would otherwise pass; the ledger holds it as sent)
    if complete {
        let mut missing: Vec<&str> = payments
            .keys()
            .copied()
            .filter(|id| !seen.contains(id))
            .collect();
        missing.sort_unstable();
        for id in missing {
            problems.push(format!(
                "payment id {id} of payments.csv (this file's funding) is not in the file"
            ));
        }
    }
    problems
}

/// The payer account and its bank's CNAPS code a pain.001 names (`DbtrAcct`, `DbtrAgt`).
pub fn payer_of(xml: &str) -> (Option<&str>, Option<&str>) {
    let account = Tag::new("<DbtrAcct><Id><Othr><Id>", "<").first(xml);
    let bank = Tag::new("<DbtrAgt>", "</DbtrAgt>")
        .first(xml)
        .and_then(|a| Tag::new("<MmbId>", "<").first(a));
    (account, bank)
}

/// The official schema, shipped with the binary for `verify-bank`.
pub const PAIN001_XSD: &str = include_str!("../../xsd/pain.001.001.09.xsd");

/// Removes the schema-check folders (`disburse-xsd-PID-N`) of processes no longer running (a
/// run killed during its checks leaves its folder).
fn remove_stale_check_folders() {
    super::atomic::remove_left_by_dead_processes(
        &std::env::temp_dir(),
        |name| {
            name.strip_prefix("disburse-xsd-")
                .and_then(|rest| rest.split('-').next())
                .and_then(|p| p.parse().ok())
        },
        |p| std::fs::remove_dir_all(p),
    );
}

/// Validates XML held in memory against the pain.001.001.09 schema with `xmllint` (fed on
/// stdin); `Ok(false)` when xmllint is not installed.
pub fn schema_check_bytes(xml: &[u8]) -> Result<bool, String> {
    use std::io::Write;
    // a folder of its own per check (batches are checked side by side), created new: never
    // one another process made
    static CHECKS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    static STALE: std::sync::Once = std::sync::Once::new();
    STALE.call_once(remove_stale_check_folders);
    let dir = loop {
        let n = CHECKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("disburse-xsd-{}-{n}", std::process::id()));
        match std::fs::create_dir(&dir) {
            Ok(()) => break dir,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => continue,
            Err(e) => return Err(format!("{}: {e}", dir.display())),
        }
    };
    let xsd = dir.join("pain.001.001.09.xsd");
    let result = std::fs::write(&xsd, PAIN001_XSD)
        .map_err(|e| e.to_string())
        .and_then(|()| {
            // --sax: validated as it is parsed (libxml2's streaming schema validation on SAX
            // events), without building the document (a 40 MB file would take 300 MB as a
            // tree); a third faster than --stream's reader (0.35 against 0.55 s of a core on a
            // month's 37 MB loan batch) and the same verdicts (tested on broken documents).
            // Errors are reported while the input is still being read, so stdin is fed from
            // its own thread while stderr is collected.
            let child = std::process::Command::new("xmllint")
                .arg("--noout")
                .arg("--sax")
                .arg("--schema")
                .arg(&xsd)
                .arg("-")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn();
            let Ok(mut c) = child else {
                return Ok(false);
            };
            let stdin = c.stdin.take();
            std::thread::scope(|s| {
                let feeder = s.spawn(move || stdin.map(|mut i| i.write_all(xml)));
                let out = c.wait_with_output();
                let fed = feeder.join();
                match out {
                    Ok(o) if o.status.success() && matches!(fed, Ok(Some(Ok(())))) => Ok(true),
                    Ok(o) => Err(String::from_utf8_lossy(&o.stderr).trim().to_string()),
                    Err(e) => Err(e.to_string()),
                }
            })
        });
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Why a flat bank file (代发) cannot carry a character as it stands, in the order a name is
/// judged by (`first_uncarried`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Uncarried {
    /// a line break, a control character, a quote or the delimiter: it cuts the bank's line
    /// (a 代发 import splits a line on the delimiter's byte and reads no CSV quoting)
    Cuts,
    /// the encoding has no such character (GBK: 𠮷 and many more; GB18030's encoder only
    /// U+E5E5)
    NotInEncoding,
    /// its bytes read back as another character (the bytes and what they read as): the
    /// private-use code points GB18030-2005 mapped to characters GB18030-2022 encodes in their
    /// own right (U+E81E is written FE 59, which reads 龴) — the bank would credit a name the
    /// register does not hold (a review found such a name stop the run at its own check)
    ReadsAs(Vec<u8>, String),
    /// its bytes in GBK or GB18030 hold the delimiter's (a character's second byte can be
    /// 0x40–0x7E: 珅 is AB 7C in GBK, 0x7C is `|`), which an import splitting the line on bytes
    /// cuts there; the bytes
    DelimiterByte(Vec<u8>),
}

/// Whether the flat file in `encoding` with delimiter byte `delim` cannot carry `c` as it
/// stands, and why: the one judgement of a payee name (its line held), a control label
/// (refused at load) and a remark (the character written `?`).
pub fn uncarried(c: char, encoding: &str, delim: u8) -> Option<Uncarried> {
    // (U+FEFF too: at a headerless file's start it reads as the byte-order mark and is dropped
    // — a review found a name beginning with it stop the run at its own check)
    if c.is_control()
        || c == '"'
        || c == '\u{FEFF}'
        || (c.is_ascii() && c as u32 == u32::from(delim))
    {
        return Some(Uncarried::Cuts);
    }
    if c.is_ascii() {
        return None;
    }
    let enc = match encoding.to_ascii_lowercase().as_str() {
        "gbk" => encoding_rs::GBK,
        "gb18030" => encoding_rs::GB18030,
        _ => return None,
    };
    let mut buf = [0u8; 4];
    let text = c.encode_utf8(&mut buf);
    let (bytes, _, unmappable) = enc.encode(text);
    if unmappable {
        return Some(Uncarried::NotInEncoding);
    }
    // GBK itself (glibc's iconv and a bank's GBK) has no code for what GB18030 added to its
    // two-byte area — the user-defined areas (AA–AF/F8–FE × A1–FE, A1–A7 × 40–A0: the
    // private-use points U+E000–U+E765 a rare name character is often made in), the characters
    // GB18030-2022 moved there (龴 FE 59, ︐ A6 D9, ǹ A8 BF, ⺁ FE 50 …) —, nor for € (the single
    // byte 0x80, CP936's addition): a GBK reader refuses the bytes or reads another character
    // (cold reviews found 龴 and ︐, then U+E000 and ǹ, paid in a GBK file iconv cannot read)
    if enc == encoding_rs::GBK {
        let read = match bytes[..] {
            [lead, trail] => gbk_reads(lead, trail),
            [b] => b < 0x80,
            _ => false,
        };
        if !read {
            return Some(Uncarried::NotInEncoding);
        }
    }
    // six private-use code points GB18030-2005 mapped to FE 51, FE 52, FE 53, FE 6C, FE 76 and
    // FE 91, which GB18030-2022 reads as characters outside the BMP (𠂇 𠂉 𠃌 𡗗 𢦏 𤇾) — the
    // encoders used here still decode them as the private-use points (a review found U+E816
    // paid as FE 51, which glibc's iconv reads 𠂇)
    const TO_ASTRAL: [(char, char); 6] = [
        ('\u{E816}', '\u{20087}'),
        ('\u{E817}', '\u{20089}'),
        ('\u{E818}', '\u{200CC}'),
        ('\u{E831}', '\u{215D7}'),
        ('\u{E83B}', '\u{2298F}'),
        ('\u{E855}', '\u{241FE}'),
    ];
    if let Some((_, to)) = TO_ASTRAL.iter().find(|(p, _)| *p == c) {
        return Some(Uncarried::ReadsAs(bytes.into_owned(), to.to_string()));
    }
    // (the CJK ideographs GBK has always held, U+4E00–U+9FA5 — nearly every name's —, read back
    // as themselves: not decoded again)
    let back = if ('\u{4E00}'..='\u{9FA5}').contains(&c) {
        String::new()
    } else {
        enc.decode_without_bom_handling(&bytes).0.into_owned()
    };
    if !back.is_empty() && back != *text {
        Some(Uncarried::ReadsAs(bytes.into_owned(), back))
    } else if bytes.contains(&delim) {
        Some(Uncarried::DelimiterByte(bytes.into_owned()))
    } else {
        None
    }
}

/// Whether GBK as glibc's iconv (and a bank's GBK import) reads it has a character for the
/// two bytes `lead` `trail`: GBK's own areas, without GB18030's user-defined areas and the
/// code points it added inside GBK's (`GB18030_ONLY`). Checked against iconv over every pair
/// (a test).
pub fn gbk_reads(lead: u8, trail: u8) -> bool {
    let user_defined = matches!((lead, trail), (0xAA..=0xAF | 0xF8..=0xFE, 0xA1..=0xFE))
        || matches!((lead, trail), (0xA1..=0xA7, 0x40..=0xA0));
    (0x81..=0xFE).contains(&lead)
        && (0x40..=0xFE).contains(&trail)
        && trail != 0x7F
        && !user_defined
        && !GB18030_ONLY
            .iter()
            .any(|&(l, lo, hi)| l == lead && (lo..=hi).contains(&trail))
}

/// The offset of the first character of GBK text `bytes` that GBK as iconv reads it has none
/// for (`gbk_reads`; a lone 0x80, 0xFF, a lead byte at the end): `verify-bank` passed such a
/// file (a cold review).
fn gbk_unreadable(bytes: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b if b < 0x80 => i += 1,
            lead => match bytes.get(i + 1) {
                Some(&trail) if gbk_reads(lead, trail) => i += 2,
                _ => return Some(i),
            },
        }
    }
    None
}

/// The byte pairs (lead, first trail, last trail) GB18030 reads as characters and GBK has no
/// character for, outside the user-defined areas: symbols and vertical forms (A2–A9), the
/// five after 齄 (D7 FA–FE), and the CJK radicals and ideographs of FE 50–A0.
const GB18030_ONLY: [(u8, u8, u8); 26] = [
    (0xA2, 0xAB, 0xB0),
    (0xA2, 0xE3, 0xE4),
    (0xA2, 0xEF, 0xF0),
    (0xA2, 0xFD, 0xFE),
    (0xA4, 0xF4, 0xFE),
    (0xA5, 0xF7, 0xFE),
    (0xA6, 0xB9, 0xC0),
    (0xA6, 0xD9, 0xDF),
    (0xA6, 0xEC, 0xED),
    (0xA6, 0xF3, 0xF3),
    (0xA6, 0xF6, 0xFE),
    (0xA7, 0xC2, 0xD0),
    (0xA7, 0xF2, 0xFE),
    (0xA8, 0x96, 0xA0),
    (0xA8, 0xBC, 0xBC),
    (0xA8, 0xBF, 0xBF),
    (0xA8, 0xC1, 0xC4),
    (0xA8, 0xEA, 0xFE),
    (0xA9, 0x58, 0x58),
    (0xA9, 0x5B, 0x5B),
    (0xA9, 0x5D, 0x5F),
    (0xA9, 0x89, 0x95),
    (0xA9, 0x97, 0xA3),
    (0xA9, 0xF0, 0xFE),
    (0xD7, 0xFA, 0xFE),
    (0xFE, 0x50, 0xA0),
];

/// The character of `text` the flat file cannot carry that is said: of the first kind
/// (`Uncarried`'s order) any character has, the first character of that kind.
pub fn first_uncarried(text: &str, encoding: &str, delim: u8) -> Option<(char, Uncarried)> {
    let mut found: Option<(char, Uncarried)> = None;
    for c in text.chars() {
        if let Some(u) = uncarried(c, encoding, delim) {
            if found.as_ref().is_none_or(|(_, f)| u < *f) {
                found = Some((c, u));
            }
        }
    }
    found
}

/// `remark` with every character the flat file cannot carry as it stands (`uncarried`) made
/// `?`. The remark is this program's own text for the bank's statement — the programme, month
/// and a loan's contract number, free text in INPUTS.md —, not a field the bank matches: a
/// loan id holding `|` cut the line or stopped the run (a cold review); a payee name that
/// cannot be carried holds its line instead, since the bank credits that name.
fn carried(remark: &mut String, layout: &crate::pipeline::FlatLayout, delim: u8) {
    let bad = |c: char| uncarried(c, &layout.encoding, delim).is_some();
    if remark.chars().any(bad) {
        *remark = remark
            .chars()
            .map(|c| if bad(c) { '?' } else { c })
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::Tag;

    // A character the flat file writes as the bytes of another is not carried: U+E81E (a
    // private-use code point GB18030-2005 mapped to FE 59) is written FE 59 by both encoders,
    // and FE 59 reads 龴 (U+9FB4, encoded in its own right since GB18030-2022); U+E78D, A6 D9,
    // reads ︐ (U+FE10). A character that reads back as itself is carried: 张 (D5 C5), and in
    // GB18030 U+E7C7, which it writes as four bytes of its own (GBK has none: not in the
    // encoding). A review found such a name written, then the run stopped at its own check.
    // A CR in a name is written as a character reference: written as it is, any XML parser
    // reads it as LF (line ends are normalised), another name than payments.csv's (a review).
    #[test]
    fn a_carriage_return_in_a_name_survives_the_xml() {
        assert_eq!(super::esc("苏州\r精工&"), "苏州&#13;精工&amp;");
        assert_eq!(super::esc("苏州\n精工"), "苏州\n精工");
    }

    #[test]
    fn a_character_is_carried_only_where_its_bytes_read_back_as_itself() {
        use super::{uncarried, Uncarried};
        // (GBK has no character for those bytes at all: not in the encoding)
        assert_eq!(
            uncarried('\u{E81E}', "gb18030", b'|'),
            Some(Uncarried::ReadsAs(vec![0xFE, 0x59], "\u{9FB4}".into()))
        );
        assert_eq!(
            uncarried('\u{E78D}', "gb18030", b'|'),
            Some(Uncarried::ReadsAs(vec![0xA6, 0xD9], "\u{FE10}".into()))
        );
        for c in ['\u{E81E}', '\u{E78D}', '\u{E816}'] {
            assert_eq!(
                uncarried(c, "gbk", b'|'),
                Some(Uncarried::NotInEncoding),
                "{c}"
            );
        }
        for enc in ["gbk", "gb18030"] {
            assert_eq!(uncarried('张', enc, b'|'), None, "{enc}");
        }
        assert_eq!(uncarried('\u{E7C7}', "gb18030", b'|'), None);
        // six more that GB18030-2022 reads outside the BMP: U+E816 is FE 51, read 𠂇 (a review)
        assert_eq!(
            uncarried('\u{E816}', "gb18030", b'|'),
            Some(Uncarried::ReadsAs(vec![0xFE, 0x51], "\u{20087}".into()))
        );
        // and U+FEFF, which a headerless file's reader drops as a byte-order mark
        assert_eq!(uncarried('\u{FEFF}', "utf-8", b'|'), Some(Uncarried::Cuts));
        // (U+E5E5, the one code point GB18030's encoder refuses)
        assert_eq!(
            uncarried('\u{E5E5}', "gb18030", b'|'),
            Some(Uncarried::NotInEncoding)
        );
        assert_eq!(
            uncarried('\u{E7C7}', "gbk", b'|'),
            Some(Uncarried::NotInEncoding)
        );
        assert_eq!(uncarried('\u{E81E}', "utf-8", b'|'), None);
        // GBK has no code for what GB18030-2022 moved into those bytes: 龴 (U+9FB4, FE 59), the
        // vertical comma ︐ (U+FE10, A6 D9), ︙ (U+FE19, A6 F3), 龻 (U+9FBB, FE A0), nor € (0x80);
        // GB18030 has (a cold review found them paid in a GBK file iconv refuses)
        for c in ['\u{9FB4}', '\u{FE10}', '\u{FE19}', '\u{9FBB}', '€'] {
            assert_eq!(
                uncarried(c, "gbk", b'|'),
                Some(Uncarried::NotInEncoding),
                "{c}"
            );
        }
        assert_eq!(uncarried('\u{9FB4}', "gb18030", b'|'), None);
        // (neighbours GBK does hold stay carried: ︰ U+FE30 is A9 54, 龥 U+9FA5 is FD 9B)
        assert_eq!(uncarried('\u{FE30}', "gbk", b'|'), None);
        assert_eq!(uncarried('\u{9FA5}', "gbk", b'|'), None);
        // nor the user-defined areas' private-use points (U+E000 is AA A1, U+E4C6 A1 40, the
        // usual 造字 slots of a rare name character) and GB18030's additions ǹ (A8 BF), ḿ
        // (A8 BC), ⺁ (FE 50): GB18030 carries them (a cold review found them paid in a GBK file)
        for c in [
            '\u{E000}', '\u{E234}', '\u{E4C6}', '\u{E765}', 'ǹ', 'ḿ', '\u{2E81}',
        ] {
            assert_eq!(
                uncarried(c, "gbk", b'|'),
                Some(Uncarried::NotInEncoding),
                "{c}"
            );
            assert_eq!(uncarried(c, "gb18030", b'|'), None, "{c}");
        }
    }

    // GBK as the bank reads it is glibc's iconv's: every byte pair it decodes, `gbk_reads` says
    // readable, and every pair it refuses, not (GB18030's user-defined areas and additions: a
    // cold review found U+E000, written AA A1, stop `iconv -f GBK` on a batch file).
    #[test]
    fn gbk_readable_pairs_are_those_iconv_decodes() {
        let pairs: Vec<(u8, u8)> = (0x81..=0xFEu8)
            .flat_map(|a| (0x40..=0xFEu8).filter(|&b| b != 0x7F).map(move |b| (a, b)))
            .collect();
        let mut input = Vec::new();
        for &(a, b) in &pairs {
            input.extend_from_slice(&[a, b, b'\n']);
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pairs");
        std::fs::write(&path, &input).unwrap();
        // (-c drops what iconv cannot read: a pair it refuses leaves an empty line)
        let out = std::process::Command::new("iconv")
            .args(["-c", "-f", "GBK", "-t", "UTF-8"])
            .arg(&path)
            .output()
            .expect("iconv (glibc's libc-bin) runs");
        let text = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = text.split('\n').collect();
        let read: Vec<bool> = lines.iter().map(|l| !l.is_empty()).collect();
        assert_eq!(read.len(), pairs.len() + 1);
        // (and what it reads them as is what the encoder here writes them for)
        for (&(a, b), l) in pairs.iter().zip(&lines) {
            if !l.is_empty() {
                let pair = [a, b];
                let ours = encoding_rs::GBK.decode_without_bom_handling(&pair).0;
                assert_eq!(ours, *l, "{a:02X}{b:02X}");
            }
        }
        let differ: Vec<String> = pairs
            .iter()
            .zip(&read)
            .filter(|(&(a, b), &r)| super::gbk_reads(a, b) != r)
            .map(|((a, b), r)| format!("{a:02X}{b:02X} iconv {r}"))
            .collect();
        assert!(differ.is_empty(), "{} differ: {differ:?}", differ.len());
        assert_eq!(read.iter().filter(|&&r| r).count(), 21_791);
        assert_eq!(super::gbk_unreadable(b"ab\xD5\xC5c"), None);
        assert_eq!(super::gbk_unreadable(b"ab\xAA\xA1"), Some(2));
        assert_eq!(super::gbk_unreadable(b"\xD5\xC5\x80"), Some(2));
        assert_eq!(super::gbk_unreadable(b"\xD5"), Some(0));
    }

    // A control sum is read at any length a batch can reach (a batch of 16-digit lines adds up
    // to 17 digits: it was read as no amount, and the run refused its own file).
    #[test]
    fn control_sums_of_any_length_are_read_as_written() {
        use super::{sum_cents, total_cents, yuan};
        assert_eq!(
            sum_cents("12345678901234567.89"),
            Some(1_234_567_890_123_456_789)
        );
        assert_eq!(sum_cents("1.5"), Some(150));
        assert_eq!(sum_cents("7"), Some(700));
        for bad in ["1.", ".5", "1e3", "-1.00", "1.234", "", "1,000.00"] {
            assert_eq!(sum_cents(bad), None, "{bad}");
        }
        let t = total_cents(["9999999999999999.99", "9999999999999999.99", "x"].into_iter());
        assert_eq!(yuan(t), "19999999999999999.98");
        assert_eq!(sum_cents(&yuan(t)), Some(t));
    }

    // `first` finds what it found when it cut at the next `open` first: a value closed, one
    // left open up to the next tag, the last one open to the end, a close that is the start
    // of the next open, and no tag at all.
    #[test]
    fn first_value_as_cut_at_the_next_open() {
        let old = |t: &Tag, s: &'static str| -> Option<&'static str> {
            let rest = &s[t.open.find(s.as_bytes())? + t.open.needle().len()..];
            let piece = t.open.find(rest.as_bytes()).map_or(rest, |n| &rest[..n]);
            Some(t.cut(piece))
        };
        let tags = [
            Tag::new("<MmbId>", "<"),
            Tag::new("<CdtrAgt>", "</CdtrAgt>"),
            Tag::new("<EndToEndId>", "<"),
        ];
        let texts = [
            "<CdtrAgt><MmbId>102305000011</MmbId></CdtrAgt>",
            "<CdtrAgt><MmbId>1023<CdtrAgt>x</CdtrAgt>",
            "<MmbId>open to the end",
            "<MmbId><MmbId>2</MmbId>",
            "<CdtrAgt>a<CdtrAgt>b",
            "<EndToEndId>DSB1</EndToEndId><EndToEndId>DSB2<",
            "nothing here",
            "<CdtrAgt></CdtrAgt>",
        ];
        for t in &tags {
            for s in texts {
                assert_eq!(t.first(s), old(t, s), "{s}");
            }
        }
        assert_eq!(tags[0].first(texts[0]), Some("102305000011"));
        assert_eq!(tags[1].first(texts[1]), Some("<MmbId>1023"));
    }
}
