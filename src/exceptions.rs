//! The exception report: every input row not used and every amount not paid, with the reason.
//! Codes are stable; `docs/EXCEPTIONS.md` gives each one's meaning and the analyst's action.

use crate::domain::{CreditCode, Money, ResidentId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Reject,
    Hold,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Reject => "reject",
            Severity::Hold => "hold",
            Severity::Info => "info",
        }
    }
}

/// Stable exception codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    // rejects: the input row is not usable
    BadResidentId,
    BadCreditCode,
    BadDate,
    BadMonth,
    BadMoney,
    BadCode,
    BadNumber,
    BadEncoding,
    FieldCount,
    MissingValue,
    UnknownPerson,
    UnknownEmployer,
    DuplicateKey,
    // holds: payable, withheld for review
    PayeeNoAccount,
    PayeeNameNotEncodable,
    SiReversal,
    InternHold,
    LoanInconsistent,
    LoanInstalmentGap,
    LoanPrincipalExceeded,
    LoanAccrualOverlap,
    LoanInterestMismatch,
    LoanStandardUnset,
    // info: why a candidate row was not paid in this run
    SiUnpaid,
    SiZeroAmount,
    SiMonthAlreadySubsidised,
    NoLongerEligible,
    PostMonthAlreadyPaid,
    LoanZeroAmount,
    HoldOutstanding,
    SiPaidAfterPayoutMonth,
    ContractUnderOneYear,
    MonthOutsideContract,
    DurationLimitReached,
    RetirementAgeReached,
    FlexibleIncomplete,
    NotLocalHukou,
    NotRegisteredUnemployed,
    NoHardshipCategory,
    GraduateOutsideWindow,
    GraduationDateMissing,
    NotSmallMicroEmployer,
    NotAnEnterprise,
    EmployedDuringFlexibleMonth,
    NotRedeployed,
    NoRuleInForce,
    PaymentRetry,
    AcknowledgedPaidAgain,
    InternNotEligible,
    RetentionRateBelowMinimum,
    RetentionAwardReview,
    RetentionAlreadyAwarded,
    RetentionNotConfirmed,
    RetentionLeftEarly,
    RetentionYearOpen,
    FounderOwnEnterprise,
    FounderNotEligible,
    FounderSiNotCovered,
    InternMonthCounted,
    UnionpayLuhn,
    PayerAccountUnset,
    NoProgrammeForFile,
    ColumnAbsent,
    ColumnIgnored,
    LoanPaidLate,
    LoanUnpaid,
    LoanBeyondTerm,
    LoanNotEligible,
    LoanPrincipalCapped,
    LoanDefault,
    LoanDefaultReview,
    OutsideRegion,
    LoanReversal,
    LoanCapReview,
    LoanCorrectionReview,
    LoanCorrectionOwed,
    LoanCorrectionUnexplained,
    LoanCompensated,
    RerunLineNotRepeated,
    InternMonthEmployed,
    FlexibleMonthEmployed,
    InternLeftWithoutDate,
    InternNoMonth,
    InternMonthNotDue,
    MonthNotDue,
    MonthNotDueWithdrawn,
    MentorIsIntern,
    SiWithoutContract,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        use Code::*;
        match self {
            BadResidentId => "BAD_RESIDENT_ID",
            BadCreditCode => "BAD_CREDIT_CODE",
            BadDate => "BAD_DATE",
            BadMonth => "BAD_MONTH",
            BadMoney => "BAD_MONEY",
            BadCode => "BAD_CODE",
            BadNumber => "BAD_NUMBER",
            BadEncoding => "BAD_ENCODING",
            FieldCount => "FIELD_COUNT",
            MissingValue => "MISSING_VALUE",
            UnknownPerson => "UNKNOWN_PERSON",
            UnknownEmployer => "UNKNOWN_EMPLOYER",
            DuplicateKey => "DUPLICATE_KEY",
            PayeeNoAccount => "PAYEE_NO_ACCOUNT",
            PayeeNameNotEncodable => "PAYEE_NAME_NOT_ENCODABLE",
            SiReversal => "SI_REVERSAL",
            PaymentRetry => "PAYMENT_RETRY",
            AcknowledgedPaidAgain => "ACKNOWLEDGED_PAID_AGAIN",
            InternHold => "INTERN_HOLD",
            InternNotEligible => "INTERN_NOT_ELIGIBLE",
            RetentionRateBelowMinimum => "RETENTION_RATE_BELOW_MINIMUM",
            RetentionAwardReview => "RETENTION_AWARD_REVIEW",
            RetentionAlreadyAwarded => "RETENTION_ALREADY_AWARDED",
            RetentionNotConfirmed => "RETENTION_NOT_CONFIRMED",
            RetentionLeftEarly => "RETENTION_LEFT_EARLY",
            RetentionYearOpen => "RETENTION_YEAR_OPEN",
            FounderOwnEnterprise => "FOUNDER_OWN_ENTERPRISE",
            FounderNotEligible => "FOUNDER_NOT_ELIGIBLE",
            FounderSiNotCovered => "FOUNDER_SI_NOT_COVERED",
            InternMonthCounted => "INTERN_MONTH_ALREADY_COUNTED",
            UnionpayLuhn => "UNIONPAY_LUHN",
            PayerAccountUnset => "PAYER_ACCOUNT_UNSET",
            NoProgrammeForFile => "NO_PROGRAMME_FOR_FILE",
            ColumnAbsent => "COLUMN_ABSENT",
            ColumnIgnored => "COLUMN_IGNORED",
            LoanInconsistent => "LOAN_INCONSISTENT",
            LoanInstalmentGap => "LOAN_INSTALMENT_GAP",
            LoanPrincipalExceeded => "LOAN_PRINCIPAL_EXCEEDED",
            LoanAccrualOverlap => "LOAN_ACCRUAL_OVERLAP",
            LoanInterestMismatch => "LOAN_INTEREST_MISMATCH",
            LoanStandardUnset => "LOAN_STANDARD_UNSET",
            LoanPaidLate => "LOAN_PAID_LATE",
            LoanUnpaid => "LOAN_UNPAID",
            LoanBeyondTerm => "LOAN_BEYOND_TERM",
            LoanNotEligible => "LOAN_NOT_ELIGIBLE",
            LoanPrincipalCapped => "LOAN_PRINCIPAL_CAPPED",
            LoanDefault => "LOAN_DEFAULT",
            LoanDefaultReview => "LOAN_DEFAULT_REVIEW",
            OutsideRegion => "OUTSIDE_REGION",
            LoanReversal => "LOAN_REVERSAL",
            LoanCapReview => "LOAN_CAP_REVIEW",
            LoanCorrectionReview => "LOAN_CORRECTION_REVIEW",
            LoanCorrectionOwed => "LOAN_CORRECTION_OWED",
            LoanCorrectionUnexplained => "LOAN_CORRECTION_UNEXPLAINED",
            LoanCompensated => "LOAN_COMPENSATED",
            RerunLineNotRepeated => "RERUN_LINE_NOT_REPEATED",
            InternMonthEmployed => "INTERN_MONTH_EMPLOYED",
            FlexibleMonthEmployed => "FLEXIBLE_MONTH_EMPLOYED",
            InternLeftWithoutDate => "INTERN_LEFT_WITHOUT_DATE",
            InternNoMonth => "INTERN_NO_MONTH",
            InternMonthNotDue => "INTERN_MONTH_NOT_DUE",
            MonthNotDue => "MONTH_NOT_DUE",
            MonthNotDueWithdrawn => "MONTH_NOT_DUE_WITHDRAWN",
            MentorIsIntern => "MENTOR_IS_INTERN",
            SiWithoutContract => "SI_WITHOUT_CONTRACT",
            SiUnpaid => "SI_UNPAID",
            SiZeroAmount => "SI_ZERO_AMOUNT",
            SiMonthAlreadySubsidised => "SI_MONTH_ALREADY_SUBSIDISED",
            NoLongerEligible => "NO_LONGER_ELIGIBLE",
            PostMonthAlreadyPaid => "POST_MONTH_ALREADY_PAID",
            LoanZeroAmount => "LOAN_ZERO_AMOUNT",
            HoldOutstanding => "HOLD_OUTSTANDING",
            SiPaidAfterPayoutMonth => "SI_PAID_AFTER_PAYOUT_MONTH",
            ContractUnderOneYear => "CONTRACT_UNDER_ONE_YEAR",
            MonthOutsideContract => "MONTH_OUTSIDE_CONTRACT",
            DurationLimitReached => "DURATION_LIMIT_REACHED",
            RetirementAgeReached => "RETIREMENT_AGE_REACHED",
            FlexibleIncomplete => "FLEXIBLE_INCOMPLETE",
            NotLocalHukou => "NOT_LOCAL_HUKOU",
            NotRegisteredUnemployed => "NOT_REGISTERED_UNEMPLOYED",
            NoHardshipCategory => "NO_HARDSHIP_CATEGORY",
            GraduateOutsideWindow => "GRADUATE_OUTSIDE_WINDOW",
            GraduationDateMissing => "GRADUATION_DATE_MISSING",
            NotSmallMicroEmployer => "NOT_SMALL_MICRO_EMPLOYER",
            NotAnEnterprise => "NOT_AN_ENTERPRISE",
            EmployedDuringFlexibleMonth => "EMPLOYED_DURING_FLEXIBLE_MONTH",
            NotRedeployed => "NOT_REDEPLOYED",
            NoRuleInForce => "NO_RULE_IN_FORCE",
        }
    }

    pub fn severity(self) -> Severity {
        use Code::*;
        match self {
            BadResidentId | BadCreditCode | BadDate | BadMonth | BadMoney | BadCode | BadNumber
            | BadEncoding | FieldCount | MissingValue | UnknownPerson | UnknownEmployer
            | DuplicateKey => Severity::Reject,
            PayeeNoAccount
            | PayeeNameNotEncodable
            | HoldOutstanding
            | SiReversal
            | LoanReversal
            | LoanCapReview
            | LoanCorrectionReview
            | LoanCorrectionOwed
            | LoanCompensated
            | LoanDefaultReview
            | InternMonthEmployed
            | InternMonthNotDue
            | MonthNotDue
            | FlexibleMonthEmployed
            | RetentionAwardReview
            | InternHold
            | LoanInconsistent
            | LoanInstalmentGap
            | LoanPrincipalExceeded
            | LoanAccrualOverlap
            | LoanInterestMismatch
            | LoanStandardUnset => Severity::Hold,
            _ => Severity::Info,
        }
    }
}

