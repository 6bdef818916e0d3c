//! The year's counts against the district targets (`targets.<year>.*`, 吴江区 action plan), for
//! summary.json's `targets`.
//!
//! The targets are flows — posts developed, persons employed in the year (the plan's three-year
//! totals are three times the yearly figures: 2700 = 3 × 900, 1.5万 = 3 × 5000, 300 = 3 × 100) —
//! so a post, a hire or a placement counts once, in one year — the year of the hire, of the
//! placement's start, of the loan's start or founding, as each count says —, not again in the
//! later years it is still paid: persons first subsidised on a public-welfare
//! post (`Counter::posts`), internship placements of university graduates (“开发高校毕业生见习岗位”:
//! a youth or a technician-school intern is no graduate post) first subsidised
//! (`Counter::internship_posts`), hardship persons first subsidised as employed
//! (`Counter::hardship`), registered unemployed persons re-employed (`Counter::reemployed`) and
//! start-ups supported (`Counter::startups`) — over this run's lines and every other run's in the
//! ledger. Targets the programmes cannot measure are reported with `actual: null`
//! (`Counts::of_year`).

use crate::domain::{Date, Month};
use crate::ledger::{FirstApplication, Held, History};
use crate::outputs::payments::Line;
use crate::pipeline::Pipeline;
use crate::programmes::Region;
use crate::registers::Registers;

/// What the district targets count from besides the history: this run's lines and withheld
/// lines, the placements (their start), and the first applications this run makes (the
/// start-ups it first supports: `loan_interest::STARTUP_GROUP`).
pub struct Cases<'a> {
    pub lines: &'a [Line],
    pub held: &'a [Held],
    pub held_again: &'a [Held],
    pub internships: &'a [crate::ingest::records::InternshipRow],
    pub applied_now: &'a [FirstApplication],
    /// this run's re-employments (`Computed::reemployments`)
    pub reemployed: &'a [FirstApplication],
}

/// The first-application group under which the ledger keeps the district's re-employments,
/// followed by `/`, the registration's date, `/` and the employer's code
/// (`targets/reemployed/2018-03-01/91320509…`).
pub const REEMPLOYED_GROUP: &str = "targets/reemployed";

/// The limit group of a hardship person's subsidised hires, and of those on a public-welfare
/// post (a group under it).
const HARDSHIP_HIRE: &str = "si_hardship_hire";
const WELFARE_POST: &str = "si_hardship_hire/public_welfare";

/// 城镇失业人员再就业, for a pipeline with a `reemployed` target: each registered unemployed
/// person's first labour contract from the registration on (a renewal or a later job is no new
/// re-employment of that registration), with an employer of the district, begun by the end of
/// the payout month (a review found November's hires counted by the August run) — from the
/// registers, every such hire, subsidised or not — as a first application of
/// `REEMPLOYED_GROUP`/the registration's date/the employer's code, judged on the contract's
/// first day (its year is the count's).
pub(super) fn reemployments(
    pipeline: &Pipeline,
    payout: Month,
    reg: &Registers,
) -> Vec<FirstApplication> {
    let targeted = pipeline
        .params
        .iter()
        .any(|(n, _)| n.starts_with("targets.") && n.ends_with(".reemployed"));
    if !targeted {
        return Vec::new();
    }
    let region = Region::of_pipeline(&pipeline.params, payout);
    let in_district =
        |employer: u32| region.is_none_or(|r| r.contains(reg.employer(employer).region));
    reg.persons
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let since = p.registered_unemployed_on?;
            let first = reg
                .employment_of(i as u32)
                .filter(|e| e.contract_start >= since)
                .min_by_key(|e| (e.contract_start, e.line))?;
            (in_district(first.employer) && first.contract_start <= payout.last_day()).then(|| {
                FirstApplication {
                    limit_group: format!(
                        "{REEMPLOYED_GROUP}/{since}/{}",
                        reg.employer(first.employer).id
                    ),
                    beneficiary_id: p.id.to_string(),
                    first: Month::of(first.contract_start),
                    judged_on: first.contract_start,
                }
            })
        })
        .collect()
}

