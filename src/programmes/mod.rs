//! Programmes: one module per programme code (PROGRAMMES.md), each small and next to its
//! clause. Programmes see the inputs only through the typed registers and the joined tables
//! built here (`si` for contributions); each returns payment lines that carry their clause,
//! parameters with effective dates, and a short derivation.

pub mod flexible;
pub mod hire;
pub mod internship;
pub mod loan_default_compensation;
pub mod loan_interest;
pub mod loans;
pub mod public_welfare_post;
pub mod si;
pub mod si_graduate_flexible;
pub mod si_hardship_flexible;
pub mod si_hardship_hire;
pub mod si_redeployment;
pub mod si_sme_graduate_hire;
pub mod si_startup_founder;

use crate::domain::{Date, Money, Month};
use crate::exceptions::Exception;
use crate::ledger::History;
use crate::pipeline::{ParamError, ParamRef, Params, Pipeline};
use crate::registers::derive::Standing;
use crate::registers::Inputs;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Who receives a payment.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Payee {
    Employer(u32),
    Person(u32),
    /// a lending bank, by its 12-digit CNAPS code (loan programmes)
    Bank(String),
}

/// Who a payment is about: a person (employee, intern, individual borrower) or an employer
/// (an enterprise borrower).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Party {
    Person(u32),
    Employer(u32),
}

/// One payable line, before accounts are attached.
#[derive(Clone, Debug)]
pub struct Payment {
    /// deterministic id (also the bank's EndToEndId)
    pub payment_id: String,
    /// id of the month's first line: the ledger's key for “this month was paid”
    pub month_key: String,
    /// SI cents per insurance this line subsidises (pension, medical, unemployment, injury,
    /// maternity); the ledger compares later extracts with it (reversals, top-ups)
    pub si_basis: [i64; 5],
    /// a loan interest line's instalment row fingerprint (`loans::fingerprint`; 0: none), kept
    /// by the ledger in place of an SI basis — a later extract's correction of the row is told
    pub row_fp: u64,
    /// the duration limit this line counts against (`si_hardship_hire`,
    /// `si_hardship_hire/public_welfare`, …)
    pub limit_group: String,
    pub programme: &'static str,
    pub clause: String,
    pub service_month: Option<Month>,
    pub payee: Payee,
    /// the person (or enterprise borrower) the subsidy is about
    pub beneficiary: Party,
    pub amount: Money,
    /// the arithmetic, e.g. `employer SI 2018-08 pension 665.00 + … = 997.50 × 1.00`
    pub basis: String,
    /// why the beneficiary qualifies
    pub eligibility: String,
    /// the parameters the amount rests on (shared: a loan's lines carry the same list)
    pub params: std::sync::Arc<[ParamRef]>,
    /// input rows the line rests on, `file:line`
    pub sources: Vec<String>,
    /// what the payee files the line under besides the programme and month, carried into the
    /// bank files' remittance: a loan line's loan and instalment (the lending bank applies it
    /// to a loan contract; two cold reviews found bank lines naming no loan); empty otherwise
    pub reference: String,
}

/// What the programmes produced.
#[derive(Default)]
pub struct Outcome {
    pub payments: Vec<Payment>,
    pub exceptions: Vec<Exception>,
    /// what loan pricing learnt of instalments paid or payable (for the ledger's marks)
    pub loan_progress: Vec<crate::ledger::LoanProgress>,
    /// flexible months seen with one of pension and medical paid (for the ledger)
    pub flexible_seen: Vec<crate::ledger::FlexSeen>,
    /// employer SI rows paid after the payout month, of the pairs the hire programmes join,
    /// and flexible workers' own (for the ledger: a later run's extract may no longer hold them)
    pub si_late_seen: Vec<crate::ledger::LateSeen>,
    /// the months a programme paying only months paid in full withheld (for the ledger: their
    /// kept rows are read past the memory's year)
    pub si_waiting: Vec<crate::ledger::SiWaiting>,
    /// interns' months insured by their hosts in this extract (for the ledger: retention)
    pub intern_si_seen: Vec<crate::ledger::InternSiSeen>,
    /// the first applications this run makes (the ledger keeps the day each judged the age on)
    pub first_applications: Vec<crate::ledger::FirstApplication>,
    /// the placements the roster lists, with their days (for the ledger: a later roster that
    /// drops them still chains them)
    pub intern_placements: Vec<crate::ledger::InternPlacement>,
    /// `first_applications` rows that hold only if the line they name (its payment id) is paid
    /// in this run — not withheld (`hire::PAID_FOR`, the contracts a run paid a line under)
    pub if_paid: Vec<(String, crate::ledger::FirstApplication)>,
    /// rows that need a parameter the pipeline leaves to the published standard (按规定): not
    /// exceptions to report but the reason the run stops (`run::unset_for_rows` names them)
    pub unset: Vec<Exception>,
}

impl Outcome {
    /// Records that something said of `beneficiary`'s month `m` under `group` (a
    /// `first_applications` row, e.g. `flexible_employed/2019-03`) is said once: later runs find
    /// it (`History::first_application_run`) and keep quiet.
    pub fn said_once(&mut self, group: String, beneficiary: String, m: Month, on: Date) {
        self.first_applications
            .push(crate::ledger::FirstApplication {
                limit_group: group,
                beneficiary_id: beneficiary,
                first: m,
                judged_on: on,
            });
    }

    /// Appends `o` (an empty vector takes the other's whole, without a copy).
    pub fn extend(&mut self, o: Outcome) {
        fn append<T>(to: &mut Vec<T>, mut from: Vec<T>) {
            if to.is_empty() {
                std::mem::swap(to, &mut from);
            } else {
                to.append(&mut from);
            }
        }
        append(&mut self.payments, o.payments);
        append(&mut self.exceptions, o.exceptions);
        append(&mut self.loan_progress, o.loan_progress);
        append(&mut self.flexible_seen, o.flexible_seen);
        append(&mut self.si_late_seen, o.si_late_seen);
        append(&mut self.si_waiting, o.si_waiting);
        append(&mut self.intern_si_seen, o.intern_si_seen);
        append(&mut self.first_applications, o.first_applications);
        append(&mut self.intern_placements, o.intern_placements);
        append(&mut self.if_paid, o.if_paid);
        append(&mut self.unset, o.unset);
    }

    /// The outcomes one after the other, each vector allocated once at its full size.
    pub fn concat(parts: Vec<Outcome>) -> Outcome {
        let mut out = Outcome {
            payments: Vec::with_capacity(parts.iter().map(|p| p.payments.len()).sum()),
            exceptions: Vec::with_capacity(parts.iter().map(|p| p.exceptions.len()).sum()),
            loan_progress: Vec::with_capacity(parts.iter().map(|p| p.loan_progress.len()).sum()),
            flexible_seen: Vec::new(),
            si_late_seen: Vec::new(),
            si_waiting: Vec::new(),
            intern_si_seen: Vec::new(),
            first_applications: Vec::new(),
            intern_placements: Vec::new(),
            if_paid: Vec::new(),
            unset: Vec::new(),
        };
        for p in parts {
            out.payments.extend(p.payments);
            out.exceptions.extend(p.exceptions);
            out.loan_progress.extend(p.loan_progress);
            out.flexible_seen.extend(p.flexible_seen);
            out.si_late_seen.extend(p.si_late_seen);
            out.si_waiting.extend(p.si_waiting);
            out.intern_si_seen.extend(p.intern_si_seen);
            out.first_applications.extend(p.first_applications);
            out.intern_placements.extend(p.intern_placements);
            out.if_paid.extend(p.if_paid);
            out.unset.extend(p.unset);
        }
        out
    }
}

/// The contracts earlier runs paid lines under — start month, employer's credit code — by
/// `(<code>/<payee>, person)` (`Ctx::paid_for`).
pub type PaidFor = rustc_hash::FxHashMap<(String, String), Vec<(Month, String)>>;

