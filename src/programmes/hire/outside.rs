//! A month that no qualifying contract of a programme covers: the reasons said for it — the
//! near misses among the pair's contracts, once per contract at its row, or the month outside
//! the contract nearest it (held back as `pending`: said only if no later programme of the
//! month pays it).

use super::month::MonthCtx;
use super::HireProgramme;
use crate::domain::Month;
use crate::exceptions::{Code, Exception};
use crate::programmes::Outcome;
use crate::registers::derive::{Finding, Miss};

/// Where a month's reasons go.
pub(super) struct Said<'o> {
    pub out: &'o mut Outcome,
    /// rows written only if no later programme pays the month
    pub pending: &'o mut Vec<Exception>,
    /// (programme, contract) whose near miss this run said
    pub near_reported: &'o mut Vec<(usize, usize)>,
}

impl MonthCtx<'_> {
    /// No contract of the pair qualifies for `prog` (index `k`; `verdicts`, its judgement of
    /// each contract): the near misses covering the month, once per contract — with the SI of
    /// this month as context, not of a month `passed_on` from a programme whose limit it is
    /// beyond —; a month no contract covers, of a person whose contracts here are near misses,
    /// as a month outside the nearest one with that one's own reason (an audit found such
    /// months neither paid nor explained — a window of recent months holds none the contract
    /// covers, where its reason is said).
    pub fn no_qualifying_contract(
        &self,
        prog: &dyn HireProgramme,
        k: usize,
        verdicts: &[Result<Finding, Miss>],
        passed_on: bool,
        said: &mut Said,
    ) {
        let code = prog.code();
        let rows = self.rows;
        for &i in if !passed_on { rows } else { &[] } {
            if let Err(Miss { code: Some(c), why }) = &verdicts[i] {
                if self.covers(i) && !said.near_reported.contains(&(k, i)) {
                    said.near_reported.push((k, i));
                    said.out.exceptions.push(self.at_contract(
                        self.info(*c, format!("{why}; not paid under {code}"), code, 0),
                        &self.employment[i],
                    ));
                }
            }
        }
        if passed_on || rows.iter().any(|&i| self.covers(i)) {
            return;
        }
        let near: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&i| matches!(&verdicts[i], Err(Miss { code: Some(_), .. })))
            .collect();
        if let Some(i) = self.nearest(&near) {
            if let Err(Miss { why, .. }) = &verdicts[i] {
                if self.said_outside(prog, said.out) {
                    return;
                }
                said.pending.push(self.info(
                    Code::MonthOutsideContract,
                    self.outside(
                        &self.employment[i],
                        &format!(", which itself does not qualify: {why}"),
                    ),
                    code,
                    self.outside_amount(prog),
                ));
            }
        }
    }

    /// Contracts of the pair qualify for `prog` (`qualifying`, not empty), none of them a
    /// candidate for the month: the month lies in a contract that does not qualify (one under
    /// a year, say) — its own reason, once per contract, at its row; or before the programme's
    /// first month of a qualifying contract; or outside the qualifying contract nearest it.
    pub fn outside_qualifying(
        &self,
        prog: &dyn HireProgramme,
        k: usize,
        verdicts: &[Result<Finding, Miss>],
        qualifying: &[usize],
        passed_on: bool,
        said: &mut Said,
    ) {
        let (code, rows, m) = (prog.code(), self.rows, self.m);
        // (a covering contract with a reason of its own — a near miss — first: an old
        // open-ended contract beside it hid a short redeployment's CONTRACT_UNDER_ONE_YEAR, a
        // regression review)
        let covering = || rows.iter().copied().filter(|&i| self.covers(i));
        let near = covering().find(|&i| matches!(&verdicts[i], Err(Miss { code: Some(_), .. })));
        if let Some(i) = near.or_else(|| covering().next()) {
            if let Err(Miss { code: miss, why }) = &verdicts[i] {
                // (in this order: `said_outside` records that it says the month)
                let unsaid = !(passed_on
                    || said.near_reported.contains(&(k, i))
                    || self.said_outside(prog, said.out));
                if unsaid {
                    said.near_reported.push((k, i));
                    // (a reason of no code of its own: the months lie outside the pair's
                    // qualifying contracts, and the message says so — a contract-only review
                    // read a graduate window's reason under MONTH_OUTSIDE_CONTRACT as a month
                    // outside this contract)
                    let message = match miss {
                        Some(_) => format!("{why}; not paid under {code}"),
                        None => format!(
                            "its months lie outside the contracts with this employer that {code} pays: this one does not qualify ({why}); not paid under {code}"
                        ),
                    };
                    said.out.exceptions.push(self.at_contract(
                        self.info(miss.unwrap_or(Code::MonthOutsideContract), message, code, 0),
                        &self.employment[i],
                    ));
                }
                return;
            }
        }
        if passed_on {
            return;
        }
        // (a month only the ledger's memory holds, outside the programme's contracts, is said
        // once, not by every run of the memory's year: `said_outside`)
        if self.said_outside(prog, said.out) {
            return;
        }
        // (a qualifying contract covering the month — or starting after it — that the
        // programme starts later: a founder's month before the founding, whatever the
        // registration; a regression review found a founder's registration of the founding day
        // named as a labour contract the month lies outside)
        let employment = self.employment;
        if let Some((c, why)) = rows
            .iter()
            .copied()
            .filter(|&i| {
                verdicts[i].is_ok()
                    && (self.covers(i) || m.period < Month::of(employment[i].contract_start))
            })
            .find_map(|i| {
                prog.first_month(self.ctx, &employment[i])
                    .filter(|(first, _, _)| m.period < *first)
            })
            .map(|(_, c, why)| (c, why))
        {
            said.pending.push(self.info(
                c,
                format!("service month {}: {why}", m.period),
                code,
                self.outside_amount(prog),
            ));
            return;
        }
        let e = &employment[self.nearest(qualifying).unwrap_or(qualifying[0])];
        said.pending.push(self.info(
            Code::MonthOutsideContract,
            self.outside(e, ""),
            code,
            self.outside_amount(prog),
        ));
    }
}