/// One row of `exceptions.csv`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Exception {
    pub severity: Severity,
    pub code: Code,
    /// input file name and physical line (header = 1)
    pub source: Option<(String, u32)>,
    pub programme: Option<&'static str>,
    pub person: Option<ResidentId>,
    pub employer: Option<CreditCode>,
    pub amount: Option<Money>,
    pub message: String,
    /// the payment id of the line this row accompanies (a `PAYMENT_RETRY` row): not written,
    /// it lets the run add to the row what it learns of the line later
    pub line: Option<String>,
    /// a subsidy an earlier run paid that this row asks to recover (`Recover`): not written,
    /// the run looks its lines up in the ledger for the row's amount
    pub recover: Option<Box<Recover>>,
    /// the service month a rejected contributions row names, where it reads (`Row::identify`):
    /// not written; a month paid only in full (足额) waits on it (`Inputs::unreadable`)
    pub period: Option<crate::domain::Month>,
}

/// What a row asks to recover: a subsidy an earlier run paid that a correction shows was not
/// due (`LOAN_REVERSAL`). The run looks up in the ledger the lines paid under `ids` — a
/// month's first payment id and its retries', in order (`Ledger::paid_under`) — and ends the
/// message with what they paid (the lines not returned as failed), the line and its payee, to
/// recover it from; that is the row's amount. `from` names the payee where no line is found.
/// (Until 2026-12-05 the amount was the subsidy priced again on the corrected rows — a
/// differential review found a rate corrected since show the new figure.)
///
/// `keep` is what stands of it (`LOAN_CAP_REVIEW`: the subsidy priced now; zero for a
/// reversal): the row's amount is what was paid less that, and a row whose lines paid no more
/// than it is dropped.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Recover {
    pub ids: Vec<String>,
    pub from: String,
    pub keep: Money,
    /// an earlier run's `SI_REVERSAL` asked part of the lines' amount back already: the row
    /// names what they paid and asks for the rest, without an amount of its own (it would count
    /// that part twice in `clawback_for_review`)
    pub after_reversal: bool,
    /// lines that paid less than `keep` are said too, as owed the difference
    /// (`LOAN_CORRECTION_OWED`: a bank's correction raised the price of a paid instalment)
    pub owed_short: bool,
    /// `keep` is no price but the bank's figure, which no day count explains: lines that paid
    /// no more than it are said too, with nothing to recover (`LOAN_CORRECTION_UNEXPLAINED`,
    /// info: the bank changed a row the ledger paid, and the analyst asks the bank why)
    pub unexplained: bool,
    /// `keep` by the payout month of the run that paid the (last) line, where the price depends
    /// on it (a compensation: the principal outstanding at the end of that month): the value
    /// of the last step not after that month, else the first's; empty = `keep`
    pub keep_by_month: Vec<(crate::domain::Month, Money)>,
}