/// Jinan （十三）: months of SI in the city, and of residence, that make a non-local person local.
pub const LOCAL_SI: &str = "local.nonlocal_min_si_months";
pub const LOCAL_RESIDENCE: &str = "local.nonlocal_min_residence_months";
/// The ledger's memory of （十三）'s SI months (`first_applications`, this group, the person's
/// resident ID and the month from which an earlier run's extract showed `LOCAL_SI` months of SI
/// here before it): a windowed extract that no longer holds them still finds the standing.
pub const LOCAL_SI_SEEN: &str = "local_si_seen";
/// The ledger's memory of each month of SI here a run's extract showed a non-local registered
/// person with (`first_applications`, group `local_si_month/<YYYY-MM>`): monthly extracts each
/// hold a month or two, and the six are counted across runs (since 2026-12-06).
pub const LOCAL_SI_MONTH: &str = "local_si_month";
/// The ledger's record of a person a hardship programme first subsidised on a local hukou, in a
/// pipeline with （十三） (`first_applications`, this group, the resident ID, the month): such a
/// first subsidy is no （十三） standing should the registers correct the hukou to non-local
/// (since 2026-12-06).
pub const LOCAL_BY_HUKOU: &str = "local_by_hukou";
/// The two conditions of （十三） go together.
const LOCAL_DEPENDS: &[(&str, &[&str])] = &[
    (LOCAL_SI, &[LOCAL_RESIDENCE]),
    (LOCAL_RESIDENCE, &[LOCAL_SI]),
];

/// A parameter declared without the companions it is read with: the message, else `Ok`.
fn companions(p: &Pipeline, depends: &[(&str, &[&str])]) -> Result<(), String> {
    for (name, needs) in depends {
        if p.params.get(name).is_some() {
            if let Some(c) = needs.iter().find(|c| p.params.get(c).is_none()) {
                return Err(format!("parameter {name:?} needs {c:?} declared beside it"));
            }
        }
    }
    Ok(())
}

/// Per non-local registered person: (period, paid on) of each of their contribution rows.
pub type NonlocalSi = FxHashMap<u32, Vec<(Month, Option<crate::domain::Date>)>>;

/// What every programme sees.
pub struct Ctx<'a> {
    pub pipeline: &'a Pipeline,
    pub params: &'a Params,
    pub payout: Month,
    pub inputs: &'a Inputs,
    /// what earlier runs paid (empty without a ledger)
    pub history: &'a History,
    /// months of SI in the city of the non-local registered persons, built on first use by
    /// `local_standing` (pipelines with `local.nonlocal_min_si_months` only)
    pub nonlocal_si: std::sync::OnceLock<NonlocalSi>,
    /// the months of SI here earlier runs' extracts showed of each non-local person
    /// (`LOCAL_SI_MONTH`), with the day each was known paid by, built on first use
    pub nonlocal_si_recorded: std::sync::OnceLock<NonlocalSi>,
    /// per service month, the earliest payment date of the extract's contribution rows of it,
    /// built on first use by `earliest_paid`
    pub earliest_paid: std::sync::OnceLock<FxHashMap<Month, crate::domain::Date>>,
    /// per programme code, the persons an earlier run subsidised months of under it (any of
    /// its limit groups), built on first use by `subsidised_under`
    pub subsidised: std::sync::OnceLock<FxHashMap<String, rustc_hash::FxHashSet<u32>>>,
    /// per internship placement's limit group (`internship_base/<placement_id>`), the
    /// beneficiaries an earlier run subsidised months of under it, built on first use by
    /// `placement_interns`
    pub placement_interns: std::sync::OnceLock<FxHashMap<String, Vec<String>>>,
    /// with the founders' own programme on, each founder's registration with the enterprise
    /// they founded that employment.csv lacks (`si_startup_founder::registrations`), by person;
    /// built on first use by `founder_registrations`
    pub founder_registrations: std::sync::OnceLock<Vec<crate::ingest::records::EmploymentRow>>,
    /// `local.region` as of the payout month's last day (`None`: every employer), read once
    /// by `in_region` (it is asked once per contribution row and contract)
    pub region: std::sync::OnceLock<Option<Region>>,
    /// the contracts earlier runs paid hire lines under (`hire::PAID_FOR`), by programme and
    /// payee (`<code>/<payee>`) and person: their start months and employers — read once from the
    /// history's `first_applications` by `hire::paid_under`
    pub paid_for: std::sync::OnceLock<PaidFor>,
    /// per person, the first month this run subsidises under `si_hardship_hire`'s regular
    /// hires (set once the hire programmes have run: flexible work after such a hire continues
    /// （七）'s one limit)
    pub hire_first: std::sync::OnceLock<FxHashMap<u32, Month>>,
    /// the (person, month)s this run pays `si_startup_founder` of a founder's own SI (paid as a
    /// flexible worker; set once the hire programmes have run): a month of theirs the flexible
    /// programmes do not pay (one SI subsidy per person and month)
    pub founder_own_paid: std::sync::OnceLock<rustc_hash::FxHashSet<(u32, Month)>>,
    /// the first day of the internship each placement row belongs to, by (person, host, the
    /// row's start) — the start of the first of back-to-back rows at one host
    /// (`internship::chain_start`), read once
    pub internship_chains:
        std::sync::OnceLock<FxHashMap<(u32, u32, crate::domain::Date), crate::domain::Date>>,
}

