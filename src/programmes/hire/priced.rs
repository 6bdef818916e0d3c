//! A month as one programme prices it under one contract: the day its share is read on, how
//! the month's SI stands for it (paid in time, late, unpaid), what earlier runs' lines of it
//! leave to pay (`Ledgered`), the rows its late or unpaid SI says, and the line's basis text.

use super::month::MonthCtx;
use super::{
    compare, mask_of, month_rows_to_keep, pricing_day, reversed_marker, si_breakdown,
    unpaid_never_subsidised, Error, HireProgramme,
};
use crate::domain::{Date, Money};
use crate::exceptions::{Code, Exception};
use crate::ingest::records::EmploymentRow;
use crate::ledger::Seen;
use crate::pipeline::{ParamError, ParamRef};
use crate::programmes::si::SiMonth;
use crate::programmes::{Ctx, Outcome, Payee};
use rust_decimal::Decimal;

/// How `prog` prices the month under one contract.
pub(super) struct Pricing<'a> {
    ctx: &'a Ctx<'a>,
    pub prog: &'a dyn HireProgramme,
    /// the day the share is read on (`pricing_day`)
    on: Date,
    /// a fixed monthly amount, whatever the SI
    pub fixed: bool,
    /// some SI of the month paid in time (for a fixed amount a row counts by its payment, not
    /// its cents: a row of 0.00 employer SI — a relief — paid in time is the month's evidence,
    /// one unpaid or paid late is said as such; a cold review found 0.00 rows read as neither)
    pub paid_any: bool,
    /// some SI of the month paid after the payout month
    pub late_any: bool,
    /// some SI of the month not paid
    unpaid_any: bool,
}

impl<'a> Pricing<'a> {
    pub fn new(
        ctx: &'a Ctx<'a>,
        prog: &'a dyn HireProgramme,
        m: &SiMonth,
        contract: &EmploymentRow,
    ) -> Self {
        let fixed = prog.fixed_amount();
        Pricing {
            ctx,
            prog,
            on: pricing_day(ctx, prog, m.period, contract),
            fixed,
            paid_any: if fixed {
                m.paid_mask != 0
            } else {
                m.paid_total() > 0
            },
            late_any: m.late > 0 || (fixed && m.late_mask != 0),
            unpaid_any: m.unpaid > 0 || (fixed && m.unpaid_line != 0),
        }
    }

    /// The subsidy `si` cents of the month's SI would give (an exception's amount is what is
    /// withheld, OUTPUTS.md): a fixed monthly amount whatever the SI, or its share of it; 0
    /// (no amount shown) with no rule in force.
    pub fn withheld(&self, si: i64) -> i64 {
        match self.prog.share(self.ctx, self.on) {
            Ok(s) if self.fixed => Money::round(s.value).cents(),
            Ok(s) => Money::round(Money::from_cents(si).decimal() * s.value).cents(),
            Err(_) => 0,
        }
    }

    /// What part of the month unpaid or late SI withholds: its share; a fixed amount is
    /// withheld only when nothing of the month was paid in time (else it is paid).
    pub fn withheld_part(&self, si: i64) -> i64 {
        if self.fixed && self.paid_any {
            0
        } else {
            self.withheld(si)
        }
    }
}

/// What earlier runs' lines of the month leave this run to pay.
#[derive(Default)]
pub(super) struct Ledgered {
    /// the line's sequence number within the month (0: its first line)
    pub seq: u32,
    /// a top-up: the month's SI newly paid since its lines, per insurance
    pub top_up: Option<[i64; 5]>,
    /// a retry of a line the bank returned as failed: the bank's reason
    pub retry: Option<String>,
    /// the basis of a month paid before whose SI this extract shows lowered and another
    /// insurance newly paid (a top-up beside a reversal): an insurance subsidised then and
    /// unpaid now is the reversal's, not an unpaid row's
    pub reversed_basis: Option<[i64; 5]>,
    /// the insurances a returned or withheld line was computed on that this extract holds no
    /// row of (`MonthCtx::carry`)
    pub carried: Option<([i64; 5], u8)>,
    /// a top-up's: what the month's earlier lines were computed on, and how many
    pub already: Option<([i64; 5], u32)>,
}