impl Recover {
    /// What the lines may keep when the last of them was paid by the run of `paid_in`.
    pub fn keep_for(&self, paid_in: Option<crate::domain::Month>) -> Money {
        let Some(first) = self.keep_by_month.first() else {
            return self.keep;
        };
        paid_in
            .and_then(|m| self.keep_by_month.iter().rev().find(|(s, _)| *s <= m))
            .unwrap_or(first)
            .1
    }
}

impl Exception {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Exception {
            severity: code.severity(),
            code,
            source: None,
            programme: None,
            person: None,
            employer: None,
            amount: None,
            message: message.into(),
            line: None,
            recover: None,
            period: None,
        }
    }

    /// The row accompanies the line `payment_id`.
    pub fn for_line(mut self, payment_id: &str) -> Self {
        self.line = Some(payment_id.to_string());
        self
    }

    pub fn at(mut self, file: &str, line: u32) -> Self {
        self.source = Some((file.to_string(), line));
        self
    }

    /// At the first row a payment line's source names (`contributions.csv:12-16`,
    /// `contributions.csv:2-3,5-6`, `internships.csv:4`: the file at its first line); a source
    /// of another shape leaves the row without one.
    pub fn at_source(self, source: &str) -> Self {
        let first = source.split_once(':').and_then(|(file, lines)| {
            let digits = lines.split(|c: char| !c.is_ascii_digit()).next()?;
            Some((file, digits.parse::<u32>().ok()?))
        });
        match first {
            Some((file, line)) => self.at(file, line),
            None => self,
        }
    }

    pub fn programme(mut self, p: &'static str) -> Self {
        self.programme = Some(p);
        self
    }

    pub fn person(mut self, p: ResidentId) -> Self {
        self.person = Some(p);
        self
    }

    pub fn employer(mut self, e: CreditCode) -> Self {
        self.employer = Some(e);
        self
    }

    pub fn amount(mut self, a: Money) -> Self {
        self.amount = Some(a);
        self
    }

    /// The row asks to recover what the lines `ids` paid (`Recover`).
    pub fn recover(self, ids: Vec<String>, from: String) -> Self {
        self.recover_beyond(ids, from, Money::ZERO)
    }

    /// The row asks to recover what the lines `ids` paid beyond `keep` (`Recover`).
    pub fn recover_beyond(mut self, ids: Vec<String>, from: String, keep: Money) -> Self {
        self.recover = Some(Box::new(Recover {
            ids,
            from,
            keep,
            after_reversal: false,
            owed_short: false,
            unexplained: false,
            keep_by_month: Vec::new(),
        }));
        self
    }

    /// The row asks to recover what the lines `ids` paid beyond what they may keep by the
    /// month their run paid them (`Recover::keep_by_month`: ascending steps, not empty).
    pub fn recover_beyond_by_month(
        mut self,
        ids: Vec<String>,
        from: String,
        steps: Vec<(crate::domain::Month, Money)>,
    ) -> Self {
        self.recover = Some(Box::new(Recover {
            ids,
            from,
            keep: steps.first().map_or(Money::ZERO, |s| s.1),
            after_reversal: false,
            owed_short: false,
            unexplained: false,
            keep_by_month: steps,
        }));
        self
    }

    /// A row asking to recover what lines paid beyond `keep` (`recover_beyond`), `keep` being
    /// the bank's unexplained figure, is said also where they paid no more
    /// (`Recover::unexplained`).
    pub fn unexplained(mut self) -> Self {
        if let Some(r) = self.recover.as_mut() {
            r.unexplained = true;
        }
        self
    }

    /// A row asking to recover what lines paid beyond `keep` (`recover_beyond`) also says what
    /// they paid short of it is owed (`Recover::owed_short`).
    pub fn owed_short(mut self) -> Self {
        if let Some(r) = self.recover.as_mut() {
            r.owed_short = true;
        }
        self
    }

    /// The row asks to recover what the lines `ids` paid less what an earlier `SI_REVERSAL`
    /// of the month asked back (`Recover::after_reversal`).
    pub fn recover_after_reversal(mut self, ids: Vec<String>, from: String) -> Self {
        self.recover = Some(Box::new(Recover {
            ids,
            from,
            keep: Money::ZERO,
            after_reversal: true,
            owed_short: false,
            unexplained: false,
            keep_by_month: Vec::new(),
        }));
        self
    }

    /// `file:line`, or empty.
    pub fn source_str(&self) -> String {
        self.source
            .as_ref()
            .map(|(f, l)| format!("{f}:{l}"))
            .unwrap_or_default()
    }
}