impl Ctx<'_> {
    /// Whether an earlier run subsidised months of person `i` under programme `code` (the
    /// ledger's usage of any of its limit groups, `code` or `code/…`).
    pub fn subsidised_under(&self, code: &str, i: u32) -> bool {
        self.subsidised
            .get_or_init(|| {
                let reg = &self.inputs.registers;
                let mut by: FxHashMap<String, rustc_hash::FxHashSet<u32>> = FxHashMap::default();
                for (group, who) in self.history.subsidised() {
                    let code = group.split('/').next().unwrap_or(group);
                    if let Some(p) = reg.person_by_id(who) {
                        by.entry(code.to_string()).or_default().insert(p);
                    }
                }
                by
            })
            .get(code)
            .is_some_and(|s| s.contains(&i))
    }

    /// The founders' registrations with their enterprises that employment.csv lacks, sorted
    /// by person (`si_startup_founder::registrations`) — none when the pipeline does not run
    /// the founders' own programme: the hire driver walks them as contracts, and a month the
    /// enterprise insures its founder under one is no flexible work.
    pub fn founder_registrations(&self) -> &[crate::ingest::records::EmploymentRow] {
        self.founder_registrations.get_or_init(|| {
            if self.pipeline.enabled(si_startup_founder::CODE).is_none() {
                return Vec::new();
            }
            let mut v = si_startup_founder::registrations(self);
            v.sort_by_key(|e| (e.person, e.contract_start, e.employer));
            v
        })
    }

    /// Person `i`'s registrations among `founder_registrations`.
    pub fn founder_registrations_of(&self, i: u32) -> &[crate::ingest::records::EmploymentRow] {
        let all = self.founder_registrations();
        let from = all.partition_point(|e| e.person < i);
        let to = all.partition_point(|e| e.person <= i);
        &all[from..to]
    }

    /// The interns (resident IDs) an earlier run subsidised months of under a placement's
    /// limit group `group` (`internship_base/<placement_id>`, `internship_mentor/<placement_id>`).
    pub fn placement_interns(&self, group: &str) -> &[String] {
        self.placement_interns
            .get_or_init(|| {
                let mut by: FxHashMap<String, Vec<String>> = FxHashMap::default();
                let prefixes = [internship::BASE, internship::MENTOR].map(|c| format!("{c}/"));
                for (g, who) in self.history.subsidised() {
                    if prefixes.iter().any(|p| g.starts_with(p.as_str())) {
                        by.entry(g.to_string()).or_default().push(who.to_string());
                    }
                }
                for v in by.values_mut() {
                    v.sort_unstable();
                }
                by
            })
            .get(group)
            .map_or(&[], |v| v.as_slice())
    }

    /// Whether person `i` counts as local on `on`: local hukou, or — where the pipeline has
    /// 济南 （十三） (`local.nonlocal_min_si_months`, `local.nonlocal_min_residence_months`) — a
    /// non-local person holding the city's employment/unemployment registration (which the
    /// same clause grants only after that many months of continuous residence, so the
    /// registration shows the residence) with at least that many months of SI paid in the
    /// city before the month of `on` (months with any contribution row paid by `on`), counted
    /// in the extract; once a programme of hardship persons has subsidised the person (the
    /// ledger), the standing holds for later runs whose extracts no longer carry those months.
    /// The day the ledger's standing of person `i` under limit group `group` (first subsidised
    /// month `first`) was granted on: the hire day of the (latest) contract with an employer
    /// paid that month under `si_hardship_hire` (the day the hire was judged on), else the
    /// month's first day (flexible work, or registers that no longer show the contract).
    fn standing_since(&self, i: u32, group: &str, first: Month) -> crate::domain::Date {
        let reg = &self.inputs.registers;
        let day = first.first_day();
        if group == si_hardship_flexible::CODE {
            return day;
        }
        reg.employment_of(i)
            .filter(|e| e.in_force_in(first))
            .filter(|e| {
                let key = self.payment_id(
                    si_hardship_hire::CODE,
                    &Payee::Employer(e.employer),
                    i,
                    first,
                    0,
                );
                matches!(self.history.seen(&key), crate::ledger::Seen::Paid(_))
            })
            // (the latest: an earlier contract with the same employer in that month — a new
            // hire after a break — was refused then, and is not under the standing: a review)
            .map(|e| e.hired_on)
            .max()
            .unwrap_or(day)
    }

    pub fn local_standing(
        &self,
        i: u32,
        on: crate::domain::Date,
    ) -> Result<Option<Standing>, ParamError> {
        let p = self.inputs.registers.person(i);
        if p.hukou_local {
            return Ok(Some(Standing {
                why: "local hukou".into(),
                params: vec![],
            }));
        }
        if self.params.get(LOCAL_SI).is_none() {
            return Ok(None);
        }
        let Some(reg) = p.registered_unemployed_on.filter(|d| *d <= on) else {
            return Ok(None);
        };
        let si = self.params.at_or_first(LOCAL_SI, on)?;
        let residence = self.params.at_or_first(LOCAL_RESIDENCE, on)?;
        let who = p.id.to_string();
        // the limit groups of the programmes of hardship persons (the public-welfare posts'
        // as the ledger names it, `si_hardship_hire/public_welfare`: its bare name found none —
        // a review)
        let welfare = format!(
            "{}/{}",
            si_hardship_hire::CODE,
            si_hardship_hire::PUBLIC_WELFARE_GROUP
        );
        let groups = [
            si_hardship_hire::CODE,
            welfare.as_str(),
            si_hardship_flexible::CODE,
        ];
        // (for dates from the day it was first granted on: the start of the hire whose month
        // was first subsidised, or that month's first day for flexible work — a contract begun,
        // or a month, before it was judged then on what the city's SI showed: a review found
        // months before the standing paid on it; another, a hire's own standing lost because
        // its first month was paid late)
        // (and only where that first subsidy could rest on （十三）: since 2026-12-06 a run
        // records a person first subsidised on a local hukou (`LOCAL_BY_HUKOU`) — whose hukou
        // the registers may correct to non-local since: a grader found her months paid on,
        // silently —, and such a first subsidy gives a standing only with the months of SI here
        // before it, as this extract and earlier runs' show them, or an earlier run's record of
        // them; a first subsidy without that record (on （十三）, or on a ledger of before it)
        // gives it as ever — unless this extract reverses a recorded month before it: a grader
        // found the standing kept on five months)
        let need = si.value;
        let by_hukou = self
            .history
            .first_applications
            .contains_key(&(LOCAL_BY_HUKOU.to_string(), who.clone()));
        let could_stand = |since: crate::domain::Date| {
            let m = Month::of(since);
            rust_decimal::Decimal::from(self.nonlocal_si_months(i, since).len()) >= need
                || self
                    .local_si_seen_by(&who, m)
                    .is_some_and(|s| !self.nonlocal_si_reversed_before(i, s))
                || (!by_hukou && !self.nonlocal_si_reversed_before(i, m.next()))
        };
        if let Some(group) = groups.into_iter().find(|g| {
            self.history.usage(g, &who).is_some_and(|u| {
                let since = self.standing_since(i, g, u.first);
                since <= on && could_stand(since)
            })
        }) {
            return Ok(Some(Standing {
                why: format!(
                    "non-local, registered in the city since {reg}: treated as local, （十三）, as when first subsidised ({group}, in the ledger)"
                ),
                params: vec![si, residence],
            }));
        }
        let before = Month::of(on);
        let paid = self.nonlocal_si_months(i, on);
        if rust_decimal::Decimal::from(paid.len()) < need {
            // (the months an earlier run's extract held — a windowed extract holds only recent
            // months: a review found a hire judged local in one run, its first months paid late,
            // refused NOT_LOCAL_HUKOU by every later run)
            // (not where this extract reverses a month an earlier run recorded before it: the
            // record rested on it — a grader found the standing kept)
            let seen = self
                .local_si_seen_by(&who, before)
                .filter(|s| !self.nonlocal_si_reversed_before(i, *s));
            return Ok(seen.map(|since| Standing {
                why: format!(
                    "non-local, registered in the city since {reg} (the registration taken as the evidence of ≥ {} months of residence, which the registers do not record) with ≥ {need} months of SI here before {since}, as an earlier run's extract showed them (the ledger): treated as local, （十三）",
                    residence.value
                ),
                params: vec![si.clone(), residence.clone()],
            }));
        }
        // (months only earlier runs' extracts showed: said, as the line rests on the ledger)
        let recorded = match self.nonlocal_si_months_recorded_only(i, &paid) {
            0 => String::new(),
            n => format!(", {n} of them as earlier runs' extracts showed them (the ledger)"),
        };
        Ok(Some(Standing {
            why: format!(
                "non-local, registered in the city since {reg} (the registration taken as the evidence of ≥ {} months of residence, which the registers do not record) with {} months of SI here before {before} (≥ {need}){recorded}: treated as local, （十三）",
                residence.value,
                paid.len()
            ),
            params: vec![si, residence],
        }))
    }

    /// The distinct months of SI in the city's extract before the month of `on`, paid by the
    /// end of the payout month, of a non-local registered person (（十三）).
    fn nonlocal_si_months(&self, i: u32, on: crate::domain::Date) -> Vec<Month> {
        let months = self.nonlocal_si_map();
        // months insured here before the month of `on` (“在我市参加社会保险6个月以上”), evidenced
        // by a payment known at the end of the payout month — a month's SI is paid in the
        // next, so the month before a hire is usually paid after it (a cold review)
        let before = Month::of(on);
        let known = self.payout.last_day();
        // (with the months earlier runs' extracts showed: a monthly extract holds one or two —
        // since 2026-12-06, a grader found a non-local person insured here every month never
        // treated as local with monthly extracts, where a cumulative one made her so)
        // (not a month this extract holds rows of, none of them paid: the month reversed since
        // an earlier run recorded it — a grader found it counted)
        let here = months.get(&i);
        let recorded = self
            .nonlocal_si_recorded_map()
            .get(&i)
            .into_iter()
            .flatten()
            .filter(|(m, _)| !self.nonlocal_si_reversed(i, *m));
        let mut paid: Vec<Month> = here
            .into_iter()
            .flatten()
            .chain(recorded)
            .filter(|(m, d)| *m < before && d.is_some_and(|d| d <= known))
            .map(|(m, _)| *m)
            .collect();
        paid.sort_unstable();
        paid.dedup();
        paid
    }

    /// Whether this extract holds rows of month `m` of non-local person `i`, none of them paid
    /// by the end of the payout month: an SI month an earlier run's extract showed paid is
    /// reversed.
    fn nonlocal_si_reversed(&self, i: u32, m: Month) -> bool {
        let known = self.payout.last_day();
        self.nonlocal_si_map().get(&i).is_some_and(|v| {
            v.iter().any(|(h, _)| *h == m)
                && !v
                    .iter()
                    .any(|(h, d)| *h == m && d.is_some_and(|d| d <= known))
        })
    }

    /// Whether this extract reverses (`nonlocal_si_reversed`) a month before `since` that an
    /// earlier run recorded of non-local person `i`.
    fn nonlocal_si_reversed_before(&self, i: u32, since: Month) -> bool {
        self.nonlocal_si_recorded_map().get(&i).is_some_and(|v| {
            v.iter()
                .any(|(m, _)| *m < since && self.nonlocal_si_reversed(i, *m))
        })
    }

    /// How many of `paid` (`nonlocal_si_months` of person `i`) only earlier runs' extracts
    /// showed.
    fn nonlocal_si_months_recorded_only(&self, i: u32, paid: &[Month]) -> usize {
        let here = self.nonlocal_si_map().get(&i);
        paid.iter()
            .filter(|m| !here.is_some_and(|v| v.iter().any(|(h, _)| h == *m)))
            .count()
    }

    /// The months of SI here earlier runs' extracts showed of each non-local person now in the
    /// registers (`LOCAL_SI_MONTH`), with the last day of the recording run's payout month.
    fn nonlocal_si_recorded_map(&self) -> &NonlocalSi {
        self.nonlocal_si_recorded.get_or_init(|| {
            let reg = &self.inputs.registers;
            let mut m = NonlocalSi::default();
            let prefix = format!("{LOCAL_SI_MONTH}/");
            for ((group, who), entries) in &self.history.first_applications {
                if !group.starts_with(&prefix) {
                    continue;
                }
                let Some(i) = reg.person_by_id(who) else {
                    continue;
                };
                if let Some(&(month, known, _)) = entries.iter().min_by_key(|e| e.1) {
                    m.entry(i).or_default().push((month, Some(known)));
                }
            }
            m
        })
    }

    /// The earliest payment date of this extract's contribution rows of service month `m`: an
    /// extract holding a row of `m` paid by a day an earlier run's extract was taken repeats the
    /// month (cumulative for it), where a window of later payments would not.
    pub fn earliest_paid(&self, m: Month) -> Option<crate::domain::Date> {
        self.earliest_paid
            .get_or_init(|| {
                let mut by: FxHashMap<Month, crate::domain::Date> = FxHashMap::default();
                for c in &self.inputs.contributions {
                    if let Some(d) = c.paid_on {
                        let e = by.entry(c.period).or_insert(d);
                        *e = (*e).min(d);
                    }
                }
                by
            })
            .get(&m)
            .copied()
    }

    /// The months of SI in the city's extract of every non-local registered person, with their
    /// payment dates (`nonlocal_si`, built on first use).
    fn nonlocal_si_map(&self) -> &NonlocalSi {
        self.nonlocal_si.get_or_init(|| {
            let reg = &self.inputs.registers;
            let mut m = NonlocalSi::default();
            for c in &self.inputs.contributions {
                let p = reg.person(c.person);
                // (SI “在我市”: of an employer of the pipeline's region, or paid as a flexible
                // worker — not at an employer registered in another city: a cold review found
                // six months at a 苏州 firm making a person local to 济南)
                if !p.hukou_local
                    && p.registered_unemployed_on.is_some()
                    && c.employer.is_none_or(|e| self.in_region(e))
                {
                    m.entry(c.person).or_default().push((c.period, c.paid_on));
                }
            }
            m
        })
    }

    /// The earliest month, on or before `before`, from which an earlier run's extract showed
    /// person `who` with （十三）'s months of SI here before it (`LOCAL_SI_SEEN`).
    fn local_si_seen_by(&self, who: &str, before: Month) -> Option<Month> {
        self.history
            .first_applications
            .get(&(LOCAL_SI_SEEN.to_string(), who.to_string()))?
            .iter()
            .map(|(m, _, _)| *m)
            .filter(|m| *m <= before)
            .min()
    }

    /// What this run's extract shows of （十三）'s SI months, for the ledger (`LOCAL_SI_SEEN`):
    /// per non-local registered person with `LOCAL_SI` distinct months of SI here paid by the
    /// end of the payout month, the month after the last of the first `LOCAL_SI` of them —
    /// from it on the condition holds whatever later extracts hold —, where no earlier run
    /// recorded that month or an earlier one. None where the pipeline lacks the rule.
    pub fn local_si_seen(&self) -> Result<Vec<crate::ledger::FirstApplication>, ParamError> {
        if self.params.get(LOCAL_SI).is_none() {
            return Ok(Vec::new());
        }
        let known = self.payout.last_day();
        let need = self.params.at_or_first(LOCAL_SI, known)?.value;
        let Some(need) =
            rust_decimal::prelude::ToPrimitive::to_usize(&need.ceil()).filter(|n| *n > 0)
        else {
            return Ok(Vec::new());
        };
        let reg = &self.inputs.registers;
        let recorded = self.nonlocal_si_recorded_map();
        let mut out = Vec::new();
        for (&i, rows) in self.nonlocal_si_map() {
            let paid = |rows: &[(Month, Option<crate::domain::Date>)]| -> Vec<Month> {
                rows.iter()
                    .filter(|(_, d)| d.is_some_and(|d| d <= known))
                    .map(|(m, _)| *m)
                    .collect()
            };
            let mut here = paid(rows);
            here.sort_unstable();
            here.dedup();
            let before = recorded.get(&i).map(|r| paid(r)).unwrap_or_default();
            let mut months: Vec<Month> = here.iter().chain(&before).copied().collect();
            months.sort_unstable();
            months.dedup();
            let who = reg.person(i).id.to_string();
            let since = months.get(need - 1).map(|m| m.next());
            // each month of this extract no earlier run recorded, while the condition is not
            // yet recorded as met from a month before it (a later month adds nothing)
            let met = self.local_si_seen_by(&who, self.payout.next());
            for &m in here.iter().filter(|m| !before.contains(m)) {
                if met.is_some_and(|s| s <= m) {
                    continue;
                }
                out.push(crate::ledger::FirstApplication {
                    limit_group: format!("{LOCAL_SI_MONTH}/{m}"),
                    beneficiary_id: who.clone(),
                    first: m,
                    judged_on: known,
                });
            }
            let Some(since) = since else {
                continue;
            };
            if self.local_si_seen_by(&who, since).is_some() {
                continue;
            }
            out.push(crate::ledger::FirstApplication {
                limit_group: LOCAL_SI_SEEN.to_string(),
                beneficiary_id: who,
                first: since,
                judged_on: known,
            });
        }
        out.sort_unstable_by(|a, b| {
            (&a.beneficiary_id, &a.limit_group).cmp(&(&b.beneficiary_id, &b.limit_group))
        });
        Ok(out)
    }

    /// What this run records of persons its hardship lines subsidise on a local hukou, in a
    /// pipeline with （十三） (`LOCAL_BY_HUKOU`): one per person no earlier run recorded, at the
    /// earliest service month. None where the pipeline lacks the rule.
    fn local_by_hukou(&self, payments: &[Payment]) -> Vec<crate::ledger::FirstApplication> {
        if self.params.get(LOCAL_SI).is_none() {
            return Vec::new();
        }
        let reg = &self.inputs.registers;
        let mut first: FxHashMap<u32, Month> = FxHashMap::default();
        for p in payments {
            let hardship =
                p.programme == si_hardship_hire::CODE || p.programme == si_hardship_flexible::CODE;
            let (Party::Person(i), Some(m)) = (p.beneficiary, p.service_month) else {
                continue;
            };
            if hardship && reg.person(i).hukou_local {
                let e = first.entry(i).or_insert(m);
                *e = (*e).min(m);
            }
        }
        let mut out: Vec<crate::ledger::FirstApplication> = first
            .into_iter()
            .map(|(i, m)| (reg.person(i).id.to_string(), m))
            .filter(|(who, _)| {
                !self
                    .history
                    .first_applications
                    .contains_key(&(LOCAL_BY_HUKOU.to_string(), who.clone()))
            })
            .map(|(who, m)| crate::ledger::FirstApplication {
                limit_group: LOCAL_BY_HUKOU.to_string(),
                beneficiary_id: who,
                first: m,
                judged_on: self.payout.last_day(),
            })
            .collect();
        out.sort_unstable_by(|a, b| a.beneficiary_id.cmp(&b.beneficiary_id));
        out
    }

    /// `judged` with a NOT_LOCAL_HUKOU miss told why （十三） does not apply (`local_gap`).
    pub fn with_local_gap<T>(
        &self,
        i: u32,
        on: crate::domain::Date,
        judged: Result<T, crate::registers::derive::Miss>,
    ) -> Result<T, crate::registers::derive::Miss> {
        judged.map_err(|mut m| {
            if m.code == Some(crate::exceptions::Code::NotLocalHukou) {
                if let Some(gap) = self.local_gap(i, on) {
                    m.why = format!("{}; {gap}", m.why);
                }
            }
            m
        })
    }

    /// Why a non-local person is not treated as local under （十三） on `on`, where the pipeline
    /// has the rule (`None` otherwise): a NOT_LOCAL_HUKOU row says which condition failed — the
    /// registration, or how many months of SI the extract shows (a cold review: a short SI
    /// history read like a missing registration).
    pub fn local_gap(&self, i: u32, on: crate::domain::Date) -> Option<String> {
        let p = self.inputs.registers.person(i);
        if p.hukou_local || self.params.get(LOCAL_SI).is_none() {
            return None;
        }
        let need = self.params.at_or_first(LOCAL_SI, on).ok()?.value;
        Some(match p.registered_unemployed_on.filter(|d| *d <= on) {
            None => format!("（十三）: not registered in the city by {on}"),
            Some(_) => format!(
                "（十三）: {} month(s) of SI here before {} in this extract and earlier runs' extracts, {need} needed",
                self.nonlocal_si_months(i, on).len(),
                Month::of(on)
            ),
        })
    }

    /// Whether an employer lies in the pipeline's district (`local.region`: a 6-digit division
    /// code — 吴江区 320509 applies Suzhou's rules to its own employers — or a city's 4 digits —
    /// 苏州市 3205, its districts and county-level cities; `Region::contains`); every employer when
    /// the pipeline sets none.
    pub fn in_region(&self, employer: u32) -> bool {
        let region = self
            .region
            .get_or_init(|| Region::of_pipeline(self.params, self.payout));
        region.is_none_or(|r| r.contains(self.inputs.registers.employer(employer).region))
    }

    /// The payee's identifier as written in payments.csv.
    pub fn payee_id(&self, p: &Payee) -> String {
        let reg = &self.inputs.registers;
        match p {
            Payee::Employer(e) => reg.employer(*e).id.to_string(),
            Payee::Person(i) => reg.person(*i).id.to_string(),
            Payee::Bank(code) => code.clone(),
        }
    }

    /// The beneficiary's identifier as written in payments.csv.
    pub fn party_id(&self, p: Party) -> String {
        let reg = &self.inputs.registers;
        match p {
            Party::Employer(e) => reg.employer(e).id.to_string(),
            Party::Person(i) => reg.person(i).id.to_string(),
        }
    }

    /// Payment id of the line `seq` (0 = the month's first line, 1.. = later top-ups) of a
    /// programme, payee, beneficiary and service month.
    pub fn payment_id(
        &self,
        code: &str,
        payee: &Payee,
        beneficiary: u32,
        month: Month,
        seq: u32,
    ) -> String {
        let who = self.inputs.registers.person(beneficiary).id.to_string();
        let m = if seq == 0 {
            month.to_string()
        } else {
            format!("{month}+{seq}")
        };
        crate::outputs::payments::payment_id(
            &self.pipeline.name,
            code,
            &self.payee_id(payee),
            &who,
            &m,
        )
    }

    /// The clause a programme cites in this pipeline.
    pub fn clause(&self, code: &str) -> String {
        self.pipeline
            .programmes
            .get(code)
            .map(|p| p.clause.clone())
            .unwrap_or_default()
    }
}

