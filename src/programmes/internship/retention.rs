//! `internship_retention`: 3000 yuan per intern a host retains, once, in a year whose
//! retention rate among its finished interns reaches the minimum — confirmed by a labour
//! contract and six months of SI at the host (`retention_awards`).

use super::*;

/// What ends the time in which a contract with a placement's host keeps its intern on: the
/// intern's next placement at another host, begun after this one ended (a contract must begin
/// before it), or one begun by then that ran on past its end (a contract must begin no later
/// than its last day).
#[derive(Clone, Copy)]
enum Next {
    Begins(Date),
    RunsOn(Date),
}

impl Next {
    /// the first day a contract with the host no longer keeps the intern on
    fn bound(self) -> Date {
        match self {
            Next::Begins(d) => d,
            Next::RunsOn(d) => d.succ_opt().unwrap_or(d),
        }
    }
}

/// The payment id of retention award line `seq` for `person` (once per intern, whatever the
/// host; `+seq` for a retry).
pub(super) fn award_id(ctx: &Ctx, person: u32, seq: u32) -> String {
    let who = ctx.inputs.registers.person(person).id.to_string();
    award_id_of(ctx, "", &who, seq)
}

/// The award's id: “3000元/人, 一次性” — once per intern, so keyed on the intern alone (a host
/// code corrected between runs, or a second host retaining the same person, is not paid again;
/// a cold review found both paid). Builds before 2026-12-01 keyed it on the host too
/// (`award_id_by_host`): an award paid under such a key is paid.
pub(super) fn award_id_of(ctx: &Ctx, host: &str, who: &str, seq: u32) -> String {
    let tag = if seq == 0 {
        String::new()
    } else {
        format!("+{seq}")
    };
    crate::outputs::payments::payment_id(&ctx.pipeline.name, RETENTION, host, who, &tag)
}

pub(super) fn award_id_by_host(ctx: &Ctx, host: u32, person: u32) -> String {
    let reg = &ctx.inputs.registers;
    let h = reg.employer(host).id.to_string();
    award_id_of(ctx, &h, &reg.person(person).id.to_string(), 0)
}

/// The months this extract shows an intern insured by a host of the intern's placements (paid by
/// the end of the payout month), for the ledger: a retention is confirmed by six such months,
/// which an extract holding a window of recent rows does not hold at once (a cold review found
/// no award ever paid with such extracts). Also by an employer the intern has a labour contract
/// with (the registers'): a roster that names the host under a code corrected later (a grader:
/// the months seen under the true code forgotten, the award months late). In a stable order.
pub(super) fn host_insured(
    ctx: &Ctx,
    insured: &FxHashMap<(u32, Month), Vec<u32>>,
    hosts: &FxHashMap<u32, Vec<u32>>,
) -> Vec<crate::ledger::InternSiSeen> {
    let reg = &ctx.inputs.registers;
    let mut seen: Vec<crate::ledger::InternSiSeen> = insured
        .iter()
        .flat_map(|((person, month), employers)| {
            let hosts = hosts.get(person);
            employers
                .iter()
                .filter(move |e| {
                    hosts.is_some_and(|h| h.contains(e))
                        || reg.employment_of(*person).any(|c| c.employer == **e)
                })
                .map(move |e| crate::ledger::InternSiSeen {
                    person_id: reg.person(*person).id.to_string(),
                    employer_id: reg.employer(*e).id.to_string(),
                    period: *month,
                })
        })
        .collect();
    seen.sort_unstable();
    seen
}

/// The (person, host, month)s earlier runs' extracts showed insured (`intern_si_seen`).
/// A month seen under a host code gone from the registers that an earlier roster listed one of
/// the intern's placements under is that placement's host's now (one host, its code corrected
/// between runs, as `host_codes` reads it — since 2026-12-06: a grader found the months seen
/// under the old code forgotten, a retention confirmed months late).
/// Each with the earliest payout month whose run's extract showed it.
pub(super) fn insured_before<'a>(ctx: &'a Ctx) -> FxHashMap<(u32, u32, Month), &'a str> {
    let reg = &ctx.inputs.registers;
    let mut renamed: FxHashMap<(String, String), u32> = FxHashMap::default();
    if ctx
        .history
        .intern_si_seen
        .keys()
        .any(|(_, eid, _)| reg.employer_by_id(eid).is_none())
    {
        for p in &ctx.inputs.internships {
            let pid = reg.person(p.person).id.to_string();
            // (the host's own code first, then the gone ones)
            for h in host_codes(ctx, &pid, p, &[]).into_iter().skip(1) {
                renamed.entry((pid.clone(), h)).or_insert(p.host);
            }
        }
    }
    ctx.history
        .intern_si_seen
        .iter()
        .filter_map(|((pid, eid, m), run)| {
            let key = match reg.person_and_employer(pid, eid) {
                Some((p, e)) => (p, e, *m),
                None => {
                    let e = *renamed.get(&(pid.to_string(), eid.to_string()))?;
                    (reg.person_by_id(pid)?, e, *m)
                }
            };
            Some((key, run.as_str()))
        })
        // (two codes of one host: the earliest run)
        .fold(FxHashMap::default(), |mut map, (k, run)| {
            let e: &mut &str = map.entry(k).or_insert(run);
            *e = (*e).min(run);
            map
        })
}

/// The SI months a retention rests on that earlier runs' extracts showed (`insured_before`),
/// as a `sources` entry per run: “contributions.csv SI 2018-05..2018-07, 2018-09 of the
/// 2018-11 run's extract” — an auditor proves them from that run's manifest (the manifest's
/// `earlier_runs`; until 2026-12-07 an award paid on them cited no SI at all, a contract-only
/// review).
pub(super) fn earlier_si_sources(months: &[(Month, &str)]) -> Vec<String> {
    let mut by_run: std::collections::BTreeMap<&str, Vec<Month>> = Default::default();
    for (m, run) in months {
        by_run.entry(run).or_default().push(*m);
    }
    by_run
        .into_iter()
        .map(|(run, mut ms)| {
            ms.sort_unstable();
            ms.dedup();
            let mut spans: Vec<(Month, Month)> = Vec::new();
            for m in ms {
                match spans.last_mut() {
                    Some((_, last)) if last.next() == m => *last = m,
                    _ => spans.push((m, m)),
                }
            }
            let spans: Vec<String> = spans
                .into_iter()
                .map(|(a, b)| {
                    if a == b {
                        a.to_string()
                    } else {
                        format!("{a}..{b}")
                    }
                })
                .collect();
            format!(
                "contributions.csv SI {} of the {run} run's extract",
                spans.join(", ")
            )
        })
        .collect()
}

/// The hosts of each intern's placements in the roster, each once, in roster order.
pub(super) fn hosts_of(ctx: &Ctx) -> FxHashMap<u32, Vec<u32>> {
    let mut hosts: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for p in &ctx.inputs.internships {
        let v = hosts.entry(p.person).or_default();
        if !v.contains(&p.host) {
            v.push(p.host);
        }
    }
    hosts
}

