//! A person's months walked in order (`person_months`): each month tried under the programmes
//! and contracts that may pay it (`MonthCtx::candidates`), one candidate after the other
//! (`Walk::candidate`), until one pays it or every one has said why not.

use super::month::{self, Verdict};
use super::priced::Pricing;
use super::*;

/// A programme (its index in the driver's list) and the contract (employment row) a month is
/// tried under; no contract where none of the programme's qualifying ones covers the month.
type Candidate = (usize, Option<usize>);

/// What a person's walk reads, the same for each of their months.
struct Person<'p> {
    ctx: &'p Ctx<'p>,
    progs: &'p [&'p dyn HireProgramme],
    employment: &'p [EmploymentRow],
    judged: &'p Judged,
    contracts: &'p Pairs,
    kept: &'p [Kept],
    founders: &'p Founders,
    /// the person's months, in the order they are walked
    months: &'p [SiMonth],
    /// the person's resident ID, as the ledger's history keys it
    pid: &'p str,
    /// which programmes subsidised the person in earlier runs (asked once, when needed)
    earlier: Earlier<'p>,
}

/// What the walk has done so far, over the person's months.
#[derive(Default)]
struct Walk {
    out: Outcome,
    /// per limit group: the months counted against its duration limit
    running: FxHashMap<String, Running>,
    /// months INTERN_MONTH_EMPLOYED was said
    intern_flagged: Vec<Month>,
    /// months FLEXIBLE_MONTH_EMPLOYED was said
    flex_flagged: Vec<Month>,
    /// (programme, contract) whose near miss was said
    near_reported: Vec<(usize, usize)>,
    /// (programme, month) paid to the person in this run (`pays_the_person`)
    person_paid: Vec<(usize, Month)>,
    /// (programme, contract) a line was made for in this run (`PAID_FOR`, said once)
    paid_for: Vec<(usize, usize)>,
    /// a founder's months this run pays their start-up that an earlier run paid as their own SI
    /// (`own_paid_before`)
    startup_took: Vec<Month>,
}

/// One month's trial of its candidates.
#[derive(Default)]
struct Trial {
    /// a candidate had a qualifying contract covering the month (set when the contract is
    /// chosen, before the month is priced — it stays set when that candidate then passes the
    /// month on): the reasons of the candidates without one (`pending`) are not written
    taken: bool,
    /// rows written only if no candidate takes the month
    pending: Vec<Exception>,
    /// the first programme's row for a month beyond its limit, with the payments and
    /// exceptions made by then: written if the programmes after it add none for the month
    beyond: Option<(Exception, usize, usize)>,
    /// programmes a contract's limit refused the month under as beyond the retirement month:
    /// no other contract of theirs is tried (（七）“可延长至退休” extends the subsidy to
    /// retirement, it does not start a regular hire's 36/60 months after it: a review found
    /// 42 months paid past retirement)
    /// (with the contract refused: a later hire of the pair that shares no day with it —
    /// begun after the post ended, in its last month — is its own hire and is tried: a
    /// grader found the hand-over month refused while the months after it were paid)
    retired: Vec<(usize, usize)>,
}