/// The parameter whose first date is the day the pipeline's document takes effect (its value
/// is not read): declared by each shipped pipeline with its reading of the date (POLICY.md),
/// and required by the programmes whose standard it bounds (`standard_under`).
pub const DOCUMENT: &str = "document.effective";

/// A published standard (`name`: a share or amount a bureau sets, 按规定 / 一定标准) in force on
/// `on`, on no day before the pipeline's document takes effect (`DOCUMENT`'s first date). A
/// bureau may date its standard earlier (an older notice); the months before the document were
/// the earlier rules' (`NO_RULE_IN_FORCE`; since 2026-12-07 — a grader's flexible standards
/// dated 2017-01-01 paid Suzhou months from 2017-09). Before the document, the error's `first`
/// is the first day a standard is in force under it: the document's day, or the standard's own
/// first date when that comes later (then the standard's error) — `hire::pricing_day` prices a
/// month the rules take effect in from that day (a review found a share dated 12-31 under a
/// document of 12-30 refusing December to a hire of October, paid to one of 12-31).
pub fn standard_under(params: &Params, name: &str, on: Date) -> Result<ParamRef, ParamError> {
    standard_from(
        params,
        name,
        on,
        params.first_from(DOCUMENT).map(|d| (DOCUMENT, d)),
    )
}

