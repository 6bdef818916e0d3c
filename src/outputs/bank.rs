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
        let mut h = Sha256::new();
        h.update(format!("{pipeline}\u{1f}{payout}\u{1f}{}", funding.id).as_bytes());
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
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' && c != '\r' => {}
            c => o.push(c),
        }
    }
    o
}

/// The first `n` characters.
fn cut(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn agent(o: &mut String, tag: &str, cnaps: &str) {
    o.push_str(&format!(
        "<{tag}><FinInstnId><ClrSysMmbId><ClrSysId><Cd>CNAPS</Cd></ClrSysId><MmbId>{}</MmbId></ClrSysMmbId></FinInstnId></{tag}>",
        esc(cnaps)
    ));
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
        esc(&cut(&b.funding.name, 140))
    ));
    o.push_str(&format!(
        "<PmtInf><PmtInfId>{}-1</PmtInfId><PmtMtd>TRF</PmtMtd><NbOfTxs>{n}</NbOfTxs><CtrlSum>{}</CtrlSum><ReqdExctnDt><Dt>{day}</Dt></ReqdExctnDt><Dbtr><Nm>{}</Nm></Dbtr><DbtrAcct><Id><Othr><Id>{}</Id></Othr></Id><Ccy>CNY</Ccy></DbtrAcct>",
        cut(&b.msg_id, 33),
        b.total,
        esc(&cut(&b.funding.name, 140)),
        esc(b.account)
    ));
    agent(&mut o, "DbtrAgt", b.bank_code);
    o.push('\n');
    for l in &b.lines {
        o.push_str(&format!(
            "<CdtTrfTxInf><PmtId><EndToEndId>{}</EndToEndId></PmtId><Amt><InstdAmt Ccy=\"CNY\">{}</InstdAmt></Amt>",
            esc(&l.payment_id),
            l.amount
        ));
        agent(&mut o, "CdtrAgt", l.bank_code.as_deref().unwrap_or(""));
        let month = l.service_month.map(|m| m.to_string()).unwrap_or_default();
        o.push_str(&format!(
            "<Cdtr><Nm>{}</Nm></Cdtr><CdtrAcct><Id><Othr><Id>{}</Id></Othr></Id></CdtrAcct><RmtInf><Ustrd>{}</Ustrd></RmtInf></CdtTrfTxInf>\n",
            esc(&cut(&l.payee_name, 140)),
            esc(l.account_no.as_deref().unwrap_or("")),
            esc(&cut(&format!("{} {month} {}", l.programme, l.clause), 140))
        ));
    }
    o.push_str("</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n");
    o.into_bytes()
}