/// A month priced under a candidate: what its line is made of (`Walk::line`).
struct Priced<'a> {
    pr: Pricing<'a>,
    /// the programme's index and the contract's (employment row)
    k: usize,
    ci: usize,
    contract: &'a EmploymentRow,
    /// why the contract qualifies (the line's eligibility, parameters and sources)
    finding: &'a Finding,
    group: String,
    payee: Payee,
    month_key: String,
    /// what earlier runs' lines of the month leave to pay
    led: priced::Ledgered,
    share: ParamRef,
    amount: Money,
    /// the SI the amount is computed on, per insurance
    basis_cents: [i64; 5],
    /// the duration limit's note and parameters
    limit: (String, Vec<ParamRef>),
    /// the founder's own line of the month, paid by an earlier run, that this line takes the
    /// month from
    own_paid_before: bool,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn person_months(
    ctx: &Ctx,
    progs: &[&dyn HireProgramme],
    employment: &[EmploymentRow],
    judged: &Judged,
    contracts: &Pairs,
    kept: &[Kept],
    founders: &Founders,
    months: &[SiMonth],
) -> Result<Outcome, Error> {
    let reg = &ctx.inputs.registers;
    // (a programme paying the person once a month meets first, of a month's posts, one whose
    // SI was paid in time: the month is paid under it, and a post whose SI is late or unpaid
    // says POST_MONTH_ALREADY_PAID — not that the month waits for a later run: a review)
    let by_paid: Vec<SiMonth>;
    let months = if progs.iter().any(|p| p.pays_the_person()) {
        let mut v = months.to_vec();
        // (ties by the employer's credit code, not its place in employers.csv: which post a
        // month is paid under must not hang on row order — a row-order review)
        v.sort_by_key(|m| {
            (
                m.period,
                // (a row paid in time, whatever its employer amount: a 0.00 relief row is
                // the month's evidence for a fixed amount — a cold review)
                m.paid_mask == 0,
                m.employer.map(|e| reg.employer(e).id),
            )
        });
        by_paid = v;
        &by_paid[..]
    } else {
        months
    };
    // (the months are one person's: its resident ID as the ledger's history keys it, once)
    let pid = months
        .first()
        .map(|m| reg.person(m.person).id.to_string())
        .unwrap_or_default();
    let p = Person {
        ctx,
        progs,
        employment,
        judged,
        contracts,
        kept,
        founders,
        months,
        pid: &pid,
        earlier: Earlier {
            pid: &pid,
            used: std::cell::OnceCell::new(),
        },
    };
    let mut w = Walk::default();
    for m in months {
        w.month(&p, m)?;
    }
    let mut out = w.out;
    // the first applications made here, for the ledger (a group this run subsidised a month of)
    let mut applied: Vec<_> = w
        .running
        .into_iter()
        .filter(|(_, run)| !run.periods.is_empty())
        .filter_map(|(group, run)| {
            let (first, judged_on) = run.applied?;
            Some(crate::ledger::FirstApplication {
                limit_group: group,
                beneficiary_id: pid.clone(),
                first,
                judged_on,
            })
        })
        .collect();
    applied.sort_unstable();
    // (beside the markers said here — `intern_employed`: until 2026-12-06 they were replaced,
    // and a regression review found the intern-month then held again as not due)
    out.first_applications.extend(applied);
    Ok(out)
}