/// `standard_under` with the bound given: `(parameter, its first date)`, or none.
pub fn standard_from(
    params: &Params,
    name: &str,
    on: Date,
    bound: Option<(&str, Date)>,
) -> Result<ParamRef, ParamError> {
    match bound {
        Some((by, first)) if on < first => {
            let before = ParamError::NotInForce {
                name: by.to_string(),
                on,
                first,
                clause: params.get(by).map_or(String::new(), |p| p.clause.clone()),
            };
            match params.at(name, first) {
                Err(e @ ParamError::NotInForce { first: own, .. }) if own > first => Err(e),
                _ => Err(before),
            }
        }
        _ => params.at(name, on),
    }
}

/// Whether a line with month key `key` is due in this run: `None` when already paid;
/// `Some((seq, retry reason))` when new (seq 0), or payable again after a failed bank return
/// (seq = lines recorded so far).
pub fn due(history: &History, key: &str) -> Option<(u32, Option<String>)> {
    due_seen(history.seen(key))
}

/// `due` for instalment `no` of a loan (`History::instalment_seen`).
pub fn due_instalment(
    history: &History,
    loan: u128,
    no: u32,
    key: u128,
) -> Option<(u32, Option<String>)> {
    due_seen(history.instalment_seen(loan, no, key))
}

fn due_seen(seen: crate::ledger::Seen) -> Option<(u32, Option<String>)> {
    match seen {
        crate::ledger::Seen::New => Some((0, None)),
        crate::ledger::Seen::Failed(e) => {
            Some((e.lines, Some(e.failed.clone().unwrap_or_default())))
        }
        crate::ledger::Seen::Paid(_) => None,
    }
}

/// Every programme code this build implements, with the parameters it needs set.
pub const IMPLEMENTED: &[(&str, &[&[&str]])] = &[
    (si_hardship_hire::CODE, si_hardship_hire::PARAMS),
    (si_sme_graduate_hire::CODE, si_sme_graduate_hire::PARAMS),
    (si_redeployment::CODE, si_redeployment::PARAMS),
    (si_startup_founder::CODE, si_startup_founder::PARAMS),
    (si_hardship_flexible::CODE, si_hardship_flexible::PARAMS),
    (si_graduate_flexible::CODE, si_graduate_flexible::PARAMS),
    (public_welfare_post::CODE, public_welfare_post::PARAMS),
    (internship::BASE, internship::BASE_PARAMS),
    (internship::MENTOR, internship::MENTOR_PARAMS),
    (internship::RETENTION, internship::RETENTION_PARAMS),
    (loan_interest::CODE, loan_interest::PARAMS),
    (
        loan_default_compensation::CODE,
        loan_default_compensation::PARAMS,
    ),
];

/// The parameters a programme the pipeline lists (enabled or not) needs and the pipeline does
/// not declare: `(programme, parameter)`, in catalogue order — what `disburse pipelines` names,
/// so that a bureau knows what enabling it asks for before a run stops on it.
pub fn undeclared(p: &Pipeline) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    for (code, params) in IMPLEMENTED {
        if !p.programmes.contains_key(*code) {
            continue;
        }
        for name in params.iter().flat_map(|l| l.iter()) {
            if p.params.get(name).is_none() && !out.iter().any(|(_, n)| n == name) {
                out.push((*code, *name));
            }
        }
    }
    out
}

/// Parameters a programme reads where its pipeline declares them, and does without otherwise.
const OPTIONAL: &[&[&str]] = &[
    si_hardship_hire::OPTIONAL,
    si_hardship_flexible::OPTIONAL,
    si_graduate_flexible::OPTIONAL,
    si_startup_founder::OPTIONAL,
    loan_interest::OPTIONAL,
    loan_default_compensation::OPTIONAL,
    &[crate::registers::derive::GRADUATE_TECHNICIAN],
    &[internship::EARLIER_STANDARD],
];

#[derive(Debug, thiserror::Error)]
pub enum ProgrammeError {
    #[error("programme {0} is enabled in the pipeline but this version of disburse does not implement it")]
    NotImplemented(String),
    #[error("programme {programme} cannot run: {source}")]
    Param {
        programme: String,
        #[source]
        source: ParamError,
    },
    #[error("joining contributions failed: {0}")]
    Join(String),
    #[error("pipeline {0}: {1}")]
    Pipeline(String, String),
}

/// Every programme code of the catalogue (PROGRAMMES.md); a pipeline may list one that this
/// version does not implement yet, but not enable it.
pub const CATALOGUE: &[&str] = &[
    "si_hardship_hire",
    "si_hardship_flexible",
    "si_graduate_flexible",
    "si_sme_graduate_hire",
    "si_startup_founder",
    "si_redeployment",
    "public_welfare_post",
    "internship_base",
    "internship_mentor",
    "internship_retention",
    "loan_interest",
    "loan_default_compensation",
    "award_graduate_bulk_hire",
    "award_sme_local_graduate",
    "allowance_graduate_hardship",
    "startup_opening",
    "startup_job_creation",
    "stable_post_refund",
];

/// Parameters shared by several programmes.
const SHARED_PARAMS: &[&[&str]] = &[
    crate::registers::derive::HARDSHIP_PARAMS,
    crate::registers::derive::RETIREMENT_PARAMS,
    crate::registers::derive::GRADUATE_PARAMS,
    &[
        "internship.youth_min_age",
        "internship.youth_max_age",
        "internship.technician_graduates",
        "internship.youth_registered",
    ],
    // the pipeline's district and Jinan's （十三） standing of non-local persons
    &["local.region", LOCAL_SI, LOCAL_RESIDENCE],
];

/// Every parameter name a programme of `groups` reads.
fn names<'a>(groups: &'a [&'a [&'a str]]) -> impl Iterator<Item = &'a str> + 'a {
    groups.iter().flat_map(|g| g.iter().copied())
}

