//! Which payment lines the bank files can carry to a usable account (`payability`): a payee
//! name the pain.001 or the flat file cannot carry as it stands, a payee without a usable
//! account — each line withheld with one row; a UnionPay card failing the Luhn check is paid,
//! and said — and those lines taken out of the run's as its withheld lines (`withhold`).

use super::{at_payee_row, derivation_of, identify};
use crate::exceptions::{Code, Exception};
use crate::outputs::{self, payments::Line};
use crate::pipeline::Pipeline;
use crate::registers;

/// Each line's verdict, in order: `None` payable, else the code that withholds it (its row in
/// `exceptions`).
pub(super) fn payability(
    pipeline: &Pipeline,
    reg: &registers::Registers,
    lines: &[Line],
    exceptions: &mut Vec<Exception>,
) -> Vec<Option<Code>> {
    let mut payable = Vec::with_capacity(lines.len());
    // a flat file in GBK cannot carry every name (rare characters, 𠮷): such a line is held,
    // not the whole batch refused; nor, in any layout, a line break, a control character or
    // the layout's delimiter, which would cut the bank's line (a 代发 import does not read
    // CSV quoting)
    // (in GBK or GB18030 a character's second byte can be the delimiter's, 珅 is AB 7C in GBK
    // and 7C is `|`: an import that splits the line on bytes cuts the name there — since
    // 2026-12-02, a review found such lines written and verify-bank passing them;
    // `outputs::bank::uncarried` judges every character)
    let flat_name = pipeline.flat.columns.iter().any(|c| c == "payee_name");
    let delim = pipeline
        .flat
        .delimiter
        .as_bytes()
        .first()
        .copied()
        .unwrap_or(b',');
    // and, whatever the flat layout, a character XML 1.0 cannot carry (a control character
    // other than tab and line breaks, U+FFFE, U+FFFF): the pain.001 would not be well-formed
    let not_xml = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    // (a name that is the control line's label, in a layout whose lines begin with the name:
    // the bank would read the payment line as the control line — a bank-file review)
    let name_first = pipeline
        .flat
        .columns
        .first()
        .is_some_and(|c| c == "payee_name");
    for line in lines {
        // (pain.001's Nm is a Max140Text: a longer name was cut there while the flat file and
        // payments.csv kept it whole, and the bank credited a name no file said — a cold
        // review; the name is the register's to shorten, 户名 as the bank holds it)
        let chars = line.payee_name.chars().count();
        let is_label = name_first && line.payee_name.trim() == pipeline.flat.control_label.trim();
        let cannot = if chars > 140 || is_label {
            None
        } else if let Some(c) = line.payee_name.chars().find(|&c| not_xml(c)) {
            Some((c, "the bank's pain.001 XML cannot carry it".to_string(), ""))
        } else {
            use outputs::bank::Uncarried;
            // (a character's bytes as the message shows them: `AB 7C`)
            let hex = |bytes: &[u8]| {
                bytes
                    .iter()
                    .map(|b| format!("{b:02X}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            flat_name
                .then(|| {
                    outputs::bank::first_uncarried(&line.payee_name, &pipeline.flat.encoding, delim)
                })
                .flatten()
                .map(|(c, u)| match u {
                    Uncarried::Cuts => (
                        c,
                        "a line break, control character, quote or the delimiter cuts a line of the bank's flat file".to_string(),
                        "",
                    ),
                    // (GB18030's encoder refuses one code point too, U+E5E5: a review found a
                    // gb18030 layout told to become gb18030)
                    Uncarried::NotInEncoding if pipeline.flat.encoding.eq_ignore_ascii_case("gbk") => (
                        c,
                        "the bank's GBK flat file cannot carry it".to_string(),
                        " or set the bank layout to gb18030",
                    ),
                    Uncarried::NotInEncoding => (
                        c,
                        format!(
                            "the bank's {} flat file cannot carry it",
                            pipeline.flat.encoding.to_ascii_uppercase()
                        ),
                        "",
                    ),
                    Uncarried::ReadsAs(bytes, back) => (
                        c,
                        format!(
                            "its {} bytes {} read back as {back:?}: the bank would credit another name",
                            pipeline.flat.encoding.to_ascii_uppercase(),
                            hex(&bytes),
                        ),
                        "",
                    ),
                    Uncarried::DelimiterByte(bytes) => (
                        c,
                        format!(
                            "its {} bytes {} hold the delimiter {:?} (0x{delim:02X}), which cuts a line of the bank's flat file for an import that splits it on bytes",
                            pipeline.flat.encoding.to_ascii_uppercase(),
                            hex(&bytes),
                            delim as char,
                        ),
                        " or agree with the bank on a delimiter no GBK byte can be (, ; or a tab)",
                    ),
                })
        };
        // the name the bank files cannot carry as it stands: the line withheld, one row
        let (kind, id, name, pid) = (
            &line.payee_kind,
            &line.payee_id,
            &line.payee_name,
            &line.payment_id,
        );
        let held = if chars > 140 {
            Some(format!(
                "{kind} {id}: the payee name {name:?} is {chars} characters long: the bank's pain.001 carries at most 140 (Max140Text); line {pid} withheld: correct the name in the register to the account's name as the bank holds it"
            ))
        } else if is_label {
            Some(format!(
                "{kind} {id}: the payee name {name:?} is the flat file's control label, and the layout's lines begin with the name: the bank would read line {pid} as the control line; withheld: correct the name in the register, or choose another control_label"
            ))
        } else {
            cannot.map(|(c, why, or)| {
                format!(
                    "{kind} {id}: the payee name {name:?} holds {c:?} (U+{:04X}): {why}; line {pid} withheld: correct the name in the register{or}",
                    c as u32
                )
            })
        };
        if let Some(message) = held {
            let message = format!("{message} — the line: {}", derivation_of(line));
            let x = Exception::new(Code::PayeeNameNotEncodable, message)
                .programme(line.programme)
                .amount(line.amount);
            exceptions.push(at_payee_row(identify(x, line), line, reg));
            payable.push(Some(Code::PayeeNameNotEncodable));
            continue;
        }
        let problem = if line.payee_kind == "bank" {
            // a bank payee is credited at its CNAPS code itself
            outputs::payments::bank_problem(line.bank_code.as_deref())
        } else {
            outputs::payments::account_problem(
                line.bank_code.as_deref(),
                line.account_no.as_deref(),
            )
        };
        match problem {
            None => {
                if line
                    .account_no
                    .as_deref()
                    .is_some_and(outputs::payments::unionpay_fails_luhn)
                {
                    let x = Exception::new(
                        Code::UnionpayLuhn,
                        format!(
                            "line {}: the payee's UnionPay card {} fails the Luhn check (some valid cards do); paid, please confirm the number",
                            line.payment_id,
                            outputs::payments::mask_account(line.account_no.as_deref().unwrap_or(""))
                        ),
                    )
                    // (no amount: the line is paid, nothing withheld — OUTPUTS.md's column)
                    .programme(line.programme);
                    exceptions.push(at_payee_row(identify(x, line), line, reg));
                }
                payable.push(None);
            }
            Some(why) => {
                let x = Exception::new(
                    Code::PayeeNoAccount,
                    // (with the withheld line's derivation, clause and rows: an auditor's trace
                    // found a withheld amount traceable only by re-running — the line is in no
                    // payments.csv until the account is fixed)
                    format!(
                        "{} {} ({}) has no usable account: {why}; line {} for {} withheld: {}",
                        line.payee_kind,
                        line.payee_id,
                        line.payee_name,
                        line.payment_id,
                        line.service_month
                            .map(|m| m.to_string())
                            .unwrap_or_default(),
                        derivation_of(line)
                    ),
                )
                .programme(line.programme)
                .amount(line.amount);
                exceptions.push(at_payee_row(identify(x, line), line, reg));
                payable.push(Some(Code::PayeeNoAccount));
            }
        }
    }
    payable
}

/// Takes the lines `payable` marks (a payee name the bank files cannot carry, no usable
/// account) out of `lines`, where they lie, and returns them as the run's withheld lines —
/// but a loan's: its instalments come again in every extract of its book (INPUTS.md), not kept.
/// A retry withheld so is not paid again: its `PAYMENT_RETRY` row in `exceptions` says so.
pub(super) fn withhold(
    history: &crate::ledger::History,
    lines: &mut Vec<Line>,
    payable: Vec<Option<Code>>,
    exceptions: &mut [Exception],
) -> Vec<crate::ledger::Held> {
    let held: Vec<crate::ledger::Held> = lines
        .iter()
        .zip(&payable)
        .filter_map(|(l, c)| {
            c.filter(|_| !l.programme.starts_with("loan_")).map(|c| {
                let (seq, top_up) = match history.seen(&l.month_key) {
                    crate::ledger::Seen::Paid(e) => (e.lines, true),
                    crate::ledger::Seen::Failed(e) => (e.lines, false),
                    crate::ledger::Seen::New => (0, false),
                };
                crate::ledger::Held {
                    line: l.clone(),
                    code: c.as_str(),
                    seq,
                    top_up,
                }
            })
        })
        .collect();
    // (a retry withheld here — the payee's account gone, its name — is not paid again: its
    // PAYMENT_RETRY row says so, without an amount — a review found “paid again” beside the
    // hold; the withheld line's own row gives the amount)
    let withheld: rustc_hash::FxHashMap<&str, Code> = lines
        .iter()
        .zip(&payable)
        .filter_map(|(l, c)| Some((l.payment_id.as_str(), (*c)?)))
        .collect();
    if !withheld.is_empty() {
        for x in exceptions
            .iter_mut()
            .filter(|x| x.code == Code::PaymentRetry)
        {
            if let Some(c) = x.line.as_deref().and_then(|id| withheld.get(id)) {
                if x.message.contains(": paid again") {
                    let now = format!(": due again, withheld in this run ({})", c.as_str());
                    x.message = x.message.replacen(": paid again", &now, 1);
                    x.amount = None;
                }
            }
        }
    }
    let mut payable = payable.into_iter();
    lines.retain(|_| payable.next().is_some_and(|c| c.is_none()));
    held
}
