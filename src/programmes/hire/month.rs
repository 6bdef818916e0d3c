//! One person-month as `person_months` looks at it: the rows it says (cited at the month's
//! contributions or at a contract), the pair's contracts that cover it or lie nearest, and
//! what it would have paid had it qualified.

use super::{cited, pricing_day, recover_from, reversed_row, HireProgramme, Kept};
use crate::domain::{CreditCode, Money, ResidentId};
use crate::exceptions::{Code, Exception};
use crate::ingest::records::EmploymentRow;
use crate::ledger::MonthEntry;
use crate::programmes::si::SiMonth;
use crate::programmes::{Ctx, Outcome, Payee};

/// Where the candidate loop of a month goes after a phase that ends the candidate.
pub(super) enum Verdict {
    /// on to the next programme or contract that may pay the month
    Next,
    /// the month is decided
    Done,
}

/// A person's month of SI at one employer (or their own, a founder's), with the contracts of
/// the pair it is judged against.
pub(super) struct MonthCtx<'a> {
    pub ctx: &'a Ctx<'a>,
    pub m: &'a SiMonth,
    pub employment: &'a [EmploymentRow],
    /// the pair's contracts (person, employer), in the order of their starts
    pub rows: &'a [usize],
    /// the person's resident ID, as the ledger's history keys it
    pub pid: &'a str,
    pub person: ResidentId,
    pub employer: CreditCode,
    /// what the month's SI is, as messages name it (an employer's, or a founder's own)
    pub si_of: &'static str,
    /// the rows the ledger kept from earlier runs' extracts, by (person, employer, month)
    /// (`kept_at`)
    pub kept: &'a [Kept],
    /// the employer the month is judged at (its index in the registers): the month's, or for
    /// a founder's own month (`own`) the start-up whose registration covers it
    pub employer_ix: u32,
    /// a founder's own month: their SI paid as a flexible worker (`Founders`)
    pub own: bool,
}