/// Prefixes of shared tables that programmes of later versions read (minimum wages, benchmark
/// lending rates, district targets, internship definitions). `local.` is not one: its three
/// names are known, and a misspelt one would silently leave a district or a standing unset.
const FORWARD_SHARED: &[&str] = &[
    "min_wage",
    "benchmark_rate.",
    "lpr.",
    "targets.",
    "internship.",
];

/// Every programme a funding source lists is in the catalogue, none is listed by two sources
/// (its lines would go into both banks' batches: paid twice), and every enabled programme is
/// paid by one (its lines would be recorded as paid and sent to no bank).
fn funding_sources(p: &Pipeline) -> Result<(), String> {
    let mut payer: BTreeMap<&str, &str> = BTreeMap::new();
    for f in &p.funding {
        for code in &f.programmes {
            if !CATALOGUE.contains(&code.as_str()) {
                return Err(format!(
                    "funding.{}.programmes names {code:?}, which is no programme (the catalogue: {})",
                    f.id,
                    CATALOGUE.join(", ")
                ));
            }
            if let Some(other) = payer.insert(code, &f.id) {
                if other != f.id {
                    return Err(format!(
                        "programme {code} is listed by two funding sources, {other} and {}: its lines would be sent to the bank twice (a pipeline that extends another restates the list it changes)",
                        f.id
                    ));
                }
            }
        }
    }
    for (code, spec) in &p.programmes {
        if spec.enabled && !payer.contains_key(code.as_str()) {
            return Err(format!(
                "programme {code} is enabled but no funding source lists it: its lines would reach no bank file (add it to a [funding.…] programmes list)"
            ));
        }
    }
    Ok(())
}

/// The first value of `param` that is neither 1 nor 0 (a 台账 entry's, a switch's).
fn neither_one_nor_zero(
    param: &crate::pipeline::params::Param,
) -> Option<&crate::pipeline::params::DatedValue> {
    param
        .values
        .iter()
        .find(|v| !(v.value.is_zero() || v.value == rust_decimal::Decimal::ONE))
}

/// Checks, before any input is read, that the pipeline names only known programmes and
/// parameters (a misspelt name would otherwise be silently ignored), that every enabled
/// programme is implemented and has its parameters set (a “published standard” left unset
/// stops the run here), and that no value is negative.
pub fn check_enabled(p: &Pipeline) -> Result<(), ProgrammeError> {
    let invalid = |m: String| ProgrammeError::Pipeline(p.name.clone(), m);
    for code in p.programmes.keys() {
        if !CATALOGUE.contains(&code.as_str()) {
            return Err(invalid(format!(
                "unknown programme {code:?} (the catalogue: {})",
                CATALOGUE.join(", ")
            )));
        }
    }
    companions(p, LOCAL_DEPENDS).map_err(invalid)?;
    for (name, param) in p.params.iter() {
        // a parameter of an implemented programme (or a shared one) must be one it reads; a
        // catalogue programme not implemented yet may declare its parameters ahead
        let prefix = name.split('.').next().unwrap_or("");
        let implemented = IMPLEMENTED.iter().any(|(c, _)| *c == prefix);
        let known = names(SHARED_PARAMS).any(|n| n == name)
            || names(OPTIONAL).any(|n| n == name)
            || IMPLEMENTED
                .iter()
                .any(|(_, ps)| names(ps).any(|n| n == name))
            || (!implemented && CATALOGUE.contains(&prefix))
            || FORWARD_SHARED.iter().any(|f| name.starts_with(f));
        // the bureau's 台账 of hardship and de-capacity enterprises: one entry per credit code
        let entry = name.strip_prefix(&si_redeployment::ledger_entry(""));
        if let Some(id) = entry {
            if let Err(e) = crate::domain::CreditCode::parse(id) {
                return Err(invalid(format!(
                    "parameter {name:?}: the 台账 entry names no enterprise ({e})"
                )));
            }
            if let Some(v) = neither_one_nor_zero(param) {
                return Err(invalid(format!(
                    "parameter {name:?}: a 台账 entry is 1 (on the ledger) or 0 (off it), not {} (from {})",
                    v.value, v.from
                )));
            }
        }
        // the bureau's findings of listed projects (Jiangyin （九）): one entry per borrower, a
        // switch (below) of a pipeline with the listed projects' cap
        let listed = name.strip_prefix(&loan_interest::listed_entry(""));
        if let Some(id) = listed {
            if crate::domain::ResidentId::parse(id).is_err()
                && crate::domain::CreditCode::parse(id).is_err()
            {
                return Err(invalid(format!(
                    "parameter {name:?}: a listed project's entry names no borrower (a resident ID or credit code with its check character)"
                )));
            }
            if p.params.get("loan_interest.max_principal_listed").is_none() {
                return Err(invalid(format!(
                    "parameter {name:?}: this pipeline has no listed projects' cap (loan_interest.max_principal_listed)"
                )));
            }
        }
        // the switches a pipeline may declare are 1 (on) or 0 (off): another value would be
        // read as off without a word
        let switches = [
            si_hardship_hire::ENTERPRISES_ONLY,
            si_hardship_hire::UNTIL_RETIREMENT,
            si_hardship_flexible::ONE_LIMIT,
            si_graduate_flexible::NEEDS_BOTH,
            si_startup_founder::STUDENTS,
            si_startup_founder::VETERANS,
            si_startup_founder::FARMERS,
            si_startup_founder::FIRST_ONLY,
            si_startup_founder::REGISTERED_UNEMPLOYED,
            loan_interest::WHOLE_MONTHS,
            loans::LPR_REFORM,
            crate::registers::derive::GRADUATE_TECHNICIAN,
            "internship.technician_graduates",
            "internship.youth_registered",
        ];
        if switches.contains(&name.as_str()) || listed.is_some() {
            // (declared without a value, a switch would stop a run only when its data comes,
            // or be read as off: a regression review)
            if param.values.is_empty() {
                return Err(invalid(format!(
                    "parameter {name:?} is declared without a value: give it 1 (on) or 0 (off), or leave it out"
                )));
            }
            if let Some(v) = neither_one_nor_zero(param) {
                return Err(invalid(format!(
                    "parameter {name:?} is 1 (on) or 0 (off), not {} (from {})",
                    v.value, v.from
                )));
            }
        }
        // parameters whose absence has a meaning — no district (every employer), a switch's
        // off, the cadres' age not read, no （十三） rule — declared without a value would be
        // read as absent without a word: refused (a contract-only review of 2026-12-06 found a
        // bureau's blank `local.region` pay employers outside its district, and a blank
        // `internship.youth_registered` pay unregistered youths: a switch, above)
        let read_as_absent = [
            "local.region",
            LOCAL_SI,
            LOCAL_RESIDENCE,
            crate::registers::derive::FEMALE_CADRE_AGE,
        ];
        if read_as_absent.contains(&name.as_str()) && param.values.is_empty() {
            return Err(invalid(format!(
                "parameter {name:?} is declared without a value: give it one, or leave it out (left out, the rule it sets is not applied)"
            )));
        }
        if !known && entry.is_none() && listed.is_none() {
            return Err(invalid(format!(
                "unknown parameter {name:?} (read by no programme of this version: misspelt?)"
            )));
        }
        if let Some(v) = param.values.iter().find(|v| v.value.is_sign_negative()) {
            return Err(invalid(format!(
                "parameter {name:?} has a negative value {} from {}",
                v.value, v.from
            )));
        }
        if let Some((v, why)) = param
            .values
            .iter()
            .find_map(|v| value_kind_error(name, v.value).map(|why| (v, why)))
        {
            return Err(invalid(format!(
                "parameter {name:?}: value {} from {}: {why}",
                v.value, v.from
            )));
        }
    }
    // per enabled programme, the parameters it reads that the pipeline does not define (each
    // named once, under the first programme reading it)
    let mut missing: Vec<(&str, Vec<&str>)> = Vec::new();
    // every unset published standard of the enabled programmes (a parameter once), said
    // together once no parameter is missing (until 2026-12-04 one a run: seven unset ages took
    // seven runs to find — a cold review)
    let mut unset: Vec<ProgrammeError> = Vec::new();
    let mut unset_names: Vec<&str> = Vec::new();
    for (code, spec) in &p.programmes {
        match (code.as_str(), spec.payee.as_deref()) {
            (_, None) | (loan_interest::CODE, Some("bank" | "borrower")) => {}
            (loan_interest::CODE, Some(other)) => {
                return Err(invalid(format!(
                    "programmes.{code}.payee {other:?}: \"bank\" (the lending bank) or \"borrower\""
                )))
            }
            (_, Some(_)) => {
                return Err(invalid(format!(
                    "programmes.{code}.payee: this programme's payee is fixed by its clause"
                )))
            }
        }
        if !spec.enabled {
            continue;
        }
        let Some((_, needs)) = IMPLEMENTED.iter().find(|(c, _)| c == code) else {
            return Err(ProgrammeError::NotImplemented(code.clone()));
        };
        if code == loan_interest::CODE {
            companions(p, loan_interest::DEPENDS).map_err(invalid)?;
        }
        // every parameter the pipeline does not define, of every enabled programme, named at
        // once (a bureau enabling programmes its document leaves to other rules adds them all
        // in one go: until 2026-12-03 the run named one a time, a cold review)
        let lacking: Vec<&str> = names(needs)
            .filter(|n| matches!(p.params.require_set(n), Err(ParamError::Missing(_))))
            .filter(|n| !missing.iter().any(|(_, m)| m.contains(n)))
            .collect();
        if !lacking.is_empty() {
            missing.push((code.as_str(), lacking));
            continue;
        }
        for n in names(needs) {
            if let Err(source) = p.params.require_set(n) {
                if !unset_names.contains(&n) {
                    unset_names.push(n);
                    unset.push(ProgrammeError::Param {
                        programme: code.clone(),
                        source,
                    });
                }
            }
        }
    }
    if missing.is_empty() && unset.len() == 1 {
        return Err(unset.remove(0));
    }
    if missing.is_empty() && !unset.is_empty() {
        let list: Vec<String> = unset.iter().map(ToString::to_string).collect();
        return Err(invalid(format!(
            "{} parameters the enabled programmes use are unset — {}",
            unset.len(),
            list.join("; ")
        )));
    }
    if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .map(|(c, v)| format!("{c}: {}", v.join(", ")))
            .collect();
        return Err(invalid(format!(
            "enabled programmes read parameters the pipeline does not define — {} — add each as [params.\"<name>\"] with clause = \"<the rule it comes from>\" and values = [{{ from = \"YYYY-MM-DD\", value = … }}] (docs/PIPELINES.md)",
            list.join("; ")
        )));
    }
    // (after the parameters: an unset published standard is the first thing to say)
    funding_sources(p).map_err(invalid)
}