/// The year's counts against the district targets, with the earlier target years' up to the
/// payout year (`earlier_years`); `None` for a pipeline without targets.
pub fn targets(
    pipeline: &Pipeline,
    payout: Month,
    cases: &Cases,
    history: &History,
    reg: &Registers,
) -> Option<serde_json::Value> {
    let year = payout.year();
    // the years with targets up to the payout year: a case first subsidised for a December is
    // often paid in the January run (December's SI paid in January), so the runs of a year
    // show the earlier years' counts too (`earlier_years`)
    let mut years: Vec<i32> = pipeline
        .params
        .iter()
        .filter_map(|(n, _)| n.strip_prefix("targets.")?.split('.').next()?.parse().ok())
        .filter(|y| *y <= year)
        .collect();
    years.sort_unstable();
    years.dedup();
    let first_target_year = *years.first()?;
    let c = Counter::new(pipeline, payout, cases, history, reg);
    let counts = Counts {
        posts: c.posts(),
        interns: c.internship_posts(),
        hardship: c.hardship(),
        reemployed: c.reemployed(),
        startups: c.startups(),
        first_target_year,
    };
    let earlier: Vec<serde_json::Value> = years
        .iter()
        .filter(|y| **y < year)
        .map(|&y| serde_json::json!({ "year": y, "counts": counts.of_year(pipeline, payout, y) }))
        .collect();
    let mut t =
        serde_json::json!({ "year": year, "counts": counts.of_year(pipeline, payout, year) });
    if !earlier.is_empty() {
        t["earlier_years"] = serde_json::Value::Array(earlier);
    }
    Some(t)
}

/// Persons or posts counted: the year each counts in, and its beneficiary.
type Counted<'a> = Vec<(i32, &'a str)>;

/// What the counts read: the run's cases, the ledger's history and the registers.
struct Counter<'a> {
    cases: &'a Cases<'a>,
    history: &'a History,
    reg: &'a Registers,
    /// the lines this run withheld, and those withheld again as an earlier run recorded them
    /// (a case too: until 2026-12-04 a run that withheld the same lines again counted the case
    /// in no year — a cold review)
    held: Vec<&'a Held>,
    /// the pipeline's district (`programmes::Ctx::in_region`, as of this run)
    region: Option<Region>,
    /// the first subsidised month of this run's lines (paid or withheld) per hire group and
    /// person (`Counter::first_month`)
    first_now: rustc_hash::FxHashMap<(&'static str, &'a str), Month>,
}

impl<'a> Counter<'a> {
    fn new(
        pipeline: &Pipeline,
        payout: Month,
        cases: &'a Cases<'a>,
        history: &'a History,
        reg: &'a Registers,
    ) -> Self {
        let held: Vec<&'a Held> = cases.held.iter().chain(cases.held_again).collect();
        let mut first_now: rustc_hash::FxHashMap<(&'static str, &'a str), Month> =
            Default::default();
        for l in cases.lines.iter().chain(held.iter().map(|h| &h.line)) {
            let Some(m) = l.service_month else { continue };
            for prefix in [WELFARE_POST, HARDSHIP_HIRE] {
                if l.limit_group.starts_with(prefix) {
                    let e = first_now
                        .entry((prefix, l.beneficiary_id.as_str()))
                        .or_insert(m);
                    *e = (*e).min(m);
                }
            }
        }
        Counter {
            cases,
            history,
            reg,
            held,
            region: Region::of_pipeline(&pipeline.params, payout),
            first_now,
        }
    }