impl Walk {
    /// Month `m`: tried under each programme and qualifying contract covering it, in order,
    /// until one takes it; the reasons of those that did not said if none did.
    fn month(&mut self, p: &Person, m: &SiMonth) -> Result<(), Error> {
        let (ctx, progs, employment, judged, contracts) =
            (p.ctx, p.progs, p.employment, p.judged, p.contracts);
        let reg = &ctx.inputs.registers;
        // a founder's own flexible month (`Founders`): the founders' own programme's alone,
        // under their registration with the earliest founded of their start-ups that covers it
        // (a month before the founding, or after the registration's end, is any flexible
        // worker's: not looked at)
        let (employer, own) = match m.employer {
            Some(e) => (e, false),
            None => {
                match own_enterprise(ctx, progs, employment, judged, contracts, p.founders, m) {
                    Some(e) => (e, true),
                    None => return Ok(()),
                }
            }
        };
        // (a month a flexible programme paid the person by an earlier run stays that
        // programme's — its top-ups, its reversals: one SI subsidy per person and month)
        if own && flexible_paid(ctx, m.person, m.period).is_some() {
            return Ok(());
        }
        // what the month's SI is, as messages name it
        let si_of = if own {
            "the founder's own SI (as a flexible worker)"
        } else {
            "employer SI"
        };
        let person = reg.person(m.person);
        let emp = reg.employer(employer);
        let rows = contracts
            .get(&(m.person, employer))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let mc = month::MonthCtx {
            ctx,
            m,
            employment,
            rows,
            pid: p.pid,
            person: person.id,
            employer: emp.id,
            si_of,
            kept: p.kept,
            employer_ix: employer,
            own,
        };
        // a founder's own month that an employer insures them for, or that a labour contract
        // elsewhere covers whole, is a month of that employment — of their start-up's SI (this
        // programme's, through it), or another's: no month of their own SI (one SI subsidy per
        // person and month; a founder insured by the start-up and paying flexible SI besides)
        // (not a month an earlier run paid as their own: the start-up's 补缴 of it takes the
        // month, the own line held for recovery — `own_paid_before`)
        let founders_prog = progs.iter().find(|p| p.founders_own()).copied();
        if own && mc.own_month_done(founders_prog, p.founders, &self.startup_took, &mut self.out) {
            return Ok(());
        }
        let mut t = Trial::default();
        // each programme with each qualifying contract covering the month
        let candidates = mc.candidates(progs, judged);
        // (a month none qualifies in a contract the registers no longer qualify: kept)
        mc.keep_lapsed_month(progs, judged, &candidates, &mut self.out);
        for &c in &candidates {
            match self.candidate(p, &mc, &mut t, (&candidates, founders_prog), c)? {
                Verdict::Next => continue,
                Verdict::Done => break,
            }
        }
        if !t.taken {
            self.out.exceptions.extend(t.pending);
        }
        if let Some((row, payments, exceptions)) = t.beyond {
            if self.out.payments.len() == payments && self.out.exceptions.len() == exceptions {
                self.out.exceptions.push(row);
            }
        }
        Ok(())
    }