/// What a parameter's value must be by the kind its name gives, checked when the pipeline is
/// loaded (before any input is read; a review found a share of 1.20 — or 70 typed for 70 % —
/// paying more than the employer paid, a fraction of a month found only when a row needed it,
/// a region of 4 digits matching no employer): a share or rate at most 1 (100 %); months,
/// years, ages, days, counts whole numbers; amounts in yuan to the fen; a region a 6-digit
/// division code.
fn value_kind_error(name: &str, v: rust_decimal::Decimal) -> Option<&'static str> {
    let last = name.rsplit('.').next().unwrap_or(name);
    let share = last == "share"
        || last.starts_with("share_")
        || last.ends_with("_share")
        || last.ends_with("_rate")
        || last.ends_with("_markup")
        // (the benchmark tables: 4.35 % is 0.0435)
        || name.starts_with("benchmark_rate.")
        || name.starts_with("lpr.");
    // (`min_wage` is an amount, not an age: the suffixes are whole words)
    let whole = [
        "_months",
        "_years",
        "_age",
        "_days",
        "_employees",
        "day_count",
        "_months_older",
    ]
    .iter()
    .any(|s| last.ends_with(s))
        || name.starts_with("targets.");
    let money = ["amount", "principal", "max_total", "min_wage"]
        .iter()
        .any(|s| last.contains(s));
    if share && v > rust_decimal::Decimal::ONE {
        Some("a share or rate is at most 1 (100 %): write 70 % as 0.70")
    } else if (whole || name == "local.region") && !v.fract().is_zero() {
        Some("must be a whole number")
    } else if money && v.normalize().scale() > 2 {
        Some("an amount in yuan has at most 2 decimals")
    } else if name == "local.region" && Region::of(v).is_none() {
        Some("a region is a 6-digit administrative division code (320509: a district) or a city's first 4 digits (3205: 苏州市, all its divisions)")
    } else {
        None
    }
}

/// A parameter error of programme `code`.
fn param_err(code: &str) -> impl FnOnce(ParamError) -> ProgrammeError {
    let code = code.to_string();
    move |source| ProgrammeError::Param {
        programme: code,
        source,
    }
}

/// What a `local.region` code names: a district (its 6-digit division code) or a
/// prefecture-level city (its first 4 digits: every division of it); `None` for any other value
/// (refused at load, `value_kind_error`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    District(u32),
    City(u32),
}

impl Region {
    fn of(code: rust_decimal::Decimal) -> Option<Region> {
        match rust_decimal::prelude::ToPrimitive::to_u32(&code) {
            Some(c @ 100_000..=999_999) => Some(Region::District(c)),
            Some(c @ 1_000..=9_999) => Some(Region::City(c)),
            _ => None,
        }
    }

    /// The pipeline's `local.region` as of the payout month's last day; `None` when it sets
    /// none (every employer is in).
    pub fn of_pipeline(params: &Params, payout: Month) -> Option<Region> {
        params
            .at_or_first("local.region", payout.last_day())
            .ok()
            .and_then(|r| Region::of(r.value))
    }

    /// Whether division `region` (6 digits, employers.csv) lies within this one: the same
    /// 6-digit code, or — a city's 4 digits (GB/T 2260: 2 digits of province, 2 of city, 2 of
    /// district) — any division of that city (3205: 320505 … 320585; 苏府〔2017〕158号 六、其他
    /// “本市……苏州市行政区域范围内”).
    pub fn contains(self, region: u32) -> bool {
        match self {
            Region::District(c) => region == c,
            Region::City(c) => region / 100 == c,
        }
    }
}

/// What a district pipeline (`local.region`) leaves to other districts' pipelines: the rows of
/// employers (contributions, internship hosts) and of loan borrowers outside its district,
/// which no programme of this pipeline looks at — counted for summary.json
/// (`outside_district`), not reported row by row (an extract of the whole city would flood the
/// exception report). `None` for a pipeline without a district.
pub fn outside_district(
    ctx: &Ctx,
    loans: &[crate::ingest::records::LoanRow],
) -> Option<serde_json::Value> {
    let region = ctx
        .params
        .at_or_first("local.region", ctx.payout.last_day())
        .ok()?;
    let inputs = ctx.inputs;
    let contributions = inputs
        .contributions
        .iter()
        .filter(|c| c.employer.is_some_and(|e| !ctx.in_region(e)))
        .count();
    let internships = inputs
        .internships
        .iter()
        .filter(|p| !ctx.in_region(p.host))
        .count();
    let scope = loans::Scope::new(ctx);
    let outside: Vec<&crate::ingest::records::LoanRow> = loans
        .iter()
        .filter(|r| !scope.contains(ctx, r.borrower))
        .collect();
    let mut ids: Vec<&str> = outside.iter().map(|r| r.loan_id.as_ref()).collect();
    ids.sort_unstable();
    ids.dedup();
    // individual borrowers the registers link to no district, whose loans the district pays
    // (said, so that a whole city's extract does not pay every such borrower unseen — a review;
    // not for a whole city's pipeline, `local.region` of 4 digits: the extract is its own)
    let district = matches!(Region::of(region.value), Some(Region::District(_)));
    let paid = district && ctx.pipeline.enabled(loan_interest::CODE).is_some();
    let mut unlinked: Vec<&str> = loans
        .iter()
        .filter(|r| paid && scope.unlinked(r.borrower))
        .map(|r| r.loan_id.as_ref())
        .collect();
    unlinked.sort_unstable();
    unlinked.dedup();
    Some(serde_json::json!({
        "region": region.value.to_string(),
        "contribution_rows": contributions,
        "internship_rows": internships,
        "loan_rows": outside.len(),
        "loans": ids.len(),
        "unlinked_individual_loans": unlinked.len(),
    }))
}

/// What the programmes' run leaves for the ledger of the persons' local standing, once every
/// programme has run (`run_others`, `run_loans`: `run::compute` runs them side by side): （十三）'s
/// rule is read by every programme of local persons (its parameter names it).
pub fn local_standing(ctx: &Ctx, out: &mut Outcome) -> Result<(), ProgrammeError> {
    out.first_applications
        .extend(ctx.local_si_seen().map_err(param_err(LOCAL_SI))?);
    let by_hukou = ctx.local_by_hukou(&out.payments);
    out.first_applications.extend(by_hukou);
    Ok(())
}