/// A host's year of finished interns, judged: how many finished, who is retained (with the
/// contract line that confirms it, and whether the registers and SI months confirm it rather
/// than only an earlier run's award), the rate and the year's parameters (contract years,
/// SI months, minimum rate, amount).
pub(super) struct Judged<'a> {
    year: i32,
    host: u32,
    /// the lines of the year's finished placements (internships.csv), in line order
    finished: Vec<u32>,
    retained: Vec<(&'a InternshipRow, Option<u32>, bool)>,
    rate: Decimal,
    years: i32,
    min_si: i32,
    params: [ParamRef; 4],
}

impl Judged<'_> {
    /// The year's rate reaches the minimum (`internship_retention.min_rate`): awards are due.
    fn rate_reached(&self) -> bool {
        self.rate >= self.params[2].value
    }
}

/// 苏府〔2017〕158号 （九）: “对见习期满见习人员留用率一个自然年度内达50%以上，与其签订劳动合同1年以上
/// 并缴纳社会保险费的见习单位，按每留用1人3000元的标准，给予见习单位一次性见习奖励补贴”.
/// Per host and calendar year of the placement end: the interns whose placement ran its term
/// (outcome completed or retained); retained = a labour contract of ≥ 1 year with the host
/// starting after the placement start, and employer SI paid at the host for ≥ 6 months (counted
/// in this extract and, `intern_si_seen`, earlier runs'). Rate = retained / finished ≥ `min_rate` → the award per retained intern,
/// once (the ledger remembers it).
pub(super) fn retention_awards(
    ctx: &Ctx,
    insured: &FxHashMap<(u32, Month), Vec<u32>>,
    hosts_of: &FxHashMap<u32, Vec<u32>>,
) -> Result<Outcome, ParamError> {
    let mut out = Outcome::default();
    let mut placements_of: FxHashMap<u32, Vec<&InternshipRow>> = FxHashMap::default();
    for p in &ctx.inputs.internships {
        placements_of.entry(p.person).or_default().push(p);
    }
    let r = Retention {
        ctx,
        hosts_of,
        placements_of,
        corrected: std::cell::OnceCell::new(),
    };
    let (groups, counted_at, left_rows) = r.judge_placements(&mut out)?;
    // first every group judged (who finished, who is retained), then the awards: an award paid
    // under another intern ID of a placement is told apart by that ID's own retention
    // elsewhere, which only the whole run's judgement shows
    let (judged, earlier_si) = r.judge_groups(groups, insured, &mut out)?;
    let already = r.paid_under_other_ids(&judged);
    let first_group = first_groups(ctx, &judged);
    r.say_left_rows(left_rows, &counted_at, &first_group, &mut out)?;
    // (the interns this run awards: once per intern)
    let mut awarded_now: FxHashSet<u32> = FxHashSet::default();
    for j in judged {
        r.pay_year(
            j,
            (&first_group, &already, &earlier_si),
            &mut awarded_now,
            &mut out,
        );
    }
    Ok(out)
}

/// A roster's retention awards as `retention_awards` judges them: its placements by intern,
/// and what earlier runs paid.
struct Retention<'a> {
    ctx: &'a Ctx<'a>,
    /// the hosts of each intern's placements (an earlier build keyed awards on them)
    hosts_of: &'a FxHashMap<u32, Vec<u32>>,
    /// each intern's placements (the bound of a retention, `keeps_after`; a renewal at the
    /// host; where an award was paid)
    placements_of: FxHashMap<u32, Vec<&'a InternshipRow>>,
    /// intern IDs under which another intern's placement of this roster was paid
    /// (`under_my_id`), read once when first asked
    corrected: std::cell::OnceCell<FxHashSet<String>>,
}

/// The (year, host)s of finished placements, by year and the host's credit code.
type Groups<'a> =
    std::collections::BTreeMap<(i32, crate::domain::CreditCode, u32), Vec<&'a InternshipRow>>;

/// A row about a placement that left before its planned end (`Retention::say_left_rows`).
struct LeftRow<'a> {
    /// (year, host, intern)
    key: (i32, u32, u32),
    p: &'a InternshipRow,
    /// its message: whole, or (`ends`) to be ended by `left_said`
    said: String,
    /// the award an earlier run paid on it, if any
    award: Option<String>,
    ends: bool,
}

impl<'a> Retention<'a> {
    /// Whether an earlier run paid line `key`.
    fn paid(&self, key: &str) -> bool {
        matches!(self.ctx.history.seen(key), Seen::Paid(_))
    }