    /// Month `mc` under programme `k` and its contract `candidate` (none: no qualifying
    /// contract of the programme covers the month): `Next` on to the next candidate, `Done`
    /// when the month is decided — paid, or refused for good. A month beyond one programme's
    /// limit goes on to the next programme; another subsidy of the same hire counts that hire's
    /// months the first one subsidised (`hire_months_elsewhere`): （七）'s “不超过3年” and （八）2's
    /// “不超过2年” are not added one after the other (a regression review found a dibao
    /// graduate's hire paid 36 + 24 months), while a new hire elsewhere is its own (a cold review
    /// found a graduate's new hire refused whole because a hardship limit was spent at an
    /// earlier job).
    fn candidate(
        &mut self,
        p: &Person,
        mc: &month::MonthCtx,
        t: &mut Trial,
        (candidates, founders_prog): (&[Candidate], Option<&dyn HireProgramme>),
        (k, candidate): Candidate,
    ) -> Result<Verdict, Error> {
        let (ctx, progs, employment, judged, contracts, months, earlier) = (
            p.ctx,
            p.progs,
            p.employment,
            p.judged,
            p.contracts,
            p.months,
            &p.earlier,
        );
        let (m, rows, own, si_of) = (mc.m, mc.rows, mc.own, mc.si_of);
        let prog = &progs[k];
        let code = prog.code();
        let Some((ci, finding)) = self.contract_for(p, mc, t, candidates, (k, candidate)) else {
            return Ok(Verdict::Next);
        };
        let contract = &employment[ci];
        t.taken = true;
        let group = limit_group(*prog, contract);
        // what earlier runs paid for this month (ledger)
        let payee = mc.payee(*prog);
        let month_key = ctx.payment_id(code, &payee, m.person, m.period, 0);
        let seen = ctx.history.seen(&month_key);
        // a founder's month an earlier run paid as their own SI (a flexible worker's rows),
        // which their start-up now insures (its 补缴): the start-up's line, new
        // (or a retry of that line, returned by the bank: the month was the start-up's
        // since — a code review found the retry refused after the own line was asked back)
        let own_paid_before = !own
            && prog.founders_own()
            && matches!(seen, Seen::New | Seen::Failed(_))
            && mc.paid_as_own(founders_prog);
        // one line per person and month (a programme paying the person)
        if prog.pays_the_person()
            && mc.person_month_paid(
                *prog,
                self.person_paid.contains(&(k, m.period)),
                (&seen, &group),
                (contract, &payee),
                (months, contracts, &judged[k]),
                &mut self.out,
            )
        {
            return Ok(Verdict::Done);
        }
        // a month an earlier run paid under another programme
        match mc.paid_under_another((progs, k), judged, &seen, contract, &payee, &mut self.out) {
            Some(Verdict::Next) => return Ok(Verdict::Next),
            Some(Verdict::Done) => return Ok(Verdict::Done),
            None => {}
        }
        let pr = Pricing::new(ctx, *prog, m, contract);
        let (fixed, paid_any, late_any) = (pr.fixed, pr.paid_any, pr.late_any);
        // (a month an earlier run paid under another of the pair's contracts: that one's)
        if matches!(seen, Seen::Paid(_))
            && mc.paid_in_another_group(*prog, (k, ci), &group, candidates)
        {
            return Ok(Verdict::Next);
        }
        // what earlier runs' lines of the month leave to pay (none: the month is done)
        let Some(led) = mc.ledgered(&pr, &seen, &month_key, contract, &payee, &mut self.out) else {
            return Ok(Verdict::Done);
        };
        // one SI subsidy per person and month (a retry of a failed line too)
        if matches!(seen, Seen::New | Seen::Failed(_))
            && mc.subsidised_before(&pr, &group, own_paid_before, &mut self.out)
        {
            return Ok(Verdict::Done);
        }
        // a month no rule was in force for says so first (none: said, the month is done)
        let Some(share) = mc.share_in_force(&pr, &mut self.out)? else {
            return Ok(Verdict::Done);
        };
        // a month beyond the limit (known from this run's earlier months or the ledger)
        // says so before its late or unpaid SI: no later run pays it (it said “payable in a
        // later run”, with the amount held: two cold reviews), and the next programme in
        // order may pay it
        // (the SI a month beyond the limit withholds: what was paid, in time or late)
        let si_of_month: i64 = led.basis_cents(m).iter().sum::<i64>() + m.late;
        let ask = LimitAsk {
            ctx,
            progs,
            k,
            contract,
            rows,
            m,
            months,
            earlier,
            group: &group,
            top_up: led.top_up,
        };
        let run = self.running.entry(group.clone()).or_default();
        let known = match ask.known_beforehand(run, &self.out)? {
            Some(Within::Yes(note, ps, counted)) => Some((note, ps, counted)),
            Some(Within::No(c, msg)) => {
                if mc.beyond_limit(&pr, (c, msg), si_of_month, &mut t.beyond, &self.out) {
                    t.retired.push((k, ci));
                }
                return Ok(Verdict::Next);
            }
            None => None,
        };
        // a month subsidised once paid in full (足额) that is not, or cannot be told: it waits
        if let Some(x) = mc.short_of_full(&pr, led.top_up.is_none()) {
            self.out.exceptions.push(x);
            return Ok(Verdict::Done);
        }
        let unpaid_any = mc.late_and_unpaid(&pr, led.reversed_basis.as_ref(), &mut self.out);
        let basis_cents = led.basis_cents(m);
        // (a fixed monthly amount takes the SI as evidence the month was worked: a row paid
        // in time is that, whatever its employer amount — 0.00 under a relief such as
        // 2020's 阶段性减免; until 2026-12-03 such a post month was SI_ZERO_AMOUNT, its 1000
        // lost, a cold review)
        let evidence = fixed && paid_any;
        if basis_cents.iter().sum::<i64>() <= 0 && !evidence {
            if led.top_up.is_none() && !late_any && !unpaid_any {
                // rows paid in time, every employer amount 0.00 (reported above otherwise)
                // (“paid” only of rows paid: a row of 0.00 with no payment date owes
                // nothing either — a cold review found it said paid)
                self.out.exceptions.push(mc.info(
                    Code::SiZeroAmount,
                    format!(
                        "{si_of} for {} {} {}amounts of 0.00: nothing to subsidise",
                        m.period,
                        if m.paid_mask != 0 {
                            "was paid with"
                        } else {
                            "shows, with no payment date,"
                        },
                        if own { "" } else { "employer " }
                    ),
                    code,
                    0,
                ));
            }
            return Ok(Verdict::Done); // nothing paid in time; this month is not subsidised (and not counted)
        }
        // duration limit, fixed at the first subsidised month (one with a rule in force),
        // counting the months earlier runs subsidised
        let (limit_note, limit_params, counted) = match known {
            // (known before the SI was looked at, and within)
            Some(known) => known,
            None => {
                match ask.at_first_subsidy(run, &self.out)? {
                    Within::Yes(note, ps, counted) => (note, ps, counted),
                    // the next programme in order may pay the month (a cold review: a
                    // graduate's month 25 was not passed on to si_redeployment, which
                    // qualified); said if none does
                    Within::No(c, msg) => {
                        let si = basis_cents.iter().sum();
                        if mc.beyond_limit(&pr, (c, msg), si, &mut t.beyond, &self.out) {
                            t.retired.push((k, ci));
                        }
                        return Ok(Verdict::Next);
                    }
                }
            }
        };
        let paid = Money::from_cents(basis_cents.iter().sum());
        let amount = if prog.fixed_amount() {
            Money::round(share.value)
        } else {
            Money::round(paid.decimal() * share.value)
        };
        if !amount.is_positive() {
            // a zero share, or a share of a few cents that rounds to 0.00, pays nothing and
            // uses no month of the limit; said where the SI itself was not zero
            if paid.is_positive() {
                self.out.exceptions.push(mc.info(
                    Code::SiZeroAmount,
                    format!(
                        "{}: the subsidy ({} × {}) rounds to 0.00: nothing paid, no month counted",
                        m.period, paid, share.value
                    ),
                    code,
                    0,
                ));
            }
            return Ok(Verdict::Done); // a zero share pays nothing and uses no month of the limit
        }
        if led.top_up.is_none() && !counted {
            run.count += 1;
            run.periods.push(m.period);
        }
        self.line(
            mc,
            Priced {
                pr,
                k,
                ci,
                contract,
                finding,
                group,
                payee,
                month_key,
                led,
                share,
                amount,
                basis_cents,
                limit: (limit_note, limit_params),
                own_paid_before,
            },
        );
        // (one SI subsidy per person, employer and month)
        Ok(Verdict::Done)
    }