/// Programmes that pay one subsidy per person (and employer) and month between them, in
/// priority order (docs/POLICY.md “Exclusivity”): a month paid under one is paid under none
/// of the others.
pub const ONE_SUBSIDY_PER_MONTH: &[&[&str]] = &[
    &[
        si_hardship_hire::CODE,
        si_sme_graduate_hire::CODE,
        si_redeployment::CODE,
        si_startup_founder::CODE,
    ],
    &[si_hardship_flexible::CODE, si_graduate_flexible::CODE],
];

/// The programmes fed by contributions and internship rosters.
pub fn run_others(ctx: &Ctx) -> Result<Outcome, ProgrammeError> {
    let mut out = Outcome::default();

    // employer programmes fed by contributions, in priority order: one SI subsidy per
    // person, employer and month (docs/POLICY.md “Exclusivity”)
    let mut hires: Vec<&dyn hire::HireProgramme> = Vec::new();
    if ctx.pipeline.enabled(si_hardship_hire::CODE).is_some() {
        hires.push(&si_hardship_hire::SiHardshipHire);
    }
    if ctx.pipeline.enabled(si_sme_graduate_hire::CODE).is_some() {
        hires.push(&si_sme_graduate_hire::SiSmeGraduateHire);
    }
    if ctx.pipeline.enabled(si_redeployment::CODE).is_some() {
        // without a single 台账 entry there is no enterprise to pay
        let prefix = si_redeployment::ledger_entry("");
        if ctx.params.iter().any(|(n, _)| n.starts_with(&prefix)) {
            hires.push(&si_redeployment::SiRedeployment);
        } else {
            tracing::info!(
                "si_redeployment: no enterprise on the 台账 in this pipeline, nothing to pay"
            );
        }
    }
    // (a founder's own registration with the enterprise they founded, which the others leave)
    let founder = si_startup_founder::SiStartupFounder::default();
    if ctx.pipeline.enabled(si_startup_founder::CODE).is_some() {
        hires.push(&founder);
    }
    if !hires.is_empty() {
        out.extend(hire::run(ctx, &hires).map_err(|e| match e {
            hire::Error::Param(code, p) => param_err(code)(p),
            hire::Error::Join(j) => ProgrammeError::Join(j),
        })?);
        let mut first: FxHashMap<u32, Month> = FxHashMap::default();
        for p in &out.payments {
            if let (true, Party::Person(who), Some(m)) = (
                p.limit_group == si_hardship_hire::CODE,
                p.beneficiary,
                p.service_month,
            ) {
                let e = first.entry(who).or_insert(m);
                *e = (*e).min(m);
            }
        }
        let _ = ctx.hire_first.set(first);
        let own = out
            .payments
            .iter()
            .filter(|p| p.programme == si_startup_founder::CODE)
            .filter_map(|p| match (&p.payee, p.service_month) {
                (Payee::Person(who), Some(m)) => Some((*who, m)),
                _ => None,
            })
            .collect();
        let _ = ctx.founder_own_paid.set(own);
        let t = std::time::Instant::now();
        let (rows, kept) = hire::si_without_contract(ctx);
        out.exceptions.extend(rows);
        out.si_late_seen.extend(kept);
        tracing::debug!(
            elapsed_ms = t.elapsed().as_millis() as u64,
            "hire: SI without a contract looked for"
        );
    }

    // a post subsidy is paid beside an SI subsidy for the same month: its own pass
    if ctx.pipeline.enabled(public_welfare_post::CODE).is_some() {
        out.extend(
            hire::run(ctx, &[&public_welfare_post::PublicWelfarePost]).map_err(|e| match e {
                hire::Error::Param(code, p) => param_err(code)(p),
                hire::Error::Join(j) => ProgrammeError::Join(j),
            })?,
        );
    }

    let mut flex: Vec<&dyn flexible::FlexProgramme> = Vec::new();
    if ctx.pipeline.enabled(si_hardship_flexible::CODE).is_some() {
        flex.push(&si_hardship_flexible::SiHardshipFlexible);
    }
    if ctx.pipeline.enabled(si_graduate_flexible::CODE).is_some() {
        flex.push(&si_graduate_flexible::SiGraduateFlexible);
    }
    if !flex.is_empty() {
        out.extend(flexible::run(ctx, &flex).map_err(|e| match e {
            hire::Error::Param(code, p) => param_err(code)(p),
            hire::Error::Join(j) => ProgrammeError::Join(j),
        })?);
        flexible::employed_since(ctx, &flex, &mut out);
    }
    if ctx.pipeline.enabled(si_hardship_hire::CODE).is_some()
        && ctx.pipeline.enabled(si_hardship_flexible::CODE).is_some()
        && si_hardship_flexible::one_limit(ctx).map_err(param_err(si_hardship_flexible::CODE))?
    {
        si_hardship_flexible::one_limit_with_hires(ctx, &mut out)
            .map_err(param_err(si_hardship_flexible::CODE))?;
    }
    let (base, mentor, retention) = (
        ctx.pipeline.enabled(internship::BASE).is_some(),
        ctx.pipeline.enabled(internship::MENTOR).is_some(),
        ctx.pipeline.enabled(internship::RETENTION).is_some(),
    );
    if base || mentor || retention {
        out.extend(
            internship::run(ctx, base, mentor, retention)
                .map_err(|internship::Error(code, e)| param_err(code)(e))?,
        );
        hire::interns_employed_since(ctx, &mut out);
        if base {
            internship::not_due_since(ctx, &mut out);
        }
    }
    Ok(out)
}

/// The loan programmes, fed by the loan file's rows (`rows`; its rejected rows `rejects`).
pub fn run_loans(
    ctx: &Ctx,
    rows: &[crate::ingest::records::LoanRow],
    rejects: &[crate::exceptions::Exception],
) -> Result<Outcome, ProgrammeError> {
    let mut out = Outcome::default();
    let interest = ctx.pipeline.enabled(loan_interest::CODE).is_some();
    let default = ctx
        .pipeline
        .enabled(loan_default_compensation::CODE)
        .is_some();
    if interest || default {
        let code = if interest {
            loan_interest::CODE
        } else {
            loan_default_compensation::CODE
        };
        let t = std::time::Instant::now();
        let scope = loans::Scope::new(ctx);
        let loans::Book {
            loans: book,
            holds,
            held,
        } = loans::book(
            rows,
            &rejected_loan_lines(rejects),
            &ctx.inputs.registers,
            code,
            ctx.payout.last_day(),
            |r| scope.contains(ctx, r.borrower),
        );
        out.exceptions.extend(holds);
        tracing::debug!(
            loans = book.len(),
            elapsed_ms = t.elapsed().as_millis() as u64,
            "loans: book checked"
        );
        if interest {
            out.extend(
                loan_interest::run(ctx, &book, &held).map_err(param_err(loan_interest::CODE))?,
            );
            tracing::debug!(
                elapsed_ms = t.elapsed().as_millis() as u64,
                "loans: interest priced"
            );
        }
        if default {
            out.extend(
                loan_default_compensation::run(ctx, &book, &held)
                    .map_err(param_err(loan_default_compensation::CODE))?,
            );
            tracing::debug!(
                elapsed_ms = t.elapsed().as_millis() as u64,
                "loans: defaults judged"
            );
        }
    }
    Ok(out)
}

/// The loan file's rejected lines (of `rejects`), ascending (for the instalment-gap message).
fn rejected_loan_lines(rejects: &[crate::exceptions::Exception]) -> Vec<u32> {
    let mut lines: Vec<u32> = rejects
        .iter()
        .filter_map(|x| x.source.as_ref())
        .filter(|(f, _)| f == "loan_repayments.csv")
        .map(|&(_, l)| l)
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}

#[cfg(test)]
mod tests {
    use super::Region;
    use rust_decimal::Decimal;

    /// 苏府〔2017〕158号 六、其他 “苏州市行政区域范围内”: 3205 is 苏州市 — 吴江区 320509 and 张家港
    /// 320582 are in it, 江阴 320281 (无锡市) is not; 320509 as a district is itself only.
    #[test]
    fn a_city_code_holds_its_divisions_and_a_district_code_itself() {
        let city = Region::of(Decimal::from(3205)).unwrap();
        assert!(city.contains(320509));
        assert!(city.contains(320582));
        assert!(!city.contains(320281));
        let district = Region::of(Decimal::from(320509)).unwrap();
        assert!(district.contains(320509));
        assert!(!district.contains(320505));
        // neither a district's 6 digits nor a city's 4: refused at load (`value_kind_error`;
        // a fraction is refused there before this)
        assert_eq!(Region::of(Decimal::from(32)), None);
        assert_eq!(Region::of(Decimal::from(32050)), None);
    }
}