    /// The first year of each key — a limit group (`by_group`) or a person — under
    /// `group_prefix`, with its beneficiary, over this run's lines and the ledger's (a line
    /// withheld for the payee's account is a case all the same: the person was employed).
    fn firsts(&self, group_prefix: &'static str, by_group: bool) -> Vec<(&'a str, i32, &'a str)> {
        let held = self.held.iter().map(|h| -> &'a Line { &h.line });
        let now = self
            .cases
            .lines
            .iter()
            .chain(held)
            .filter(|l| l.limit_group.starts_with(group_prefix))
            .filter_map(|l| {
                let m = l.service_month?;
                Some((l.limit_group.as_str(), l.beneficiary_id.as_str(), m.year()))
            });
        let mut first: std::collections::BTreeMap<&str, (i32, &str)> = Default::default();
        for (g, b, y) in now.chain(self.history.paid_years(group_prefix)) {
            let key = if by_group { g } else { b };
            let e = first.entry(key).or_insert((y, b));
            e.0 = e.0.min(y);
        }
        first.into_iter().map(|(k, (y, b))| (k, y, b)).collect()
    }

    /// Whether person `b` is a university graduate.
    fn graduate(&self, b: &str) -> bool {
        use crate::ingest::records::{Education, Lookup};
        let reg = self.reg;
        crate::domain::ResidentId::parse(b)
            .ok()
            .and_then(|id| Lookup::person(reg, &id))
            .map(|i| &reg.persons[i as usize])
            .is_some_and(|p| p.education == Education::University && p.graduation_date.is_some())
    }

    /// Whether `employer` is of the pipeline's district.
    fn in_district(&self, employer: u32) -> bool {
        self.region
            .is_none_or(|r| r.contains(self.reg.employer(employer).region))
    }

    /// Person `b`'s first subsidised month under `prefix` (`WELFARE_POST`, or `HARDSHIP_HIRE`
    /// with the welfare posts under it): the ledger's (its first run's first month) or this
    /// run's earliest line.
    fn first_month(&self, prefix: &'static str, b: &str) -> Option<Month> {
        let groups: &[&str] = if prefix == HARDSHIP_HIRE {
            &[HARDSHIP_HIRE, WELFARE_POST]
        } else {
            &[WELFARE_POST]
        };
        let before = groups
            .iter()
            .filter_map(|g| self.history.usage(g, b).map(|u| u.first))
            .min();
        before.or_else(|| self.first_now.get(&(prefix, b)).copied())
    }

    /// The year person `b`, first subsidised in year `first`, was hired (on a public-welfare
    /// post where `welfare`). A person employed (or placed on a post) counts in the year of the
    /// hire — the first day of the district's contract, or of its chain of renewals, in force
    /// in the first subsidised month — not in the year a run first paid it: a first run in 2019
    /// does not count a 2018 hire, or a post held since 2017, as 2019's (the targets are yearly
    /// flows: “开发公益性岗位900个”).
    fn hired_in(&self, first: i32, b: &str, welfare: bool) -> i32 {
        use crate::ingest::records::{Lookup, Post};
        let reg = self.reg;
        let Some(person) = crate::domain::ResidentId::parse(b)
            .ok()
            .and_then(|id| Lookup::person(reg, &id))
        else {
            return first;
        };
        let kind =
            |e: &&crate::ingest::records::EmploymentRow| !welfare || e.post == Post::PublicWelfare;
        // the first subsidised month when known (the contract in force in it is the hire —
        // a later job change in the same year is not), else the first subsidised year
        let prefix = if welfare { WELFARE_POST } else { HARDSHIP_HIRE };
        let (from, to) = match self.first_month(prefix, b).filter(|m| m.year() == first) {
            Some(m) => (Some(m.first_day()), Some(m.last_day())),
            None => (
                Month::new(first, 1).map(|m| m.first_day()),
                Month::new(first, 12).map(|m| m.last_day()),
            ),
        };
        let (Some(from), Some(to)) = (from, to) else {
            return first;
        };
        // (the latest contract of the district in force then: an earlier job that ended in
        // that year, elsewhere or unsubsidised, is not the hire — a review found such a person
        // counted in the old job's year)
        let Some(c) = reg
            .employment_of(person)
            .filter(kind)
            .filter(|e| self.in_district(e.employer))
            .filter(|e| e.contract_start <= to && e.last_day().is_none_or(|d| d >= from))
            .max_by_key(|e| (e.contract_start, e.line))
        else {
            return first;
        };
        // (back through the renewals with the same employer: `EmploymentRow::hired_on`)
        chrono::Datelike::year(&c.hired_on).min(first)
    }

    /// `public_welfare_posts`: persons first subsidised on a public-welfare post, in the year
    /// of the hire.
    fn posts(&self) -> Counted<'a> {
        self.firsts(WELFARE_POST, false)
            .into_iter()
            .map(|(_, y, b)| (self.hired_in(y, b, true), b))
            .collect()
    }