    /// The contract of candidate `(k, candidate)` the month is tried under, with the programme's
    /// finding on it: none where the programme has no qualifying contract covering the month
    /// (said, or pending until no other candidate takes the month), where its limit refused
    /// the month under an overlapping contract as past retirement (`Trial::retired`), or where
    /// the month is left to another contract of the pair.
    fn contract_for<'p>(
        &mut self,
        p: &Person<'p>,
        mc: &month::MonthCtx,
        t: &mut Trial,
        candidates: &[Candidate],
        (k, candidate): Candidate,
    ) -> Option<(usize, &'p Finding)> {
        let (progs, employment, judged, rows) = (p.progs, p.employment, p.judged, mc.rows);
        let prog = &progs[k];
        if t.retired.iter().any(|&(k2, r)| {
            k2 == k
                && candidate.is_none_or(|c| {
                    let b = &employment[c];
                    employment[r]
                        .in_force_between(b.contract_start, b.last_day().unwrap_or(Date::MAX))
                })
        }) {
            return None;
        }
        let qualifying: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&i| judged[k][i].is_ok())
            .collect();
        let mut said = outside::Said {
            out: &mut self.out,
            pending: &mut t.pending,
            near_reported: &mut self.near_reported,
        };
        if qualifying.is_empty() {
            mc.no_qualifying_contract(*prog, k, &judged[k], t.beyond.is_some(), &mut said);
            return None;
        }
        let Some(ci) = candidate else {
            mc.outside_qualifying(
                *prog,
                k,
                &judged[k],
                &qualifying,
                t.beyond.is_some(),
                &mut said,
            );
            return None; // another programme's contract may cover the month
        };
        let Ok(finding) = &judged[k][ci] else {
            return None;
        };
        // (the month a document takes effect: left to another contract of the pair)
        if mc.left_to_another_contract(*prog, (k, ci), candidates) {
            return None;
        }
        Some((ci, finding))
    }

    /// The line of month `mc` as `l` prices it, with what it says beside it (a retry of a line
    /// the bank returned, lines of other parties it takes back, the founder's own line it takes
    /// the month from) and what the walk remembers of it.
    fn line(&mut self, mc: &month::MonthCtx, l: Priced) {
        let (ctx, m, own) = (mc.ctx, mc.m, mc.own);
        let Priced {
            pr,
            k,
            ci,
            contract,
            finding,
            group,
            payee,
            month_key,
            led,
            share,
            amount,
            basis_cents,
            limit: (limit_note, limit_params),
            own_paid_before,
        } = l;
        let prog = pr.prog;
        let code = prog.code();
        let line_id = ctx.payment_id(code, &payee, m.person, m.period, led.seq);
        if let Some(reason) = &led.retry {
            self.out.exceptions.push(
                mc.info(
                    Code::PaymentRetry,
                    format!(
                        "the earlier line for {} was returned as failed by the bank ({reason}): paid again",
                        m.period
                    ),
                    code,
                    amount.cents(),
                )
                .for_line(&line_id),
            );
        }
        let mut params = finding.params.clone();
        params.push(share.clone());
        params.extend(limit_params);
        let basis = mc.basis(&pr, (share.value, amount), &led, &limit_note);
        // earlier runs' lines of the month to another party that this line takes back: an
        // intern-month to the host, a flexible month to the person (`recovered.rs`)
        // (not for a top-up, a retry of a failed line, nor the founder's own month)
        let first_line = !own && led.top_up.is_none() && led.seq == 0;
        mc.intern_month_recovered(
            first_line,
            contract,
            &mut self.intern_flagged,
            &mut self.out,
        );
        mc.flexible_month_recovered(
            first_line && !prog.fixed_amount(),
            (&group, &month_key),
            &mut self.flex_flagged,
            &mut self.out,
        );
        // (the founder's own line of the month, held for recovery: the month is the
        // start-up's — once, at the start-up's first line)
        if own_paid_before {
            self.startup_took.push(m.period);
        }
        if own_paid_before {
            mc.say_own_line_taken(code, (&month_key, &led), &mut self.out);
        }
        if prog.pays_the_person() {
            self.person_paid.push((k, m.period));
        }
        // (the contract and the pair, remembered if the line is paid — not withheld)
        if !self.paid_for.contains(&(k, ci)) {
            self.paid_for.push((k, ci));
            mc.remember_paid_for(code, (contract, &payee), &line_id, &mut self.out);
        }
        self.out.payments.push(Payment {
            reference: String::new(),
            payment_id: line_id,
            month_key,
            si_basis: basis_cents,
            row_fp: 0,
            limit_group: group,
            programme: code,
            clause: ctx.clause(code),
            service_month: Some(m.period),
            payee,
            beneficiary: Party::Person(m.person),
            amount,
            basis,
            eligibility: finding.why.clone(),
            params: params.into(),
            // (a founder's registration the registers lack is cited by the finding:
            // employers.csv)
            sources: std::iter::once(format!("employment.csv:{}", contract.line))
                .filter(|_| contract.line != 0)
                .chain(finding.sources.iter().cloned())
                .chain([m.paid_source()])
                .collect(),
        });
    }
}