impl MonthCtx<'_> {
    /// Who `p` pays the month to: the founder for their own month, else the programme's
    /// payee at the employer.
    pub fn payee(&self, p: &dyn HireProgramme) -> Payee {
        if self.own {
            Payee::Person(self.m.person)
        } else {
            p.payee(self.m.person, self.employer_ix)
        }
    }

    /// For a month whose rows all come from the ledger's memory, outside `prog`'s contracts:
    /// whether an earlier run said it so (then it is not said again), recording that this run
    /// does otherwise (`super::said_outside`). `false` for any other month: it is said.
    pub fn said_outside(&self, prog: &dyn HireProgramme, out: &mut Outcome) -> bool {
        let m = self.m;
        let remembered_only = m.remembered != 0 && m.present & !m.remembered == 0;
        remembered_only && super::said_outside(self.ctx, prog, m, self.pid, out)
    }

    /// A row at `line` of the month (0: the month's own citation).
    pub fn info_at(
        &self,
        code: Code,
        msg: String,
        p: &'static str,
        amount: i64,
        line: u32,
    ) -> Exception {
        let mut x = self
            .m
            .cited_at(Exception::new(code, msg), line)
            .programme(p)
            .person(self.person)
            .employer(self.employer);
        if amount > 0 {
            x = x.amount(Money::from_cents(amount));
        }
        x
    }

    /// A row at the month's own citation.
    pub fn info(&self, code: Code, msg: String, p: &'static str, amount: i64) -> Exception {
        self.info_at(code, msg, p, amount, 0)
    }

    /// A row about a row the ledger kept from an earlier run's extract, which the message
    /// names: without a source, and without the month's rows appended (a regression review
    /// found “(rows: …)” naming this extract's paid row beside the kept unpaid one).
    pub fn info_kept(&self, code: Code, msg: String, p: &'static str, amount: i64) -> Exception {
        let x = Exception::new(code, msg)
            .programme(p)
            .person(self.person)
            .employer(self.employer);
        if amount > 0 {
            x.amount(Money::from_cents(amount))
        } else {
            x
        }
    }

    /// An exception row at contract `e`'s row.
    pub fn at_contract(&self, x: Exception, e: &EmploymentRow) -> Exception {
        let (file, line) = cited(&self.ctx.inputs.registers, e);
        x.at(file, line)
    }

    /// Whether contract `i` is in force in the month.
    pub fn covers(&self, i: usize) -> bool {
        self.employment[i].in_force_in(self.m.period)
    }

    /// The contract of `list` nearest the month: the last one ended before it, else the first
    /// one starting after it (a review found a renewal chain's first contract named for a
    /// month after its last).
    pub fn nearest(&self, list: &[usize]) -> Option<usize> {
        let employment = self.employment;
        let (first, last) = (self.m.period.first_day(), self.m.period.last_day());
        list.iter()
            .copied()
            .filter(|&i| employment[i].last_day().is_some_and(|d| d < first))
            .max_by_key(|&i| (employment[i].last_day(), employment[i].line))
            .or_else(|| {
                list.iter()
                    .copied()
                    .filter(|&i| employment[i].contract_start > last)
                    .min_by_key(|&i| (employment[i].contract_start, employment[i].line))
            })
    }

    /// What the month would have been outside the contract (a fixed amount's, not the SI — a
    /// review): its SI however paid, in time, late or not (a month paid late carried no amount,
    /// an unpaid one its whole SI — an audit), × the programme's share where one is in force
    /// (until 2026-12-04 the SI itself: a cold review found 950.01 said of a month worth 475.01
    /// at a share of 50 %).
    pub fn outside_amount(&self, prog: &dyn HireProgramme) -> i64 {
        let m = self.m;
        let share = prog.share(self.ctx, m.period.first_day());
        if prog.fixed_amount() {
            share.map_or(0, |s| Money::round(s.value).cents())
        } else {
            let si = m.paid_total() + m.unpaid + m.late;
            share.map_or(si, |s| {
                Money::round(Money::from_cents(si).decimal() * s.value).cents()
            })
        }
    }

    /// “service month … lies outside the labour contract …”, `also` appended.
    pub fn outside(&self, e: &EmploymentRow, also: &str) -> String {
        let (file, line) = cited(&self.ctx.inputs.registers, e);
        format!(
            "service month {} lies outside the labour contract {}..{} ({file}:{line}){also}",
            self.m.period,
            e.contract_start,
            e.last_day().map_or("open".into(), |d| d.to_string()),
        )
    }

    /// The first row of insurances `mask` that the ledger kept from an earlier run's extract
    /// (`kept`), where the month's row of them at `line` is no row of this extract (`None`
    /// unless `line` is 0) and this extract holds none of them: `contributions.csv:3 of the 2018-04 run's
    /// extract` — a row late or unpaid that is no input row of this run (a cold review found
    /// such a row cited at this extract's other row of the month).
    pub fn kept_at(&self, line: u32, mask: u8) -> Option<String> {
        let m = self.m;
        let mask = mask & m.remembered;
        if line != 0 || mask == 0 {
            return None;
        }
        // (the key of the month's rows: a founder's own rows are no employer's)
        let kept = self.kept;
        let i = kept.binary_search_by_key(&m.row_key(), |(k, _)| *k).ok()?;
        kept[i]
            .1
            .iter()
            .enumerate()
            .filter(|&(i, _)| mask & (1 << i) != 0)
            .filter_map(|(_, r)| r.as_ref().filter(|r| r.line != 0))
            .min_by_key(|r| r.line)
            .map(|r| {
                format!(
                    "contributions.csv:{} of the {} run's extract",
                    r.line, r.run
                )
            })
    }

    /// The insurances an earlier line was paid on (`earlier`) that this extract holds no row
    /// of, added to the month's paid SI: a retry of a returned line owes them as it was paid
    /// (a window of recent months bringing only a late row of the month — a cold review found
    /// the rest of a failed line lost); the same for a month earlier runs withheld and never
    /// paid. `None` when there are none.
    pub fn carry(&self, earlier: &[i64; 5]) -> Option<([i64; 5], u8)> {
        let m = self.m;
        let mut basis = m.paid;
        let mut bits = 0u8;
        for (i, b) in basis.iter_mut().enumerate() {
            if m.present & (1 << i) == 0 && earlier[i] > 0 {
                *b = earlier[i];
                bits |= 1 << i;
            }
        }
        (bits != 0).then_some((basis, bits))
    }

    /// A month whose SI was subsidised (`entry`, under `p`; `under` is ` under <code>` when
    /// another programme paid it) and is now lower by `reversed`: a clawback for review. The
    /// row's amount is the subsidy to claw back (EXCEPTIONS.md): the programme's share of the
    /// SI it was paid on less its share of the SI now, not the SI's cut (a differential review
    /// found a founder's 50 % share held back as the whole cut). `topped`: the run tops up the
    /// month's insurances newly paid beside it.
    pub fn reversal(
        &self,
        p: &dyn HireProgramme,
        contract: &EmploymentRow,
        payee: &Payee,
        under: String,
        (entry, reversed, topped): (&MonthEntry, i64, bool),
    ) -> Option<Exception> {
        let (ctx, m, si_of) = (self.ctx, self.m, self.si_of);
        let paid: i64 = entry.basis.iter().sum();
        let subsidy = |si: i64| -> Option<i64> {
            match p.share(ctx, pricing_day(ctx, p, m.period, contract)) {
                Ok(s) if !p.fixed_amount() => {
                    Some(Money::round(Money::from_cents(si).decimal() * s.value).cents())
                }
                _ => None,
            }
        };
        let row = |clawback: i64, of: String| {
            self.info_at(
                Code::SiReversal,
                format!(
                    "{si_of} for {} was {} when subsidised{under} and is now lower by {} in this extract (refund or correction){of}",
                    m.period,
                    Money::from_cents(paid),
                    Money::from_cents(reversed),
                ),
                p.code(),
                clawback,
                reversed_row(m, &entry.basis, &ctx.inputs.contributions),
            )
        };
        // a programme that subsidises a month paid in full only (足额) subsidises
        // nothing of one an insurance of which is now unpaid (a metamorphic review
        // found Jiangyin's redeployment month clawed back by its cut alone, 380.00 of
        // 1,020.00 left with the employer where a catch-up run pays nothing)
        let full_now = !p.paid_in_full_only()
            || m.short_of_full(&ctx.inputs.contributions, ctx.payout.last_day())
                .is_none();
        let now_of = |si: i64| subsidy(si).map(|s| if full_now { s } else { 0 });
        match (subsidy(paid), now_of(paid - reversed)) {
            // what to claw back is what the month's lines paid less the subsidy now,
            // from the ledger (`run::recover_amounts`): its share of the SI it was paid
            // on less its share of the SI now, not the SI's cut (a differential review
            // found a founder's 50 % share held back as the whole cut), and not the
            // share priced again on the SI then — a month paid in two lines (a top-up)
            // rounds each (a review found a cent short); a row whose lines paid no
            // more than the subsidy now is dropped there
            (Some(was), Some(now)) if was > 0 => {
                // (the month's lines, and one more: a seek each, no scan of the lines)
                let ids: Vec<String> = (0..=entry.lines)
                    .map(|seq| ctx.payment_id(p.code(), payee, m.person, m.period, seq))
                    .collect();
                let x = row(
                    (was - now).max(0),
                    format!(
                        ": its subsidy {}is now {}{}, for review; {}",
                        if topped {
                            "on the insurances subsidised then "
                        } else {
                            ""
                        },
                        Money::from_cents(now),
                        if full_now {
                            ""
                        } else {
                            " (the month is no longer paid in full: 足额)"
                        },
                        if topped {
                            "this run tops up only the insurances newly paid"
                        } else {
                            "nothing paid"
                        }
                    ),
                );
                let from = recover_from(payee, &ctx.payee_id(payee));
                Some(x.recover_beyond(ids, from, Money::from_cents(now)))
            }
            (Some(_), Some(_)) => None,
            // a fixed amount, or no rule in force: the SI's cut
            _ => Some(row(
                reversed,
                format!(
                    ": {} to claw back, for review; nothing paid",
                    Money::from_cents(reversed)
                ),
            )),
        }
    }
}
