//! The programmes and contracts a person-month is tried under, in order
//! (`MonthCtx::candidates`), and the rows kept of a month none of them qualifies for now.

use super::month::MonthCtx;
use super::*;

/// The limit group of `prog` under contract `e`: the programme's code, with the group its
/// contract belongs to where it has one (`HireProgramme::limit_group`: a post, a regular hire).
pub(super) fn limit_group(prog: &dyn HireProgramme, e: &EmploymentRow) -> String {
    match prog.limit_group(e) {
        "" => prog.code().to_string(),
        g => format!("{}/{g}", prog.code()),
    }
}

impl MonthCtx<'_> {
    /// Each programme (its index in `progs`) with each qualifying contract covering the month
    /// (an index into the employment register), in the order of their starts; a programme no
    /// contract of which qualifies and covers the month once, without one (it says why). A
    /// month a contract's limit refuses goes on to another contract of the pair that covers it
    /// (a regular hire and a public-welfare post at one employer at once: （七）
    /// “公益性岗位安置的……可延长至退休” extends, it does not take a month the regular hire earns)
    /// — a row-order review found the file's first row deciding. A contract whose programme's
    /// first month is after the month is not one (`HireProgramme::first_month`). A founder's
    /// own month is the founders' own programme's alone.
    pub fn candidates(
        &self,
        progs: &[&dyn HireProgramme],
        judged: &Judged,
    ) -> Vec<(usize, Option<usize>)> {
        let (ctx, m) = (self.ctx, self.m);
        let too_early = |k: usize, i: usize| {
            progs[k]
                .first_month(ctx, &self.employment[i])
                .is_some_and(|(first, _, _)| m.period < first)
        };
        let mut candidates: Vec<(usize, Option<usize>)> = Vec::with_capacity(progs.len());
        for (k, verdicts) in judged.iter().enumerate().take(progs.len()) {
            if self.own && !progs[k].founders_own() {
                continue;
            }
            let before = candidates.len();
            // (`rows` are in the order of their starts already)
            candidates.extend(
                self.rows
                    .iter()
                    .filter(|&&i| self.covers(i) && verdicts[i].is_ok() && !too_early(k, i))
                    .map(|&i| (k, Some(i))),
            );
            if candidates.len() == before {
                candidates.push((k, None));
            }
        }
        candidates
    }

    /// A month no programme has a qualifying contract for (`candidates`) that lies in a
    /// contract the registers no longer qualify (`NO_LONGER_ELIGIBLE`): its rows are kept for
    /// the year — a register restored or corrected back (the row's action) pays the month from
    /// them where a window of recent months no longer holds it (a grader found it lost for
    /// good). Not a month an earlier run paid under the programme (a cold review found every
    /// paid month's rows kept while the register stayed wrong) — unless this extract shows it
    /// changed since, a top-up or a reversal the restored register's run is to see (a grader
    /// found a paid month's medical row, paid late in such a run, never topped up).
    pub fn keep_lapsed_month(
        &self,
        progs: &[&dyn HireProgramme],
        judged: &Judged,
        candidates: &[(usize, Option<usize>)],
        out: &mut Outcome,
    ) {
        let (ctx, m) = (self.ctx, self.m);
        if candidates.iter().any(|(_, c)| c.is_some()) {
            return;
        }
        let lapsed = judged.iter().take(progs.len()).enumerate().any(|(k, v)| {
            self.rows.iter().any(|&i| {
                self.covers(i)
                    && matches!(
                        &v[i],
                        Err(Miss {
                            code: Some(Code::NoLongerEligible),
                            ..
                        })
                    )
            }) && {
                let payee = self.payee(progs[k]);
                let key = ctx.payment_id(progs[k].code(), &payee, m.person, m.period, 0);
                match ctx.history.seen(&key) {
                    Seen::Paid(entry) => {
                        !progs[k].fixed_amount() && {
                            let (reversed, extra) = compare(m, &entry.basis);
                            reversed > 0 || extra.iter().any(|&x| x != 0)
                        }
                    }
                    _ => true,
                }
            }
        });
        if lapsed {
            out.si_late_seen.extend(month_rows_to_keep(ctx, m));
        }
    }

    /// The month a document takes effect (Songyuan 04-13): a contract of the pair (`ci`, a
    /// candidate of `p` = `progs[k]`) ended before the day leaves the month to another of the
    /// pair's qualifying contracts covering it that runs on a day from then (a cold review
    /// found April unpaid: the first contract, ended 04-10, decided beside a new hire of
    /// 04-12).
    pub fn left_to_another_contract(
        &self,
        p: &dyn HireProgramme,
        (k, ci): (usize, usize),
        candidates: &[(usize, Option<usize>)],
    ) -> bool {
        let (ctx, m) = (self.ctx, self.m);
        let in_force = |c: &EmploymentRow| {
            !matches!(
                p.share(ctx, pricing_day(ctx, p, m.period, c)),
                Err(ParamError::NotInForce { .. })
            )
        };
        candidates.iter().filter(|&&(k2, _)| k2 == k).count() > 1
            && !in_force(&self.employment[ci])
            && candidates.iter().any(|&(k2, c2)| {
                k2 == k && c2.is_some_and(|c2| c2 != ci && in_force(&self.employment[c2]))
            })
    }

    /// A month `p` (`progs[k]`) paid by an earlier run, though not in limit group `group` of
    /// contract `ci`: when another candidate contract's group holds it (the post, the regular
    /// hire at one employer), the month is that contract's — its top-up, its reversal (a
    /// review found a top-up filed under the other group).
    pub fn paid_in_another_group(
        &self,
        p: &dyn HireProgramme,
        (k, ci): (usize, usize),
        group: &str,
        candidates: &[(usize, Option<usize>)],
    ) -> bool {
        let (ctx, m, pid) = (self.ctx, self.m, self.pid);
        !ctx.history.month_paid(group, pid, m.period)
            && candidates.iter().any(|&(k2, c2)| {
                k2 == k
                    && c2.is_some_and(|c2| {
                        c2 != ci && {
                            let g = limit_group(p, &self.employment[c2]);
                            g != group && ctx.history.month_paid(&g, pid, m.period)
                        }
                    })
            })
    }
}