impl Ledgered {
    /// The SI the line is computed on: a top-up's newly paid SI, else the month's paid SI with
    /// what a returned or withheld line carries.
    pub fn basis_cents(&self, m: &SiMonth) -> [i64; 5] {
        self.top_up.or(self.carried.map(|c| c.0)).unwrap_or(m.paid)
    }
}

impl MonthCtx<'_> {
    /// A month `p` subsidises once every insurance of it is paid (足额缴纳) that this run
    /// cannot pay (not a top-up: `first`): rows of one of its insurances that differ (all
    /// rejected, DUPLICATE_KEY), or a row of it rejected as unreadable (a bad date or amount —
    /// since 2026-12-07: a grader found a month paid on four rows, its pension then shown
    /// unpaid), so whether it was paid in full cannot be told — it waits for one readable row
    /// of each (a review found it paid on its other insurances as if paid in full); or an
    /// insurance not paid in full, or paid after the payout month. The row that says so.
    pub fn short_of_full(&self, p: &Pricing, first: bool) -> Option<Exception> {
        let (ctx, m, si_of) = (self.ctx, self.m, self.si_of);
        if !p.prog.paid_in_full_only() || !first {
            return None;
        }
        let code = p.prog.code();
        let withheld = || p.withheld(m.unpaid + m.late + m.paid_total());
        let key = m.row_key();
        let why = if ctx.inputs.disputed.binary_search(&key).is_ok() {
            Some("rows of one of its insurances differ and were rejected (DUPLICATE_KEY)")
        } else if ctx.inputs.unreadable.binary_search(&key).is_ok() {
            Some("a row of it was rejected as unreadable (its reject row in this report)")
        } else {
            None
        };
        if let Some(why) = why {
            return Some(self.info_at(
                Code::SiUnpaid,
                format!(
                    "{si_of} for {}: {why}: {code} subsidises a month once every insurance of it is paid (足额缴纳), which cannot be told; a later run pays it once the extract holds one readable row of each insurance",
                    m.period
                ),
                code,
                withheld(),
                0,
            ));
        }
        let (unpaid, line) = m.short_of_full(&ctx.inputs.contributions, ctx.payout.last_day())?;
        let (c, why) = if unpaid {
            (
                Code::SiUnpaid,
                format!("not paid in full by {}", ctx.payout.last_day()),
            )
        } else {
            (
                Code::SiPaidAfterPayoutMonth,
                format!("paid after {}", ctx.payout.last_day()),
            )
        };
        Some(self.info_at(
            c,
            format!(
                "{si_of} for {} {why} ({}): {code} subsidises a month once every insurance of it is paid (足额缴纳); a later run pays it then",
                m.period,
                m.source()
            ),
            code,
            withheld(),
            line,
        ))
    }

    /// The month's SI paid after the payout month and its SI unpaid, said beside the line
    /// this run may still make of it (its share withheld; a fixed amount is paid on the SI
    /// paid in time). Beside a reversal (`reversed_basis`), the unpaid rows of insurances never
    /// subsidised only: one subsidised then and unpaid now is the reversal's (a contract-only
    /// review found an injury row refunded said both SI_REVERSAL and SI_UNPAID “not
    /// subsidised” when the run topped up the month's medical). Whether any SI of the month is
    /// said unpaid.
    pub fn late_and_unpaid(
        &self,
        p: &Pricing,
        reversed_basis: Option<&[i64; 5]>,
        out: &mut Outcome,
    ) -> bool {
        let (ctx, m, si_of) = (self.ctx, self.m, self.si_of);
        let code = p.prog.code();
        let (fixed, paid_any, late_any) = (p.fixed, p.paid_any, p.late_any);
        let evidence_note = |otherwise: &'static str| {
            if fixed && paid_any {
                "the month's fixed amount is paid on the SI paid in time"
            } else {
                otherwise
            }
        };
        if late_any {
            // (the rows the amount sums: every row of a month paid late as a whole — one row
            // was named for the five summed, an audit —, else from the first late one; a late
            // row the ledger kept, not in this extract, in the earlier run's extract and
            // without a source — a cold review found it at this extract's other row, named
            // “contributions.csv:0”)
            let kept_late = self.kept_at(m.late_line, m.late_mask);
            let rows = if let Some(there) = &kept_late {
                there.clone()
            } else if m.paid_mask == 0 && !p.unpaid_any {
                m.source()
            } else if m.late_mask.count_ones() <= 1 {
                // (one insurance paid late: its row alone — “and the month's other rows” named
                // rows that were not there, a cold review)
                format!("contributions.csv:{}", m.late_line)
            } else {
                format!(
                    "contributions.csv:{} and the month's other rows paid after it",
                    m.late_line
                )
            };
            let msg = format!(
                "{si_of} for {} paid after {} ({rows}): {}",
                m.period,
                ctx.payout.last_day(),
                evidence_note("payable in a later run")
            );
            let late = p.withheld_part(m.late);
            out.exceptions.push(if kept_late.is_some() {
                self.info_kept(Code::SiPaidAfterPayoutMonth, msg, code, late)
            } else {
                self.info_at(Code::SiPaidAfterPayoutMonth, msg, code, late, m.late_line)
            });
        }
        let (unpaid_any, unpaid_cents, unpaid_line) = match reversed_basis {
            Some(b) => {
                let (cents, line) = unpaid_never_subsidised(m, b, &ctx.inputs.contributions);
                (cents > 0, cents, line)
            }
            None => (p.unpaid_any, m.unpaid, m.unpaid_line),
        };
        if unpaid_any {
            // (a row unpaid that the ledger kept, this extract holding no unpaid row: named in
            // its extract, without a source, as a late one above)
            let kept_unpaid = self.kept_at(unpaid_line, m.unpaid_mask());
            let msg = format!(
                "{si_of} for {} not paid (no paid_on){} ({}): {}",
                m.period,
                if paid_any || late_any { " in part" } else { "" },
                kept_unpaid.clone().unwrap_or_else(|| m.source()),
                evidence_note("not subsidised")
            );
            // (a fixed amount withheld is on the late row already)
            let unpaid = if fixed && late_any {
                0
            } else {
                p.withheld_part(unpaid_cents)
            };
            out.exceptions.push(if kept_unpaid.is_some() {
                self.info_kept(Code::SiUnpaid, msg, code, unpaid)
            } else {
                self.info_at(Code::SiUnpaid, msg, code, unpaid, unpaid_line)
            });
        }
        unpaid_any
    }

    /// The line's basis: the SI it is computed on (`Ledgered::basis_cents`: the month's paid
    /// SI, a top-up's newly paid SI, or what a returned or withheld line carries), the share
    /// and the result (`amount`, rounded
    /// once — a cold review found the basis stopping at the multiplication), and the limit's
    /// note. A top-up names what the earlier lines were computed on: it is re-derived from the
    /// line alone (an audit found only the ledger told what it was added to).
    pub fn basis(
        &self,
        p: &Pricing,
        (share, amount): (Decimal, Money),
        led: &Ledgered,
        limit_note: &str,
    ) -> String {
        let (m, si_of) = (self.m, self.si_of);
        let paid = Money::from_cents(led.basis_cents(m).iter().sum());
        let share_note = if share == Decimal::ONE {
            String::new()
        } else {
            format!(" × {share} = {amount}")
        };
        match led.top_up {
            None if p.fixed => format!(
                "fixed {share} yuan for {} (employer SI paid for the month: {paid}); {limit_note}",
                m.period
            ),
            None => match led.carried {
                None => format!(
                    "{si_of} {} {}{share_note}; {limit_note}",
                    m.period,
                    si_breakdown(&m.paid, m.paid_mask)
                ),
                Some((b, bits)) => {
                    let only: [i64; 5] =
                        std::array::from_fn(|i| if bits & (1 << i) != 0 { b[i] } else { 0 });
                    format!(
                        "{si_of} {} {} ({} as the line returned or withheld earlier was computed on: not in this extract){share_note}; {limit_note}",
                        m.period,
                        si_breakdown(&b, m.paid_mask | bits),
                        si_breakdown(&only, bits)
                    )
                }
            },
            Some(extra) => format!(
                "top-up: {si_of} {} paid since the first subsidy {}{share_note} (the month's {} earlier line(s) computed on {})",
                m.period,
                si_breakdown(&extra, mask_of(&extra)),
                led.already.map_or(0, |(_, n)| n),
                led.already
                    .map_or_else(String::new, |(b, _)| si_breakdown(&b, mask_of(&b)))
            ),
        }
    }

    /// What earlier runs' lines of the month (`seen`, under `month_key`) leave this run to pay
    /// under `contract` to `payee`: a new month (with what a line withheld for want of an
    /// account carries), a retry of a line the bank returned, or a top-up of a month paid
    /// before whose SI is higher now — the reversal of SI lower now said beside it. `None`:
    /// nothing more to pay — a fixed amount paid, or a month paid on all its SI (its rows still
    /// unpaid or paid late said again).
    pub fn ledgered(
        &self,
        p: &Pricing,
        seen: &Seen,
        month_key: &str,
        contract: &EmploymentRow,
        payee: &Payee,
        out: &mut Outcome,
    ) -> Option<Ledgered> {
        let (ctx, m, si_of) = (self.ctx, self.m, self.si_of);
        let code = p.prog.code();
        let mut led = Ledgered::default();
        match *seen {
            Seen::New => {
                if let Some(b) = ctx.history.withheld_basis(month_key, 0) {
                    led.carried = self.carry(&b);
                }
            }
            Seen::Failed(entry) => {
                led.seq = entry.lines;
                led.retry = entry.failed.clone();
                // (with a top-up of it withheld since and still owed: that too — a review
                // found it lost when the retry came from a window without its row; the
                // larger of each insurance: the failed line's own retry withheld for want
                // of an account owes its amount once — the two were added, and 800.00 was
                // paid twice: a regression review)
                let mut earlier = entry.failed_basis;
                if let Some(w) = ctx.history.withheld_basis(month_key, entry.lines) {
                    for (x, y) in earlier.iter_mut().zip(w) {
                        *x = (*x).max(y);
                    }
                }
                led.carried = self.carry(&earlier);
            }
            Seen::Paid(_) if p.fixed => {
                return None; // a fixed monthly amount is paid once per month
            }
            Seen::Paid(entry) => {
                let (reversed, mut extra) = compare(m, &entry.basis);
                // a month this extract shows changed since it was subsidised (refunded,
                // corrected, raised): its rows as they stand now are kept — a line of it the
                // bank returns as failed is paid again from them, where a later extract no
                // longer holds the month, not from the rows the failed line was paid on (a
                // cold review found a refunded 100.00 paid again so)
                if reversed > 0 || extra.iter().any(|&x| x != 0) {
                    // (this extract's rows of the month only: a month completed from rows an
                    // earlier run kept names their lines in that run's extract, which are
                    // other rows in this one — a metamorphic review found another person's
                    // row kept so, and paid)
                    out.si_late_seen.extend(month_rows_to_keep(ctx, m));
                }
                // a top-up withheld by an earlier run (no account) and still owed, of an
                // insurance this extract holds no row of: owed as it was computed
                if let Some(w) = ctx.history.withheld_basis(month_key, entry.lines) {
                    for (i, x) in extra.iter_mut().enumerate() {
                        if m.present & (1 << i) == 0 {
                            *x += w[i];
                        }
                    }
                }
                if reversed > 0 {
                    let topped = extra.iter().any(|&x| x > 0);
                    let x = self.reversal(
                        p.prog,
                        contract,
                        payee,
                        String::new(),
                        (entry, reversed, topped),
                    );
                    if x.is_some() {
                        out.said_once(
                            reversed_marker(code, &ctx.payee_id(payee), m.period),
                            self.pid.to_string(),
                            m.period,
                            ctx.payout.last_day(),
                        );
                    }
                    out.exceptions.extend(x);
                }
                if extra.iter().all(|&x| x == 0) {
                    // already paid by an earlier run on the insurances paid then; rows of
                    // it still unpaid (or paid after this payout month) are said again, as
                    // a month unpaid as a whole is in every run (a cold review found the
                    // part silent after the first run) — beside a reversal, those of the
                    // insurances it is not about: one never subsidised (a subsidised one
                    // now unpaid is the reversal's; a cold review found an unpaid medical
                    // row unsaid beside a corrected pension's clawback); a row paid late is
                    // never the reversal's (`compare` leaves it for its run)
                    let (unpaid, unpaid_line) = if reversed == 0 {
                        (m.unpaid, m.unpaid_line)
                    } else {
                        unpaid_never_subsidised(m, &entry.basis, &ctx.inputs.contributions)
                    };
                    if unpaid > 0 {
                        // (a row unpaid that the ledger kept, this extract holding no
                        // unpaid row: named in its extract, without a source — a
                        // contract-only review found this extract's paid row named)
                        let kept_unpaid = self.kept_at(unpaid_line, m.unpaid_mask());
                        let msg = format!(
                            "{si_of} for {} not paid in part (no paid_on) ({}): the month was subsidised by an earlier run on the insurances paid then; the rest is subsidised by the run after it is paid",
                            m.period,
                            kept_unpaid.clone().unwrap_or_else(|| m.source())
                        );
                        out.exceptions.push(if kept_unpaid.is_some() {
                            self.info_kept(Code::SiUnpaid, msg, code, p.withheld(unpaid))
                        } else {
                            self.info_at(Code::SiUnpaid, msg, code, p.withheld(unpaid), unpaid_line)
                        });
                    }
                    if m.late > 0 {
                        out.exceptions.push(self.info_at(
                            Code::SiPaidAfterPayoutMonth,
                            format!(
                                "{si_of} for {} paid in part after {} ({}): the month was subsidised by an earlier run on the insurances paid then; the rest is subsidised by a later run",
                                m.period,
                                ctx.payout.last_day(),
                                m.source()
                            ),
                            code,
                            p.withheld(m.late),
                            m.late_line,
                        ));
                    }
                    return None;
                }
                // (an insurance newly paid is topped up even beside another's reversal:
                // each is its own; the clawback is for review)
                led.seq = entry.lines;
                led.top_up = Some(extra);
                if reversed > 0 {
                    led.reversed_basis = Some(entry.basis);
                }
                led.already = Some((entry.basis, entry.lines));
            }
        }
        Some(led)
    }

    /// The share (or fixed amount) `p` pays the month at. A month no rule was in force for
    /// says so first — no later run pays it either (it said “payable in a later run” when its
    /// SI came late: a cold review) — and so does one a share or amount set to 0 from a date
    /// (to end the subsidy): no rule pays it, said as a month before the rules is, and it uses
    /// none of the limit (until 2026-12-07 it was priced 0.00, counted as subsidised, and the
    /// line dropped after: a grader found a hire refused for a limit spent on such months).
    /// `None` when said so.
    pub fn share_in_force(
        &self,
        p: &Pricing,
        out: &mut Outcome,
    ) -> Result<Option<ParamRef>, Error> {
        let m = self.m;
        let code = p.prog.code();
        let why = match p.prog.share(self.ctx, p.on) {
            Ok(s) if !s.value.is_zero() => return Ok(Some(s)),
            Ok(s) => format!(
                "{code} for {}: the standard in force makes 0.00 ({s}): nothing paid, and the month uses none of the limit",
                m.period
            ),
            // (when the rules begin, and by which value: an auditor was not told — a cold
            // review)
            Err(ParamError::NotInForce { name, first, .. }) => format!(
                "no {code} rule in force for service month {}: its rules begin {first} ({name})",
                m.period
            ),
            Err(e) => return Err(Error::Param(code, e)),
        };
        // (a month made only from the ledger's kept rows is said once from the memory, as
        // outside the contracts: no run pays it — a grader found it said by every run of the
        // memory's year)
        if !self.said_outside(p.prog, out) {
            out.exceptions.push(self.info(
                Code::NoRuleInForce,
                why,
                code,
                // (the SI a share would apply to; a fixed amount has none in force)
                if p.fixed { 0 } else { m.paid_total() },
            ));
        }
        Ok(None)
    }
}