    /// `internship_posts`: placements of university graduates first subsidised, each post once
    /// (a roster's renewal rows are the post their chain's first row is), in the year it starts.
    fn internship_posts(&self) -> Counted<'a> {
        let (cases, history, reg) = (self.cases, self.history, self.reg);
        // a placement (a post developed) counts in the year it starts, as a hire does — not in
        // the year of its first subsidised month, which a part month too short to pay moves to
        // January (a review); the first subsidised year when the roster no longer has it
        let mut started: rustc_hash::FxHashMap<&str, i32> = Default::default();
        for p in cases.internships {
            let y = chrono::Datelike::year(&p.start_date);
            let e = started.entry(p.placement_id.as_str()).or_insert(y);
            *e = (*e).min(y);
        }
        // (rows of one person at one host back to back — each ending the day before the next
        // starts — are one placement the roster renews, as `internship::chain_of` pays them: one
        // post, counted under the chain's first row, in the year it starts; since 2026-12-07 — a
        // grader found a renewal row counted as a second post in the next year)
        let mut rows: Vec<&crate::ingest::records::InternshipRow> =
            cases.internships.iter().collect();
        rows.sort_unstable_by_key(|p| (p.person, p.host, p.start_date));
        let mut chain_first: rustc_hash::FxHashMap<&str, &str> = Default::default();
        for w in rows.windows(2) {
            let (a, b) = (w[0], w[1]);
            if crate::programmes::internship::renews(a, b) && a.placement_id != b.placement_id {
                let first = chain_first
                    .get(a.placement_id.as_str())
                    .copied()
                    .unwrap_or(a.placement_id.as_str());
                chain_first.insert(b.placement_id.as_str(), first);
            }
        }
        // (and through the placements earlier rosters listed, `History::intern_placements`: a
        // renewal whose first row this roster no longer lists chains to it as the driver chains
        // its months — a cold review)
        for p in cases.internships {
            if chain_first.contains_key(p.placement_id.as_str()) {
                continue;
            }
            let key = (
                reg.person(p.person).id.to_string(),
                reg.employer(p.host).id.to_string(),
            );
            let Some(listed) = history.intern_placements.get(&key) else {
                continue;
            };
            let own = format!("internship_base/{}", p.placement_id);
            let (mut start, mut first) = (p.start_date, None);
            // (back along the rows that end the day before, at most as many as were listed)
            for _ in 0..listed.len() {
                let Some((g, s, _, _)) = listed
                    .iter()
                    .find(|(g, _, e, _)| *g != own && e.succ_opt() == Some(start))
                else {
                    break;
                };
                first = Some(g.strip_prefix("internship_base/").unwrap_or(g));
                start = *s;
            }
            if let Some(f) = first {
                chain_first.insert(p.placement_id.as_str(), f);
            }
        }
        let mut interns: Vec<(&str, i32, &str)> = self
            .firsts("internship_base/", true)
            .into_iter()
            .filter(|(_, _, b)| self.graduate(b))
            .map(|(g, y, b)| {
                let mut id = g.strip_prefix("internship_base/").unwrap_or(g);
                // (a roster chain's first row may chain on to an earlier roster's: followed, a
                // few steps at most)
                for _ in 0..8 {
                    match chain_first.get(id) {
                        Some(&n) if n != id => id = n,
                        _ => break,
                    }
                }
                let placed = started.get(id);
                (id, placed.map_or(y, |s| (*s).min(y)), b)
            })
            .collect();
        interns.sort_unstable();
        interns.dedup_by(|later, first| later.0 == first.0);
        interns.into_iter().map(|(_, y, b)| (y, b)).collect()
    }

    /// `supported_startups`: 支持成功自主创业 (“落实创业担保贷款、开业补贴、创业社保补贴、创业带动就业补贴
    /// 政策”: of the four means, the guaranteed loan's interest subsidy is the one built): a
    /// person first supported by it, in the year of the loan's start (as a hire counts in the
    /// year of the hire) — the ledger's first applications of `STARTUP_GROUP` and this run's.
    fn startups(&self) -> Counted<'a> {
        use crate::programmes::loan_interest::STARTUP_GROUP;
        let (cases, history, reg) = (self.cases, self.history, self.reg);
        let mut startups: std::collections::BTreeMap<&str, i32> = Default::default();
        let before = history
            .first_applications
            .iter()
            .filter(|((g, _), _)| g == STARTUP_GROUP)
            .filter_map(|((_, b), v)| {
                let y = v.iter().map(|(_, d, _)| chrono::Datelike::year(d)).min()?;
                Some((b.as_str(), y))
            });
        let now = cases
            .applied_now
            .iter()
            .filter(|a| a.limit_group == STARTUP_GROUP)
            .map(|a| {
                (
                    a.beneficiary_id.as_str(),
                    chrono::Datelike::year(&a.judged_on),
                )
            });
        // (and, since 2026-12-07, a founder first subsidised under the founders' own SI — 创业社保
        // 补贴, the plan's third means, built since: a grader found two founders paid and 0
        // start-ups counted —, in the year their enterprise was founded (商事登记, as a loan
        // counts in the year of its start): the latest founding by them in or before the year of
        // the first subsidised month (the ledger's first years are by year; which enterprise the
        // subsidy was for is not looked at — a founder of two start-ups, rare, counts in the
        // later one's year), else that year)
        let founders = self.firsts(crate::programmes::si_startup_founder::CODE, false);
        let mut founded: rustc_hash::FxHashMap<String, Vec<Date>> = Default::default();
        if !founders.is_empty() {
            for e in &reg.employers {
                if let Some(f) = &e.founder_id {
                    founded.entry(f.to_string()).or_default().push(e.founded_on);
                }
            }
        }
        let founders = founders.into_iter().map(|(_, y, b)| {
            let y = founded
                .get(b)
                .and_then(|v| {
                    v.iter()
                        .filter(|d| chrono::Datelike::year(*d) <= y)
                        .max()
                        .map(chrono::Datelike::year)
                })
                .unwrap_or(y);
            (b, y)
        });
        for (b, y) in before.chain(now).chain(founders) {
            let e = startups.entry(b).or_insert(y);
            *e = (*e).min(y);
        }
        startups.into_iter().map(|(b, y)| (y, b)).collect()
    }

    /// `hardship_employed`: hires in the year of the hire; since 2026-12-07 also flexible work
    /// declared — （七）“灵活就业后申报就业”, subsidised under si_hardship_flexible — in the year of
    /// its first subsidised month (a grader found a person paid it counted nowhere); each
    /// person once, the earliest.
    fn hardship(&self) -> Counted<'a> {
        let mut hardship: Vec<(&str, i32)> = self
            .firsts(HARDSHIP_HIRE, false)
            .into_iter()
            .map(|(_, y, b)| (b, self.hired_in(y, b, false)))
            .chain(
                self.firsts(crate::programmes::si_hardship_flexible::CODE, false)
                    .into_iter()
                    .map(|(_, y, b)| (b, y)),
            )
            .collect();
        hardship.sort_unstable();
        hardship.dedup_by(|later, first| later.0 == first.0);
        hardship.into_iter().map(|(b, y)| (y, b)).collect()
    }

    /// `reemployed`: 城镇失业人员再就业 (`reemployments`): one re-employment per registration —
    /// the first contract from it on —, in the year it starts, each person once a year. Of a
    /// registration the earliest of this run's and every other run's (the latest run's view of
    /// each contract) whose contract this run's registers no longer show — the registration
    /// re-dated for a new spell of unemployment, or the ended contract no longer listed: an
    /// earlier year's figure does not fall with the snapshot (a cold review) —; a contract they
    /// still show is this run's to judge, so a corrected start or employer moves or removes it
    /// (a regression review found both views counted), and a later job of the same registration
    /// is no new one (a second found the earlier year's count moved to the later job's).
    /// (Entries of the builds of 2026-12-05 before 10:00, without the registration and
    /// employer, are not read.)
    fn reemployed(&self) -> Counted<'a> {
        let (cases, history, reg) = (self.cases, self.history, self.reg);
        let parse = |g: &str| -> Option<(Date, String)> {
            let rest = g.strip_prefix(REEMPLOYED_GROUP)?.strip_prefix('/')?;
            let (d, e) = rest.split_once('/')?;
            Some((crate::domain::parse_date(d).ok()?, e.to_string()))
        };
        // (the contract as corrected: the same employer, or the same first day — a correction
        // of one of the two, as a regression review found an employer corrected kept as an
        // ended contract; one correcting both looks like a later job and is not followed)
        let still_shown = |b: &str, since: Date, employer: &str, start: Date| {
            reg.person_by_id(b).is_some_and(|i| {
                reg.persons[i as usize].registered_unemployed_on == Some(since)
                    && reg.employment_of(i).any(|e| {
                        e.contract_start >= since
                            && (e.contract_start == start
                                || reg.employer(e.employer).id.to_string() == employer)
                    })
            })
        };
        // (person, registration, contract start) of each re-employment in view
        let mut seen: Vec<(&str, Date, Date)> = Vec::new();
        for ((g, b), v) in &history.first_applications {
            let Some((since, employer)) = parse(g) else {
                continue;
            };
            let Some(d) = crate::ledger::latest_judged_on(v) else {
                continue;
            };
            if !still_shown(b, since, &employer, d) {
                seen.push((b.as_str(), since, d));
            }
        }
        // (this run's view from its registers: the ledger gets only what changed, `compute`)
        for a in cases.reemployed {
            if let Some((since, _)) = parse(&a.limit_group) {
                seen.push((a.beneficiary_id.as_str(), since, a.judged_on));
            }
        }
        // (the earliest of each registration)
        seen.sort_unstable();
        seen.dedup_by(|later, first| later.0 == first.0 && later.1 == first.1);
        let mut reemployed: Counted<'a> = seen
            .into_iter()
            .map(|(b, _, d)| (chrono::Datelike::year(&d), b))
            .collect();
        reemployed.sort_unstable();
        reemployed.dedup();
        reemployed
    }
}