    /// The payees of the intern's award lines earlier runs paid (`History::retention_payees`).
    fn payees(
        &self,
        p: &InternshipRow,
    ) -> Option<&'a Vec<(String, String, crate::ledger::AwardYear)>> {
        self.ctx
            .history
            .retention_payees
            .get(&self.ctx.inputs.registers.person(p.person).id.to_string())
    }

    /// An intern's award an earlier run paid to whichever host (under an earlier build's key,
    /// to any host of the intern's placements — or to a host the roster no longer places the
    /// intern at, which the ledger's payees show: a regression review found such an award paid
    /// again).
    fn awarded(&self, p: &InternshipRow) -> bool {
        let ctx = self.ctx;
        self.paid(&award_id(ctx, p.person, 0))
            || self.payees(p).is_some()
            || self
                .hosts_of
                .get(&p.person)
                .into_iter()
                .flatten()
                .any(|&h| self.paid(&award_id_by_host(ctx, h, p.person)))
    }

    /// The line of the intern's award an earlier run paid to `host` (its payment id) — by the
    /// payee of the line (`History::retention_payees`: the award is keyed on the intern alone),
    /// or under the key an earlier build made with this host. A payee no employer of the
    /// registers has now is this host under an old code when the intern-months of the intern's
    /// placement at this host were paid to that code (the host's code corrected since; a host
    /// gone from the registers is another). Three regression reviews: “all placements here” lost
    /// a host its own award for an intern placed elsewhere too, “a host contract since the
    /// placement” took another host's award for this one's, and a payee gone from the registers
    /// taken for this host raised its rate with another's award.
    /// `any_year`: the intern's award paid to `host` whatever the year whose rate it was paid
    /// on (a review of a paid award: a roster correction may move its placement into another
    /// year — a regression review found such an award never reviewed); else only an award of
    /// `p`'s year (its place in that year's rate)
    fn award_line_of(&self, p: &InternshipRow, host: u32, any_year: bool) -> Option<String> {
        let ctx = self.ctx;
        let reg = &ctx.inputs.registers;
        let legacy = award_id_by_host(ctx, host, p.person);
        if self.paid(&legacy) {
            return Some(legacy);
        }
        let key = award_id(ctx, p.person, 0);
        if !self.paid(&key) {
            return None;
        }
        let pid = reg.person(p.person).id.to_string();
        // (the intern's placements at this host paid intern-months to `code`)
        // (or for a month of such a placement under another id: renumbered in the same roster
        // that corrected the code — an intern is an intern once a month; a grader found the
        // award left off the host's rate, 3000.00 owed unpaid)
        let placed_as = |code: &str| {
            ctx.history.intern_months.get(&pid).is_some_and(|paid| {
                self.placements_of
                    .get(&p.person)
                    .into_iter()
                    .flatten()
                    .any(|q| {
                        let group = format!("{BASE}/{}", q.placement_id);
                        let span = Month::of(q.start_date)..=Month::of(placement_end(q));
                        q.host == host
                            && paid
                                .iter()
                                .any(|(h, g, m)| h == code && (*g == group || span.contains(m)))
                    })
            })
        };
        // (an award paid on the rate of another year than this placement's is another
        // placement's: a regression review found a 2019 award keep a 2020 row that left early in
        // 2020's rate, and the 2019 award reviewed on 2020's)
        let year = chrono::Datelike::year(&placement_end(p));
        // (a line of an earlier build names no year: its award is of the latest year, up to
        // the last its run could judge, in which the intern finished a placement at this host
        // — a December or January run may pay an earlier year's: a regression review)
        let fits = |y: &crate::ledger::AwardYear| match *y {
            crate::ledger::AwardYear::Named(n) => n == year,
            crate::ledger::AwardYear::RunsLast(r) => {
                self.placements_of
                    .get(&p.person)
                    .into_iter()
                    .flatten()
                    .filter(|q| q.host == host)
                    .map(|q| chrono::Datelike::year(&placement_end(q)))
                    .filter(|&y| y <= r)
                    .max()
                    .unwrap_or(r)
                    == year
            }
        };
        match self.payees(p) {
            Some(to) => to
                .iter()
                .find(|(c, _, y)| {
                    (any_year || fits(y))
                        && match reg.employer_by_id(c) {
                            Some(e) => e == host,
                            None => placed_as(c),
                        }
                })
                .map(|(_, id, _)| id.clone()),
            // (paid, with no payee in the ledger: not the intern's ID as written then — the
            // award is this host's when all the intern's placements are here)
            None => self
                .hosts_of
                .get(&p.person)
                .is_none_or(|hs| hs.iter().all(|&h| h == host))
                .then_some(key),
        }
    }

    /// The intern's award an earlier run paid to `host` on `p`'s year's rate.
    fn award_here(&self, p: &InternshipRow, host: u32) -> bool {
        self.award_line_of(p, host, false).is_some()
    }

    /// 留用 is keeping the intern on: a contract with the host counts only when it starts before
    /// the intern's next placement at ANOTHER host (begun after this one ended, and one the
    /// intern is eligible for: a nested placement elsewhere or a roster row the run refuses ends
    /// nothing; one begun by its end that ran on past it bounds it at its own end, `Next`) and
    /// no later than a contract with another employer begun after the placement ended — a
    /// contract after a placement or a job elsewhere is no retention by this host (a cold
    /// review found one paid 18 months after the year, after a job elsewhere). A later
    /// placement at the same host bounds nothing: the host that takes its intern on again and
    /// then hires them has kept them (two regression reviews: leaving the earlier placement out
    /// of the rate, or counting it not retained, took owed awards away). The next placement's
    /// start and the first such other contract's start, if any: a contract with the host counts
    /// when it starts before the first and no later than the second (two jobs taken up the
    /// same day are both kept on).
    fn keeps_after(&self, p: &InternshipRow) -> (Option<Next>, Option<Date>) {
        let ctx = self.ctx;
        let reg = &ctx.inputs.registers;
        let end = placement_end(p);
        let next = self
            .placements_of
            .get(&p.person)
            .into_iter()
            .flatten()
            .filter(|q| q.host != p.host && is_eligible(ctx, q))
            .filter_map(|q| {
                if q.start_date > end {
                    Some(Next::Begins(q.start_date))
                } else if placement_end(q) > end {
                    // a placement sharing days — or the last day — with this one, begun within
                    // it or before it, that runs on past its end: the intern stayed there after
                    // this one ended; a contract with the host begun before it ran out took the
                    // intern from it (a regression review: an owed award), one begun after it is
                    // no keeping on (a differential review found 3000 paid on a contract after
                    // five months at the second host; another, the same where the second began
                    // a day before the first)
                    Some(Next::RunsOn(placement_end(q)))
                } else {
                    None
                }
            })
            .min_by_key(|n| n.bound());
        let elsewhere = reg
            .employment_of(p.person)
            .filter(|e| e.employer != p.host && e.contract_start > end)
            .map(|e| e.contract_start)
            .min();
        (next, elsewhere)
    }

    /// Every placement of the roster judged: the (year, host)s of the placements that ran
    /// their term in a year that is over (“见习期满”, “一个自然年度内”), by year and then the
    /// host's credit code — not its place in employers.csv: which of two hosts retaining one
    /// intern in a run is awarded must not hang on row order, a review —; the (year, host,
    /// intern)s counted in a year's rate; and the rows about placements that left before their
    /// planned end, said once every placement is seen (`say_left_rows`). A retention reported
    /// in a year not yet over is said at once (RETENTION_YEAR_OPEN).
    #[allow(clippy::type_complexity)]
    fn judge_placements(
        &self,
        out: &mut Outcome,
    ) -> Result<(Groups<'a>, FxHashSet<(i32, u32, u32)>, Vec<LeftRow<'a>>), ParamError> {
        let ctx = self.ctx;
        let reg = &ctx.inputs.registers;
        let mut groups: Groups<'a> = Default::default();
        // (year, host, intern) of the placements counted in a year's rate, and the rows about
        // placements that left before their planned end (said once every placement is seen: not
        // of an intern another placement at the host counts for the year) with the award an
        // earlier run paid on each, if any
        let mut counted_at: FxHashSet<(i32, u32, u32)> = FxHashSet::default();
        // (each row's message, whole or — `ends` — to be ended by `left_said`)
        let mut left_rows: Vec<LeftRow<'a>> = Vec::new();
        for p in &ctx.inputs.internships {
            let end = placement_end(p);
            let year = chrono::Datelike::year(&end);
            // “一个自然年度内”: a year is judged once it is over (the payout month is its December
            // or later), among the interns who were eligible
            let year_over =
                Date::from_ymd_opt(year, 12, 31).is_some_and(|d| d <= ctx.payout.last_day());
            // “见习期满”: the term ran out — by the roster's word (completed, retained) or by its
            // dates: whatever the code, a placement not left before its planned end, once that has
            // passed (a host must not lift its rate by leaving codes unchanged: a cold review)
            // (the first day an employer — the host, or any — took the intern on within the
            // placement's term, before its last day)
            // (within the internship: from its first row's start — one of back-to-back rows left
            // for a job during an earlier row of its internship, as the one row would be: a code
            // review found a chain's last row awarded where the one row was refused)
            let first_day = chain_start(ctx, p);
            let hired_within = |host_only: bool, last_day_too: bool| {
                reg.employment_of(p.person)
                    .filter(|e| !host_only || e.employer == p.host)
                    .map(|e| e.contract_start)
                    .filter(|d| {
                        *d >= first_day
                            && (*d < p.planned_end || last_day_too && *d == p.planned_end)
                    })
                    .min()
            };
            // (an award an earlier run paid this host stays in the year's rate: confirmed when paid
            // — a regression review found a later extract's contract elsewhere drop it, and another
            // intern's award held for it; another host's award keeps nothing here: a regression
            // review found a host's owed award lost to an intern another host retained)
            let paid_award = self.award_here(p, p.host);
            // (the intern's award paid to this host on any year's rate: a row that left early is
            // reviewed for it, unless it stands on another year's — below)
            let award_any = self.award_line_of(p, p.host, true);
            let paid_any = award_any.is_some();
            // (the roster's own date of leaving, before the planned end: the term did not run out,
            // whatever the code — a cold review found a `retained` or `completed` row left two
            // months early counted as 见习期满 beside a `left_early` twin of the same dates left out;
            // an award an earlier run paid on it is reviewed below, as a later roster's correction)
            let left_before_term = p.left_on.is_some_and(|d| d < p.planned_end);
            // (no left_on, a contract begun within the term: the intern left the placement for it,
            // though the dates alone would say the term ran out — whatever the code: a regression
            // review found a `left_early` one the host hired awarded, another's hire counted in the
            // host's rate; a grader the same facts coded `retained` or `completed` awarded, their
            // months from the hire held as the host's employee's. A left_on on or after the
            // planned end is the dates' word, as for any code)
            let hired_early = (p.left_on.is_none() && !paid_award)
                .then(|| hired_within(false, false))
                .flatten();
            let term_ran_out = match p.outcome {
                _ if left_before_term || hired_early.is_some() => false,
                PlacementOutcome::Completed | PlacementOutcome::Retained => true,
                // (not left before the planned end, which has passed)
                _ => end >= p.planned_end && p.planned_end <= ctx.payout.last_day(),
            };
            // (a row the intern's next row at the host continues back to back — the day after its
            // end — is not the internship's end when that row runs its term, or runs still: one
            // internship in several rows is judged by the last that ran its term, in that row's
            // year — a cold review found a first row counted as finished in its own year, lifting
            // that year's rate; a later row left early leaves the earlier one judged, as before; an
            // award an earlier run paid on it stays)
            let continued = || {
                self.placements_of.get(&p.person).is_some_and(|ps| {
                    ps.iter().any(|q| {
                        renews(p, q)
                            && q.outcome != PlacementOutcome::LeftEarly
                            && q.left_on.is_none_or(|d| d >= q.planned_end)
                            // (a row the run refuses is no internship: a regression test)
                            && matches!(eligible(ctx, q), Ok(Ok(_)))
                    })
                })
            };
            let counted = term_ran_out
                && (paid_award || !continued())
                && ctx.in_region(p.host)
                && eligible(ctx, p)?.is_ok();
            if counted {
                counted_at.insert((year, p.host, p.person));
            }
            // a retention the roster reports in a year not yet over waits for the year's rate:
            // said, with the award it may bring, so that no retained intern goes without a word
            // (not of an intern whose one award an earlier run paid: the row would promise a
            // second — a regression review)
            if counted && !year_over && p.outcome == PlacementOutcome::Retained && !self.awarded(p)
            {
                let on = Date::from_ymd_opt(year, 12, 31).unwrap_or(end);
                let amount = ctx.params.at_or_first("internship_retention.amount", on)?;
                out.exceptions.push(
                    Exception::new(
                        Code::RetentionYearOpen,
                        format!(
                            "placement {} ended {end}, marked retained: the host's retention rate of {year} (“一个自然年度内”) is judged once the year is over — the run for {year}-12 or later pays the award if the rate is reached and the retention confirmed",
                            p.placement_id
                        ),
                    )
                    .at("internships.csv", p.line)
                    .programme(RETENTION)
                    .person(reg.person(p.person).id)
                    .employer(reg.employer(p.host).id)
                    .amount(Money::round(amount.value)),
                );
            }
            // an intern who left early to be hired by the host is no 见习期满 intern: out of the rate
            // and the award, said once the year is over (a cold review found it silent beside the
            // same facts coded `retained`, which the host's roster may do)
            // (of an intern the rate would have counted: in the region, eligible)
            // (a row whose own `left_on` lies before the planned end, whatever its code: out of the
            // rate, and said — with the host's hire within the term, if any; a `retained` row at
            // once, as its RETENTION_YEAR_OPEN would have been; an award an earlier run paid on it
            // is to review. Said after every placement is seen, and not when another placement of
            // the intern at this host counts for the year: back-to-back rows are one internship,
            // judged by the one that ran its term — a regression review found “not awarded” said
            // beside the award)
            if left_before_term
                && p.outcome != PlacementOutcome::LeftEarly
                && (year_over || p.outcome == PlacementOutcome::Retained || paid_any)
                && ctx.in_region(p.host)
                && eligible(ctx, p)?.is_ok()
            {
                let hired = hired_within(true, true).map_or(String::new(), |d| {
                    format!(" (the host took the intern on from {d})")
                });
                let said = format!(
                    "placement {} is marked {} but left on {end}, before its planned end {}{hired}: not 见习期满 (（九）“对见习期满见习人员留用率……”)",
                    p.placement_id,
                    match p.outcome {
                        PlacementOutcome::Retained => "retained",
                        PlacementOutcome::Completed => "completed",
                        _ => "ongoing",
                    },
                    p.planned_end,
                );
                left_rows.push(LeftRow {
                    key: (year, p.host, p.person),
                    p,
                    said,
                    award: award_any.clone(),
                    ends: true,
                });
            }
            // (coded `left_early` with its date, an award an earlier run paid on it: to review —
            // the rows for one unpaid are said below)
            if left_before_term
                && p.outcome == PlacementOutcome::LeftEarly
                && paid_any
                && ctx.in_region(p.host)
            {
                let said = format!(
                    "placement {} left early ({end}, planned to {}): not 见习期满 (（九）“对见习期满见习人员留用率……”)",
                    p.placement_id, p.planned_end
                );
                left_rows.push(LeftRow {
                    key: (year, p.host, p.person),
                    p,
                    said,
                    award: award_any.clone(),
                    ends: true,
                });
            }
            // (coded otherwise, hired within the term without a left_on: the same, said as for a
            // left_on before the planned end — a `retained` one at once)
            let coded = match p.outcome {
                PlacementOutcome::LeftEarly => None,
                PlacementOutcome::Retained => Some("retained"),
                PlacementOutcome::Completed => Some("completed"),
                PlacementOutcome::Ongoing => Some("ongoing"),
            };
            if !term_ran_out
                && (year_over || p.outcome == PlacementOutcome::Retained)
                && (coded.is_none() || hired_early.is_some())
                && !paid_award
                && ctx.in_region(p.host)
                && eligible(ctx, p)?.is_ok()
            {
                // (how the row's leaving is told: by its code, or against it)
                let left = |planned: Date| match coded {
                    None => format!(
                        "left early ({}, planned to {planned})",
                        p.left_on
                            .map_or("left_on not given".to_string(), |d| d.to_string())
                    ),
                    Some(code) => {
                        format!("is marked {code} without a left_on (planned to {planned})")
                    }
                };
                // (another employer's contract within the term, where the roster gives no left_on,
                // took the intern out of the rate: said too — a regression review found the host's
                // rate changed without a word)
                let elsewhere = reg
                    .employment_of(p.person)
                    .filter(|e| e.employer != p.host)
                    .map(|e| (e.contract_start, e.employer))
                    .filter(|(d, _)| p.left_on.is_none() && *d >= first_day && *d < p.planned_end)
                    .min();
                // (the host's hire on the term's last day is no cause where no left_on is given:
                // the other contract is — a regression review found the wrong one named)
                let host_hire = hired_within(true, p.left_on.is_some());
                let key = (year, p.host, p.person);
                if let (None, Some((from, employer))) = (host_hire, elsewhere) {
                    left_rows.push(LeftRow {
                        key,
                        p,
                        said: format!(
                            "placement {} {}: the intern took a labour contract with {} from {from}, within the term — not 见习期满 (（九）“对见习期满见习人员留用率……”), so not in this host's retention rate",
                            p.placement_id,
                            left(p.planned_end),
                            reg.employer(employer).id
                        ),
                        award: None,
                        ends: false,
                    });
                }
                if let Some(hired) = host_hire {
                    left_rows.push(LeftRow {
                        key,
                        p,
                        said: format!(
                            "placement {} {} the host took the intern on from {hired}: not 见习期满 (（九）“对见习期满见习人员留用率……”), so neither in the host's retention rate nor awarded{}",
                            p.placement_id,
                            match coded {
                                None => format!("{} and", left(p.planned_end)),
                                Some(_) => format!("{}, but", left(p.planned_end)),
                            },
                            match coded {
                                None => " — a host that kept the intern to the end of the term reports it `retained`",
                                Some(_) => " (its months from the hire are the host's employee's, not intern-months)",
                            }
                        ),
                        award: None,
                        ends: false,
                    });
                }
            }
            let finished = counted && year_over;
            if finished {
                groups
                    .entry((year, reg.employer(p.host).id, p.host))
                    .or_default()
                    .push(p);
            }
        }
        Ok((groups, counted_at, left_rows))
    }

    /// Each (year, host)'s finished interns judged (`groups`): who finished, who is retained
    /// — by the registers and the SI months this extract (`insured`) and earlier runs'
    /// extracts showed, or by an award an earlier run paid —, the rate and the year's
    /// parameters; with, by placement row, the SI months of its retention earlier runs'
    /// extracts showed (cited). A retention the roster reports that the registers do not
    /// confirm is said (RETENTION_NOT_CONFIRMED).
    #[allow(clippy::type_complexity)]
    fn judge_groups(
        &self,
        groups: Groups<'a>,
        insured: &FxHashMap<(u32, Month), Vec<u32>>,
        out: &mut Outcome,
    ) -> Result<(Vec<Judged<'a>>, FxHashMap<u32, Vec<String>>), ParamError> {
        let ctx = self.ctx;
        let reg = &ctx.inputs.registers;
        let before = insured_before(ctx);
        // (an intern whose award an earlier run paid was confirmed then: counted as retained
        // whatever this extract still shows — a windowed extract no longer holds the SI months; a
        // cold review found RETENTION_NOT_CONFIRMED said each month of a paid award)
        let mut judged: Vec<Judged> = Vec::new();
        // (by placement row: the SI months of its retention earlier runs' extracts showed, cited)
        let mut earlier_si: FxHashMap<u32, Vec<String>> = FxHashMap::default();
        for ((year, _, host), mut finished) in groups {
            // a person counts once per host and year, whatever the number of placements: by the
            // latest of them there (back-to-back placements at one host are judged by the last)
            let mut latest: FxHashMap<u32, (Date, u32)> = FxHashMap::default();
            for p in &finished {
                let e = latest.entry(p.person).or_insert((placement_end(p), p.line));
                *e = (*e).max((placement_end(p), p.line));
            }
            finished.retain(|p| latest.get(&p.person) == Some(&(placement_end(p), p.line)));
            let on = Date::from_ymd_opt(year, 12, 31).unwrap_or(ctx.payout.last_day());
            let (years, yr) = ctx
                .params
                .int_at_or_first("internship_retention.min_contract_years", on)?;
            let (min_si, sr) = ctx
                .params
                .int_at_or_first("internship_retention.min_si_months", on)?;
            let rate_min = ctx
                .params
                .at_or_first("internship_retention.min_rate", on)?;
            let amount = ctx.params.at_or_first("internship_retention.amount", on)?;
            // retained: a labour contract of ≥ `years` with the host starting on or after the
            // placement start, and SI at the host from the first day of employment under such
            // contracts (the earliest start among them, whatever the file's order: a host that
            // insured its intern during the placement, before any contract, has not yet retained
            // them — a cold review found the award paid before the contract began)
            // the contracts of ≥ `years` with the host from the placement start on: the earliest
            // one (SI counts from its start — not a short contract's before it, nor a gap's)
            let contract = |p: &InternshipRow| {
                let (next, elsewhere) = self.keeps_after(p);
                reg.employment_of(p.person)
                    .filter(|e| e.employer == host && e.contract_start >= p.start_date)
                    .filter(|e| {
                        next.is_none_or(|n| e.contract_start < n.bound())
                            && elsewhere.is_none_or(|o| e.contract_start <= o)
                    })
                    .filter(|e| {
                        e.contract_end.is_none_or(|end| {
                            end >= add_years(e.contract_start, years)
                                .pred_opt()
                                .unwrap_or(e.contract_start)
                        })
                    })
                    .min_by_key(|e| (e.contract_start, e.line))
            };
            let confirmed = |p: &InternshipRow| {
                let c = contract(p);
                let from = c.map(|e| Month::of(e.contract_start));
                // (the months from there to the payout month in which a contract with the host
                // from the placement on covers a day — an ended job's SI after it is no employment:
                // a cold review found a job ended after three months confirmed by SI filed after
                // its end; a contract following it goes on counting, a regression review —, looked
                // up one by one)
                let employed_in = |m: Month| {
                    reg.employment_of(p.person).any(|e| {
                        e.employer == host && e.contract_start >= p.start_date && e.in_force_in(m)
                    })
                };
                // (and the months only earlier runs' extracts showed, with the run)
                let mut earlier: Vec<(Month, &str)> = Vec::new();
                let si_months = match from {
                    Some(mut m) => {
                        let mut n = 0;
                        while m <= ctx.payout {
                            if !employed_in(m) {
                                m = m.next();
                                continue;
                            }
                            if insured
                                .get(&(p.person, m))
                                .is_some_and(|e| e.contains(&host))
                            {
                                n += 1;
                            } else if let Some(run) = before.get(&(p.person, host, m)) {
                                n += 1;
                                earlier.push((m, *run));
                            }
                            m = m.next();
                        }
                        n
                    }
                    _ => 0,
                };
                (si_months, from, earlier)
            };
            // (each with the contract that confirms it, and whether the registers and SI months
            // confirm it — not only an earlier run's award)
            let mut retained: Vec<(&InternshipRow, Option<u32>, bool)> = Vec::new();
            for p in finished.iter().copied() {
                let (si_months, from, earlier) = confirmed(p);
                // (retained by the registers and the SI months this extract and earlier runs' showed
                // — `intern_si_seen`: a windowed extract holds no six months —, whatever earlier
                // runs paid; an intern whose award was paid is not reported again when a windowed
                // extract no longer shows the six months)
                let was_awarded = self.awarded(p);
                // (an intern whose award an earlier run paid stays retained for the year, whatever
                // this extract's registers show — a contract row gone once it ran out: a cold
                // review found the year's rate fall and a later retained intern refused)
                // (the award is the intern's, once: this host's when paid to this host)
                let awarded_here = self.award_here(p, host);
                let by_test = from.is_some() && si_months >= min_si;
                if by_test || awarded_here {
                    if by_test && !earlier.is_empty() {
                        earlier_si.insert(p.line, earlier_si_sources(&earlier));
                    }
                    retained.push((p, contract(p).map(|e| e.line), by_test));
                } else if p.outcome == PlacementOutcome::Retained && !was_awarded {
                    // the roster's word alone is not enough: say what is missing
                    out.exceptions.push(
                        Exception::new(
                            Code::RetentionNotConfirmed,
                            format!(
                                "placement {} is marked retained, but {}: not counted as retained for {year}",
                                p.placement_id,
                                if let Some(from) = from {
                                    format!(
                                        "employer SI at the host under the contract (from {from}) is paid for {si_months} month(s) in this extract and earlier runs' extracts, fewer than {min_si}"
                                    )
                                } else {
                                    format!(
                                        "no labour contract of ≥ {years} year with the host starts on or after the placement start{}",
                                        match self.keeps_after(p) {
                                            (Some(Next::Begins(n)), _) => format!(" and before {n}, the intern's next placement"),
                                            (Some(Next::RunsOn(n)), _) => format!(" and no later than {n}, when the intern's placement at another host, which ran on past this one, ended"),
                                            (None, Some(o)) => format!(" and no later than {o}, when a job elsewhere began"),
                                            (None, None) => String::new(),
                                        }
                                    )
                                }
                            ),
                        )
                        .at("internships.csv", p.line)
                        .programme(RETENTION)
                        .person(reg.person(p.person).id)
                        .employer(reg.employer(host).id),
                    );
                }
            }
            let rate = Decimal::from(retained.len()) / Decimal::from(finished.len().max(1));
            judged.push(Judged {
                year,
                host,
                finished: {
                    let mut lines: Vec<u32> = finished.iter().map(|p| p.line).collect();
                    lines.sort_unstable();
                    lines
                },
                retained,
                rate,
                years,
                min_si,
                params: [yr, sr, rate_min, amount],
            });
        }
        Ok((judged, earlier_si))
    }

    /// The other intern IDs under which an earlier run paid placement `p`'s intern-months and
    /// their retention awards (the roster's person_id corrected since).
    fn awards_under_others<'s>(
        &'s self,
        p: &InternshipRow,
    ) -> impl Iterator<Item = &'a String> + 's {
        let ctx = self.ctx;
        let me = ctx.inputs.registers.person(p.person).id.to_string();
        ctx.placement_interns(&format!("{BASE}/{}", p.placement_id))
            .iter()
            .filter(move |o| **o != me && self.paid(&award_id_of(ctx, "", o, 0)))
    }

    /// Whether a placement of another intern in this roster paid its intern-months under
    /// `p`'s intern ID (the roster's person_id corrected since), read once when first asked.
    fn under_my_id(&self, p: &InternshipRow) -> bool {
        let ctx = self.ctx;
        let reg = &ctx.inputs.registers;
        self.corrected
            .get_or_init(|| {
                let mut ids = FxHashSet::default();
                for q in &ctx.inputs.internships {
                    let me = reg.person(q.person).id.to_string();
                    let group = format!("{BASE}/{}", q.placement_id);
                    ids.extend(
                        ctx.placement_interns(&group)
                            .iter()
                            .filter(|o| **o != me)
                            .cloned(),
                    );
                }
                ids
            })
            .contains(&reg.person(p.person).id.to_string())
    }

    /// The retained interns whose one award an earlier run paid under another intern ID of
    /// their placement (`awards_under_others`), by intern, with that ID and the placement —
    /// unless this run finds that ID retained from a placement of its own.
    fn paid_under_other_ids(&self, judged: &[Judged<'a>]) -> FxHashMap<u32, (String, &'a str)> {
        let reg = &self.ctx.inputs.registers;
        // the retentions the run itself finds, by the registers and SI months, in a year whose rate
        // reaches the minimum, that `keep` keeps: by intern, the placements they are for
        let retentions = |keep: &dyn Fn(&InternshipRow) -> bool| {
            let mut by: FxHashMap<u32, Vec<&str>> = FxHashMap::default();
            for j in judged.iter().filter(|j| j.rate_reached()) {
                for (p, _, confirmed) in &j.retained {
                    if *confirmed && keep(p) {
                        by.entry(p.person).or_default().push(&p.placement_id);
                    }
                }
            }
            by
        };
        // whether intern ID `o` has a retention of `by` for a placement other than `pl`
        let elsewhere = |by: &FxHashMap<u32, Vec<&str>>, o: &str, pl: &str| {
            reg.person_by_id(o)
                .and_then(|x| by.get(&x))
                .is_some_and(|pls| pls.iter().any(|q| *q != pl))
        };
        let by_test = retentions(&|_| true);
        let retained_elsewhere = |o: &str, pl: &str| elsewhere(&by_test, o, pl);
        // an intern's own retentions: not a placement whose award an earlier run paid under yet
        // another ID that has no retention of its own elsewhere (a regression review: A's own
        // retention, paid under C, taken for the award paid under A, and B paid a third time; a
        // second: C retained elsewhere, whose award was C's own, took A's placement away)
        let own = retentions(&|p| {
            !self
                .awards_under_others(p)
                .any(|o| !retained_elsewhere(o, &p.placement_id))
        });
        // the retained interns whose one award an earlier run paid under another intern ID of their
        // placement — unless this run finds that ID retained from a placement of its own: its award
        // was then its own (a regression review found the owed award refused). Three rounds of
        // exemptions by the roster's word — no placement at the host, a contract with a host of
        // theirs, outcome `retained` — each paid twice or refused an owed award in review: the run's
        // own test decides. By intern, with the earlier ID and the placement: the award is once per
        // intern, so none of the intern's other host-years is paid either (a regression review found
        // a second host paid)
        let mut already: FxHashMap<u32, (String, &str)> = FxHashMap::default();
        for j in judged.iter().filter(|j| j.rate_reached()) {
            for (p, _, _) in &j.retained {
                if already.contains_key(&p.person) || self.awarded(p) {
                    continue;
                }
                let Some(o) = self.awards_under_others(p).next().cloned() else {
                    continue;
                };
                if !elsewhere(&own, &o, &p.placement_id) {
                    already.insert(p.person, (o, &p.placement_id));
                }
            }
        }
        already
    }

    /// The rows about placements that left before their planned end (not of an intern another
    /// placement at the host counts for the year; an award paid on one is reviewed — unless the
    /// intern's one award is owed at this host on another year's rate, by a placement there that
    /// ran its term: a regression review found it reviewed for recovery)
    fn say_left_rows(
        &self,
        left_rows: Vec<LeftRow<'a>>,
        counted_at: &FxHashSet<(i32, u32, u32)>,
        first_group: &FxHashMap<u32, (i32, u32)>,
        out: &mut Outcome,
    ) -> Result<(), ParamError> {
        let ctx = self.ctx;
        let reg = &ctx.inputs.registers;
        for LeftRow {
            key,
            p,
            said,
            award,
            ends,
        } in left_rows
        {
            if counted_at.contains(&key) {
                continue;
            }
            // (an award that stands at this host on another year's rate is not this row's: the
            // row says only that the placement is out of its year's rate)
            let paid = award.is_some();
            let award = award.filter(|_| {
                !first_group
                    .get(&p.person)
                    .is_some_and(|&(y, h)| h == key.1 && y != key.0)
            });
            // (a `left_early` row is said here only for the review of an award paid on it)
            if ends && paid && award.is_none() && p.outcome == PlacementOutcome::LeftEarly {
                continue;
            }
            let said = if ends {
                left_said(said, key.0, award.as_deref())
            } else {
                said
            };
            let x = Exception::new(
                if award.is_some() {
                    Code::RetentionAwardReview
                } else {
                    Code::RetentionLeftEarly
                },
                said,
            )
            .at("internships.csv", p.line)
            .programme(RETENTION)
            .person(reg.person(p.person).id)
            .employer(reg.employer(p.host).id);
            out.exceptions.push(match award {
                Some(_) => {
                    let on = Date::from_ymd_opt(key.0, 12, 31).unwrap_or(ctx.payout.last_day());
                    let amount = ctx.params.at_or_first("internship_retention.amount", on)?;
                    x.amount(Money::round(amount.value))
                }
                None => x,
            });
        }
        Ok(())
    }

    /// The year `j`'s awards at its host: below the minimum rate, each retained intern said
    /// (an award an earlier run paid on it to review); else the award per retained intern,
    /// once — not to a host the intern's one award went to already (an earlier run, under
    /// another intern ID: `already`; or this run, to the group that retained the intern first:
    /// `first_group`, `awarded_now`). `earlier_si`: the SI months earlier runs' extracts showed,
    /// cited by the line.
    #[allow(clippy::type_complexity)]
    fn pay_year(
        &self,
        j: Judged<'a>,
        (first_group, already, earlier_si): (
            &FxHashMap<u32, (i32, u32)>,
            &FxHashMap<u32, (String, &'a str)>,
            &FxHashMap<u32, Vec<String>>,
        ),
        awarded_now: &mut FxHashSet<u32>,
        out: &mut Outcome,
    ) {
        let ctx = self.ctx;
        let reg = &ctx.inputs.registers;
        let reached = j.rate_reached();
        let Judged {
            year,
            host,
            finished,
            retained,
            rate,
            years,
            min_si,
            params: [yr, sr, rate_min, amount],
        } = j;
        let h = reg.employer(host);
        // a row about retained intern `p` at this host
        let about = |p: &InternshipRow, code: Code, message: String| {
            Exception::new(code, message)
                .at("internships.csv", p.line)
                .programme(RETENTION)
                .person(reg.person(p.person).id)
                .employer(h.id)
        };
        if !reached {
            for (p, _, _) in &retained {
                let said = format!(
                    "{year}: {} of {} interns who finished at this host were retained ({:.0} %), below {} %",
                    retained.len(),
                    finished.len(),
                    rate * Decimal::ONE_HUNDRED,
                    rate_min.value * Decimal::ONE_HUNDRED
                );
                // an award an earlier run paid on a rate a later roster no longer gives (a late
                // finisher added to the year): to review for recovery, with its amount — until
                // 2026-12-02 the row said only the rate, as if nothing had been paid (a cold
                // review)
                // (the line paid to this host: a retry's, where the first failed — a
                // regression review found the failed line's id quoted)
                // (the award paid to this host whatever the year it was paid on — a correction
                // may have moved the placement's year —, unless the intern's one award stands
                // at this host on another year's rate: a regression review found an owed award
                // put up for recovery)
                let stands_elsewhere = first_group
                    .get(&p.person)
                    .is_some_and(|&(y, h2)| h2 == host && y != year);
                if let Some(key) = self
                    .award_line_of(p, host, true)
                    .filter(|_| !stands_elsewhere)
                {
                    out.exceptions.push(
                        about(
                            p,
                            Code::RetentionAwardReview,
                            format!(
                                "{said}: the retention award an earlier run paid this host for this intern ({key}) rests on a rate the roster no longer gives — review; recover it if the roster stands"
                            ),
                        )
                        .amount(Money::round(amount.value)),
                    );
                    continue;
                }
                out.exceptions
                    .push(about(p, Code::RetentionRateBelowMinimum, said));
            }
            return;
        }
        let n = retained.len();
        for (p, contract_line, _) in retained {
            let payee = Payee::Employer(host);
            let id = |seq: u32| award_id(ctx, p.person, seq);
            let key = id(0);
            // (a later host retaining an intern whose award went to the first: said)
            let second = |what: String| {
                about(
                    p,
                    Code::RetentionAlreadyAwarded,
                    format!(
                        "placement {}: this intern's one award (“3000元/人, 一次性”: once per intern) {what}: not paid to this host",
                        p.placement_id
                    ),
                )
                .amount(Money::round(amount.value))
            };
            if self.awarded(p) && !matches!(ctx.history.seen(&key), Seen::Failed(_)) {
                // awarded by an earlier run (an earlier build's key included): to another host,
                // named (the payee of the award's line) — unless a placement of another intern
                // in this roster paid its intern-months under this intern's ID (a corrected
                // person_id: the award under this ID may be that placement's, `already`)
                if !self.award_here(p, host) && !self.under_my_id(p) {
                    // (to this host on another year's rate: said so, not as another host's — a
                    // regression review found the row name this host as the other)
                    let here = h.id.to_string();
                    let paid_here = self
                        .payees(p)
                        .and_then(|v| v.iter().find(|(c, _, _)| *c == here))
                        .map(|(_, line, _)| line);
                    out.exceptions.push(match paid_here {
                        Some(line) => about(
                            p,
                            Code::RetentionAlreadyAwarded,
                            format!(
                                "placement {}: this intern's one award (“3000元/人, 一次性”: once per intern) was paid by an earlier run to this host, on another year's rate (line {line}): not paid again",
                                p.placement_id
                            ),
                        )
                        .amount(Money::round(amount.value)),
                        None => {
                            let to = self.payees(p).map_or("another host".to_string(), |v| {
                                let hosts: Vec<&str> =
                                    v.iter().map(|(c, _, _)| c.as_str()).collect();
                                format!("host {}", hosts.join(", "))
                            });
                            second(format!("was paid by an earlier run to {to}"))
                        }
                    });
                }
                continue;
            }
            // the intern's one award paid by an earlier run under another intern ID (`already`):
            // not paid again, here or at another host, but said with its amount
            if let Some((o, pl)) = already.get(&p.person) {
                let what = if *pl == p.placement_id.as_str() {
                    format!(
                        "placement {pl}: an earlier run paid this placement's intern-months under intern {o} and that intern's retention award ({})",
                        award_id_of(ctx, "", o, 0)
                    )
                } else {
                    format!(
                        "placement {}: this intern's one award (“3000元/人, 一次性”) was paid by an earlier run under intern {o} for placement {pl} ({})",
                        p.placement_id,
                        award_id_of(ctx, "", o, 0)
                    )
                };
                out.exceptions.push(
                    about(
                        p,
                        Code::RetentionAlreadyAwarded,
                        format!(
                            "{what}, and this run finds {o} retained from no placement of their own whose award is not paid: not paid again (the roster's person_id corrected since?); review if {o}'s award was for a retention this extract no longer shows"
                        ),
                    )
                    .amount(Money::round(amount.value)),
                );
                continue;
            }
            let Some((seq, retry)) = due(ctx, &key, true) else {
                continue; // awarded by an earlier run
            };
            // once per intern in this run too: a second host (or year) retaining the same
            // person in this run — the first group (`first_group`) is paid
            let first = first_group.get(&p.person).copied();
            if first.is_some_and(|g| g != (year, host)) || !awarded_now.insert(p.person) {
                // (another host only: the same host's later year is its own award's)
                if let Some((y0, h0)) = first.filter(|g| g.1 != host) {
                    out.exceptions.push(second(format!(
                        "goes in this run to host {} for {y0}, which retained the intern first",
                        reg.employer(h0).id
                    )));
                }
                continue;
            }
            if let Some(reason) = retry {
                out.exceptions.push(
                    about(
                        p,
                        Code::PaymentRetry,
                        format!("the earlier award was returned as failed by the bank ({reason}): paid again"),
                    )
                    .amount(Money::round(amount.value))
                    .for_line(&id(seq)),
                );
            }
            out.payments.push(Payment {
                reference: String::new(),
                payment_id: id(seq),
                month_key: key,
                si_basis: [0; 5],
                row_fp: 0,
                // (the year whose rate the award is paid on: a later run tells one year's
                // award from another's by it — `History::retention_payees`)
                limit_group: format!("{RETENTION}/{year}"),
                programme: RETENTION,
                clause: ctx.clause(RETENTION),
                service_month: None,
                payee,
                beneficiary: Party::Person(p.person),
                amount: Money::round(amount.value),
                basis: format!(
                    "{year}: {n} of {} finished interns retained = {:.2} ≥ {}; {} yuan per retained intern, once",
                    finished.len(),
                    rate.round_dp(2),
                    rate_min.value,
                    amount.value
                ),
                eligibility: format!(
                    "placement {} ended {}; labour contract ≥ {years} year with the host and SI at the host ≥ {min_si} months",
                    p.placement_id,
                    placement_end(p)
                ),
                params: vec![yr.clone(), sr.clone(), rate_min.clone(), amount.clone()].into(),
                // (and the contract that confirms the retention: a cold audit; and the year's
                // other finished placements, the rate's denominator — a second found the rate
                // not recomputable from the line)
                // (the SI months earlier runs' extracts showed first, each “… of the 2018-09
                // run's extract” set apart by ` + ` from what follows — the rows it speaks of
                // end there, ARCHITECTURE.md —, then this run's rows)
                sources: earlier_si
                    .get(&p.line)
                    .map(|c| [c.join(" + "), "+".to_string()])
                    .into_iter()
                    .flatten()
                    .chain(std::iter::once(format!("internships.csv:{}", p.line)))
                    .chain(contract_line.map(|l| format!("employment.csv:{l}")))
                    .chain(
                        finished
                            .iter()
                            .filter(|&&l| l != p.line)
                            .map(|l| format!("internships.csv:{l}")),
                    )
                    .collect(),
            });
        }
    }
}

/// Each retained intern's first (year, host) group whose rate is reached: of the year, the
/// host that retained the intern first (the earliest start of the contract that confirms it;
/// then the order the groups are judged) — the one award (“3000元/人, 一次性”) is that host's,
/// and a later host retaining the same intern is told so (a cold review found it dropped
/// without a word; a review found the award paid to the host of the smaller credit code, the
/// row saying it “retained the intern first”). By intern: the group's year and host.
fn first_groups(ctx: &Ctx, judged: &[Judged]) -> FxHashMap<u32, (i32, u32)> {
    let reg = &ctx.inputs.registers;
    // (by intern: the group's rank — year, contract start, judged order — and its host)
    let mut first: FxHashMap<u32, ((i32, Date, usize), u32)> = FxHashMap::default();
    for (k, j) in judged.iter().enumerate().filter(|(_, j)| j.rate_reached()) {
        for (p, line, _) in &j.retained {
            let since = line
                .and_then(|l| reg.employment_of(p.person).find(|e| e.line == l))
                .map_or(Date::MAX, |e| e.contract_start);
            let rank = (j.year, since, k);
            if first.get(&p.person).is_none_or(|(r, _)| rank < *r) {
                first.insert(p.person, (rank, j.host));
            }
        }
    }
    first
        .into_iter()
        .map(|(person, ((year, _, _), host))| (person, (year, host)))
        .collect()
}

/// The end of a RETENTION_LEFT_EARLY row about a placement that left before its planned end
/// (`said`), or, where an earlier run paid the intern's award on it (`award`), a
/// RETENTION_AWARD_REVIEW row's: the roster no longer gives the term that award rests on.
pub(super) fn left_said(said: String, year: i32, award: Option<&str>) -> String {
    match award {
        None => format!("{said}, so not in the host's retention rate of {year}, nor awarded for it"),
        Some(line) => format!(
            "{said}: the retention award an earlier run paid this host for this intern ({line}) rests on a term the roster no longer gives — review; recover it if the roster stands"
        ),
    }
}
