//! Employer SI with no labour contract behind it (`si_without_contract`): said, and kept for
//! the ledger where paid late.

use super::*;

/// Employer SI of a person a hire programme of the pipeline looks for — `si_hardship_hire`: a
/// declared hardship fact or registered unemployed by the month; `si_sme_graduate_hire`: a
/// university graduate within `graduate.window_years` at a small or micro employer — paid by an
/// employer with which `employment.csv` has no labour contract of that person: no hire programme
/// can see it (they walk contracts), and the usual cause — a hire not registered (就业登记), or
/// a contract row rejected (named then) — is the analyst's to chase. One `SI_WITHOUT_CONTRACT`
/// row per person and employer, at its first contribution row, in the employer's district.
/// Also the rows themselves (service months up to the payout month), for the ledger: when the
/// contract is registered later and the later extract holds only newer rows, the months they
/// show are paid from them (`si_late_seen`; a cold review found such months lost).
pub fn si_without_contract(ctx: &Ctx) -> (Vec<Exception>, Vec<crate::ledger::LateSeen>) {
    use rayon::prelude::*;
    let reg = &ctx.inputs.registers;
    let hardship = ctx
        .pipeline
        .enabled(crate::programmes::si_hardship_hire::CODE)
        .is_some();
    let graduates = ctx
        .pipeline
        .enabled(crate::programmes::si_sme_graduate_hire::CODE)
        .is_some();
    // Jiangyin （十一）: the rows of an enterprise's own staff (a contract with it begun before
    // the month) for a month the enterprise is on the 台账 and no contract of the pair begun
    // while it was on it covers — the month a redeployment contract registered late will
    // cover — are kept too (not reported), so that the run after its registration pays the
    // months an earlier extract held (a cold review found such a month lost with windowed
    // extracts; a second found the first fix missing the usual case, the old contract still
    // open in the earlier register, and keeping rows no redeployment could pay)
    let redeployment = ctx
        .pipeline
        .enabled(crate::programmes::si_redeployment::CODE)
        .is_some();
    // Jiangyin （十三）: a public-welfare post's holder need be no target, so with the post
    // subsidy on, the rows of a pair with no contract at all — and of the year after the
    // pair's last contract ended (a post's renewal, or a post after a regular contract,
    // registered late) — are kept (not reported), so that a post registered late pays the
    // months an earlier extract held (a review found January lost with monthly extracts).
    // Only at employers that can hold a post: a public body or a
    // social organisation, or an employer with a public-welfare contract in the register (a
    // regression review found every enterprise's unregistered staff kept: 10k rows a run).
    // Kept a year, a row once (`kept_unchanged`)
    let posts = ctx
        .pipeline
        .enabled(crate::programmes::public_welfare_post::CODE)
        .is_some();
    // (per employer: 2 = a public body or social organisation, 1 = an enterprise with a post in
    // the register, 0 = neither)
    let post_employer: Vec<u8> = if posts {
        use crate::ingest::records::EmployerKind;
        let mut v: Vec<u8> = reg
            .employers
            .iter()
            .map(|e| {
                2 * u8::from(matches!(
                    e.kind,
                    EmployerKind::PublicBody | EmployerKind::SocialOrg
                ))
            })
            .collect();
        for e in &reg.employment {
            if e.post == crate::ingest::records::Post::PublicWelfare {
                if let Some(x) = v.get_mut(e.employer as usize) {
                    *x = (*x).max(1);
                }
            }
        }
        v
    } else {
        Vec::new()
    };
    let post_employer = &post_employer;
    let post_kind = move |employer: u32| post_employer.get(employer as usize).copied().unwrap_or(0);
    if !hardship && !graduates && !redeployment && !posts {
        return (Vec::new(), Vec::new());
    }
    let taizhang: Vec<Option<String>> = reg
        .employers
        .iter()
        .map(|e| {
            let key = crate::programmes::si_redeployment::ledger_entry(&e.id.to_string());
            (redeployment && ctx.params.get(&key).is_some()).then_some(key)
        })
        .collect();
    let taizhang = &taizhang;
    let staff_month = move |c: &crate::ingest::records::ContributionRow, employer: u32| {
        let Some(key) = taizhang.get(employer as usize).and_then(Option::as_ref) else {
            return false;
        };
        let on = |d: Date| crate::programmes::si_redeployment::on_taizhang(ctx, key, d).is_some();
        let (first, last) = (c.period.first_day(), c.period.last_day());
        // (on the 台账 at a day of the month — or of the redeployment's months before it: a
        // contract made while the enterprise was on it is paid after it left, up to the
        // programme's months, and a windowed extract registering it late must find those
        // months' rows; a metamorphic review found them lost, or a month paid on part of its
        // rows under 足额)
        let on_since = || {
            let back = ctx
                .params
                .int_at_or_first("si_redeployment.max_months", first)
                .map_or(0, |(n, _)| n.clamp(0, 120));
            let since = Month::from_index(c.period.index() - back).first_day();
            on(since)
                || ctx.params.get(key).is_some_and(|p| {
                    p.values
                        .iter()
                        .any(|v| v.from > since && v.from <= last && !v.value.is_zero())
                })
        };
        if !on(first) && !on(last) && !on_since() {
            return false;
        }
        let (mut own_staff, mut redeployed) = (false, false);
        for e in reg
            .employment_of(c.person)
            .filter(|e| e.employer == employer)
        {
            own_staff |= e.contract_start < first;
            // (a redeployment that ends before the month's last day does not settle it: a
            // renewal registered late may pay the month — the same month of a contract too
            // short alone is refused — a regression review found it lost)
            redeployed |= on(e.contract_start)
                && e.contract_start <= last
                && e.last_day().is_none_or(|d| d >= last);
        }
        own_staff && !redeployed
    };
    // (5M rows a month on the benchmark city: who may be a target is decided once per person,
    // the rows are scanned in parallel against that flag, and only the few left are grouped)
    let flagged: Vec<bool> = reg
        .persons
        .par_iter()
        .map(|p| {
            (hardship
                && (p.categories != 0
                    || p.registered_unemployed_on.is_some()
                    || p.hardship_family_graduate))
                || (graduates
                    && p.graduation_date.is_some()
                    && counts_as_graduate(ctx, p.education))
        })
        .collect();
    // the (person, employer) pairs employment.csv has a contract for
    // (and, for the founders' own programme, each founder with the enterprise they founded:
    // their registration is the enterprise's from its founding, `si_startup_founder`)
    let contracted: rustc_hash::FxHashSet<(u32, u32)> = reg
        .employment
        .iter()
        .chain(ctx.founder_registrations())
        .map(|e| (e.person, e.employer))
        .collect();
    let (flagged, contracted) = (&flagged, &contracted);
    // (person, employer, service month, index of the row in contributions, whether the pair has
    // no contract at all — else no contract of it covers the month)
    let rows: Vec<(u32, u32, Month, usize, bool)> = ctx
        .inputs
        .contributions
        .par_chunks(1 << 16)
        .enumerate()
        .flat_map_iter(|(k, chunk)| {
            // (a person's rows with one employer come together: the pair is looked up once)
            // (the pair, whether it has a contract, the last day of its last contract when
            // every one of them has ended, and the first day of its first)
            type Pair = ((u32, u32), bool, Option<Date>, Option<Date>);
            let mut last: Option<Pair> = None;
            chunk.iter().enumerate().filter_map(move |(j, c)| {
                let employer = c.employer?;
                // (a row of 0.00 is kept too: a correction to nothing must supersede a kept
                // payment — but it is no SI paid to report)
                let staff = staff_month(c, employer);
                let post_kind = post_kind(employer);
                let post = post_kind > 0;
                if !staff && !post && !flagged.get(c.person as usize).copied().unwrap_or(false) {
                    return None;
                }
                let pair = (c.person, employer);
                let (has_contract, last_end, first_start) = match last {
                    Some((p, has, end, start)) if p == pair => (has, end, start),
                    _ => {
                        let has = contracted.contains(&pair);
                        let of_pair = || {
                            reg.employment_of(c.person)
                                .filter(|e| e.employer == employer)
                        };
                        let (end, start) = if has {
                            (
                                of_pair()
                                    .map(|e| e.last_day())
                                    .try_fold(chrono::NaiveDate::MIN, |a, d| d.map(|d| a.max(d))),
                                of_pair().map(|e| e.contract_start).min(),
                            )
                        } else {
                            (None, None)
                        };
                        last = Some((pair, has, end, start));
                        (has, end, start)
                    }
                };
                // a month in the year after every contract of the pair has ended is kept too
                // (not reported: the hire driver says MONTH_OUTSIDE_CONTRACT): a renewal
                // registered late pays it (a sequential-against-catch-up review found such a
                // month lost). Not the months between the pair's contracts, more than a year
                // before the first one's start (below), or a year past the last one's end —
                // the memory is read a year back; the bench
                // city's long-expired contracts, SI still paid, grew the ledger 24-fold
                // (and the month the last contract ended in, when it ended before the month's
                // last day: a renewal registered late, from the next day, may pay it where the
                // ended contract did not — a multi-run review found a month of a contract one
                // day short of a year lost, its renewal registered late, with windowed extracts)
                let within_a_year_after = has_contract
                    && last_end.is_some_and(|end| {
                        end < c.period.last_day()
                            && c.period.first_day() <= crate::domain::add_months(end, 12)
                    });
                // and a target's month in the year before the pair's first contract began
                // (said MONTH_OUTSIDE_CONTRACT): a start corrected earlier pays it (a
                // regression review found such a month lost with windowed extracts)
                // (a day of the month within the year: a start corrected a year and a few
                // days earlier takes it — a regression review found it cut on the first day)
                let within_a_year_before = first_start.is_some_and(|start| {
                    c.period.last_day() < start
                        && start <= crate::domain::add_months(c.period.last_day(), 12)
                });
                if has_contract && !within_a_year_after && !within_a_year_before && !staff {
                    return None;
                }
                let (p, m) = (reg.person(c.person), c.period.first_day());
                let hardship_target = hardship
                    && (p.categories != 0
                        || p.hardship_family_graduate
                        || p.registered_unemployed_on
                            .is_some_and(|d| d <= c.period.last_day()));
                let graduate_target = graduates
                    && counts_as_graduate(ctx, p.education)
                    && reg.employer(employer).size.is_small_micro()
                    && p.graduation_date.is_some_and(|g| {
                        let at = |name| ctx.params.int_at_or_first(name, m).map_or(0, |(y, _)| y);
                        // (a month a hire made within the window may earn: up to the programme's
                        // months after the window's last day — a cold review found the months
                        // more than a year after graduation neither reported nor kept, and lost
                        // once the contract was registered late)
                        let window =
                            crate::domain::years_end(g, at("graduate.window_years").max(0));
                        let months = at("si_sme_graduate_hire.max_months").clamp(0, 120);
                        // (from the month of graduation: a hire on a later day of it earns the
                        // month — a metamorphic review found a graduate hired the month she
                        // graduated lose it with windowed extracts, its rows neither said nor
                        // kept)
                        g <= c.period.last_day()
                            && m <= crate::domain::add_months(window, months as u32)
                    });
                // (reported when the pair has no contract at all and the person is a target;
                // a 台账 enterprise's staff only kept)
                let target = hardship_target || graduate_target;
                // (a post employer's row: of a pair with no contract, or of the year after the
                // pair's last contract ended — a post's renewal, or a post after a regular
                // contract with the same body, registered late: a regression review found the
                // latter's first month lost)
                // (after a regular contract, only at a public body or social organisation, or
                // where the pair itself held a post: an enterprise holding one post for someone
                // else keeps no row of its other staff — a regression review counted 180k a run
                // on a 1M city)
                let pair_held_post = || {
                    reg.employment_of(c.person).any(|e| {
                        e.employer == employer
                            && e.post == crate::ingest::records::Post::PublicWelfare
                    })
                };
                // (and of the year before the pair's first contract: a post's start corrected
                // earlier — a regression review found those months lost with windowed extracts)
                let post_kept = post
                    && (!has_contract
                        || ((within_a_year_after || within_a_year_before)
                            && (post_kind == 2 || pair_held_post())));
                (target || staff || post_kept).then_some((
                    c.person,
                    employer,
                    c.period,
                    (k << 16) + j,
                    !has_contract && target,
                ))
            })
        })
        .collect();
    // contract rows rejected at ingest, by person and employer: the rows to correct (every
    // one, in line order: two rows of one contract that differ are both rejected — a review
    // found one of them named, the hash map's last)
    let mut rejected: FxHashMap<
        (crate::domain::ResidentId, crate::domain::CreditCode),
        Vec<(u32, Code)>,
    > = FxHashMap::default();
    for x in &ctx.inputs.rejects {
        if let (Some((f, line)), Some(p), Some(e)) = (&x.source, x.person, x.employer) {
            if f == "employment.csv" {
                rejected.entry((p, e)).or_default().push((*line, x.code));
            }
        }
    }
    for v in rejected.values_mut() {
        v.sort_unstable();
    }
    // the rows kept for a contract registered later: of the district, up to the payout month —
    // or of a later month paid already (in advance), for the run of its month, whose extract
    // may hold only newer rows (a multi-run review found such a month lost when its contract,
    // from that month, was registered after the payment)
    let kept: Vec<crate::ledger::LateSeen> = rows
        .iter()
        .filter(|(_, employer, period, i, _)| {
            (*period <= ctx.payout || ctx.inputs.contributions[*i].paid_on.is_some())
                && ctx.in_region(*employer)
        })
        .map(|&(person, employer, period, i, _)| {
            let c = &ctx.inputs.contributions[i];
            crate::ledger::LateSeen {
                person_id: reg.person(person).id.to_string(),
                employer_id: reg.employer(employer).id.to_string(),
                period,
                insurance: c.insurance,
                cents: c.employer_cents,
                paid_on: c.paid_on,
                line: c.line,
            }
        })
        // a row an earlier run of the memory's year kept as it stands is not kept again: a
        // cumulative extract brings it every month, and its copies grew the ledger every run
        // (a review counted +430 rows a run on a 3,000-person city)
        .filter(|k| !kept_unchanged(ctx, k))
        .collect();
    let mut seen: FxHashMap<(u32, u32), (u32, Month, Month, u32)> = FxHashMap::default();
    for (person, employer, period, i, uncontracted) in rows {
        if !uncontracted {
            continue;
        }
        let c = &ctx.inputs.contributions[i];
        if c.employer_cents <= 0 {
            continue;
        }
        let line = c.line;
        seen.entry((person, employer))
            .and_modify(|(l, first, last, n)| {
                if period < *first {
                    *first = period;
                    *l = line;
                }
                *last = (*last).max(period);
                *n += 1;
            })
            .or_insert((line, period, period, 1));
    }
    let mut out: Vec<Exception> = seen
        .into_iter()
        .filter(|((_, employer), _)| ctx.in_region(*employer))
        .map(|((person, employer), (line, first, last, n))| {
            let (p, e) = (reg.person(person), reg.employer(employer));
            let why = match rejected.get(&(p.id, e.id)).map(Vec::as_slice) {
                Some([(l, code)]) => format!(
                    "its contract row employment.csv:{l} was rejected ({}): correct that row",
                    code.as_str()
                ),
                Some(rows) => format!(
                    "its contract rows {} were rejected: correct them, or keep the right one of rows that differ",
                    rows.iter()
                        .map(|(l, code)| format!("employment.csv:{l} ({})", code.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                // (a founder an earlier run subsidised here whom employers.csv no longer names:
                // a regression review found the months paid unmentioned)
                None => {
                    let mut m = first;
                    let mut founder_paid = None;
                    while m <= last && founder_paid.is_none() {
                        let key = ctx.payment_id(
                            crate::programmes::si_startup_founder::CODE,
                            &Payee::Employer(employer),
                            person,
                            m,
                            0,
                        );
                        if !matches!(ctx.history.seen(&key), Seen::New) {
                            founder_paid = Some(m);
                        }
                        m = m.next();
                    }
                    match founder_paid {
                        Some(m) => format!(
                            "an earlier run subsidised {m} as the founder's own SI ({}), but employers.csv no longer names the person the enterprise's founder (founder_id): if that is a correction, review the months paid (NO_LONGER_ELIGIBLE's action); if not, restore founder_id",
                            crate::programmes::si_startup_founder::CODE
                        ),
                        None => "a hire not registered (就业登记)?".to_string(),
                    }
                }
            };
            Exception::new(
                Code::SiWithoutContract,
                format!(
                    "employer SI rows of {} for {first}..{last} ({n} row(s), paid or not) but employment.csv has no labour contract of this person with it: no hire subsidy without the contract ({why})",
                    e.id
                ),
            )
            .at("contributions.csv", line)
            .person(p.id)
            .employer(e.id)
        })
        .collect();
    out.sort_by_key(|x| x.source.as_ref().map(|s| s.1));
    (out, kept)
}