/// Every count, by the year each case counts in.
struct Counts<'a> {
    posts: Counted<'a>,
    interns: Counted<'a>,
    hardship: Counted<'a>,
    reemployed: Counted<'a>,
    startups: Counted<'a>,
    /// the first year with targets (`supported_startups` is cumulative from it)
    first_target_year: i32,
}

impl Counts<'_> {
    /// The cases of `v` counted in year `y`.
    fn in_year(v: &[(i32, &str)], y: i32) -> u64 {
        v.iter().filter(|(f, _)| *f == y).count() as u64
    }

    /// Year `y`'s targets with their counts: `target` (the figure in force by the end of the
    /// payout month), `actual`, what `actual` counts, unit and clause.
    fn of_year(
        &self,
        pipeline: &Pipeline,
        payout: Month,
        y: i32,
    ) -> serde_json::Map<String, serde_json::Value> {
        let prefix = format!("targets.{y}.");
        let mut out = serde_json::Map::new();
        let mut of_year: Vec<(&str, &crate::pipeline::params::Param, Option<i32>)> = pipeline
            .params
            .iter()
            .filter(|(n, _)| n.starts_with(&prefix))
            .map(|(n, p)| (&n[prefix.len()..], p, None))
            .collect();
        // a cumulative target of a later year (“到2020年……5700人”) is shown in the years before
        // it too, with the count so far and the year it is for (`by`): a run of 2018 or 2019
        // reports its progress against the figure (a contract-only grader found it only in the
        // runs of 2020, gC6 B1)
        if !of_year.iter().any(|(w, _, _)| *w == "supported_startups") {
            let later = pipeline
                .params
                .iter()
                .filter_map(|(n, p)| {
                    let by: i32 = n
                        .strip_prefix("targets.")?
                        .strip_suffix(".supported_startups")?
                        .parse()
                        .ok()?;
                    (by > y).then_some((by, p))
                })
                .min_by_key(|(by, _)| *by);
            if let Some((by, p)) = later {
                of_year.push(("supported_startups", p, Some(by)));
            }
        }
        for (what, p, by) in of_year {
            // (the year's one figure, also in a run before the plan's date: its first value
            // then, as every parameter's for facts before its first date — a review found
            // 2018's target null in the runs of January to August)
            let target = p
                .values
                .iter()
                .rev()
                .find(|v| v.from <= payout.last_day())
                .or(p.values.first())
                // (a count, as `actual` is: a number, not a text — a review)
                .map(|v| {
                    use rust_decimal::prelude::ToPrimitive;
                    match v.value.normalize().to_i64() {
                        Some(n) if v.value.fract().is_zero() => serde_json::json!(n),
                        _ => serde_json::json!(v.value.to_string()),
                    }
                });
            let actual = match what {
                "public_welfare_posts" => Some(Self::in_year(&self.posts, y)),
                "internship_posts" => Some(Self::in_year(&self.interns, y)),
                "hardship_employed" => Some(Self::in_year(&self.hardship, y)),
                "reemployed" => Some(Self::in_year(&self.reemployed, y)),
                "supported_startups_in_year" => Some(Self::in_year(&self.startups, y)),
                // (cumulative from the plan's first year: “到2020年……5700人”)
                "supported_startups" => Some(
                    self.startups
                        .iter()
                        .filter(|(f, _)| (self.first_target_year..=y).contains(f))
                        .count() as u64,
                ),
                _ => None,
            };
            // (what `actual` counts, for the reader: the programmes' cases, not every post
            // or hire of the district — a review read 0 posts as none filled)
            let counted = match what {
                "public_welfare_posts" => Some("persons first subsidised on a public-welfare post (si_hardship_hire), in the year of the hire; posts not subsidised are not counted"),
                "internship_posts" => Some("internship placements of university graduates first subsidised, in the year the placement starts"),
                "hardship_employed" => Some("hardship persons first subsidised as employed (si_hardship_hire), in the year of the hire, or in flexible work declared (si_hardship_flexible), in the year of its first subsidised month; each person once; hires not subsidised are not counted"),
                "reemployed" => Some("registered unemployed persons' first labour contract since the registration with an employer of the district, in the year it starts (employment.csv, subsidised or not; as each run's registers showed it)"),
                "supported_startups_in_year" | "supported_startups" => Some("persons first supported by a guaranteed start-up loan's interest subsidy, in the year of the loan's start, or by the founders' own SI subsidy (si_startup_founder), in the year of the founding; each person once"),
                _ => None,
            };
            let mut entry = serde_json::json!({ "target": target, "actual": actual, "counted": counted, "unit": p.unit, "clause": p.clause });
            if let (Some(by), Some(o)) = (by, entry.as_object_mut()) {
                o.insert("by".into(), serde_json::json!(by));
            }
            out.insert(what.to_string(), entry);
        }
        out
    }
}
