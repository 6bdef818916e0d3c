//! Dated policy parameters, OpenFisca style: each parameter is a list of values keyed by the
//! date from which they apply, each with the clause it comes from.

use crate::domain::{parse_date, Date};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

#[derive(Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct RawParam {
    unit: Option<String>,
    clause: Option<String>,
    note: Option<String>,
    values: Option<Vec<RawValue>>,
    /// the clauses earlier files of the `extends` chain gave the parameter (not a key of the
    /// file): a value's source is none of them
    #[serde(skip)]
    inherited: Vec<String>,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
struct RawValue {
    from: String,
    value: toml::Value,
    clause: Option<String>,
}

/// `over`'s keys over `base`'s (a pipeline's parameter over the one of the file it extends).
/// Values set over inherited ones need their source: the parameter's clause restated, or a
/// clause on each value — else they would cite the text's clause, which quotes another figure
/// (a review found a bureau's 200 cited to “150元”).
pub(super) fn merge(name: &str, base: &mut RawParam, over: RawParam) -> Result<(), String> {
    // (said here, naming the file that has it: a review found the merged pipeline named)
    let empty = |c: &Option<String>| c.as_ref().is_some_and(|c| c.trim().is_empty());
    let parent_clause = base.clause.clone();
    if empty(&over.clause) {
        return Err(format!("parameter {name} has an empty clause"));
    }
    if let Some(v) = over.values.iter().flatten().find(|v| empty(&v.clause)) {
        return Err(format!(
            "parameter {name}: the value from {} has an empty clause",
            v.from
        ));
    }
    // (listed in date order, as a reader of the file takes them — `resolve` and `Params::at`
    // rely on it: a date out of order — 2018-01-01 after 2018-08-01, a typing error for 2021 —
    // was sorted in without a word until 2026-12-07 and priced the months between, a
    // contract-only review. Said here, naming the file that has it; a `from` of
    // `parse_date`'s fixed YYYY-MM-DD shape compares as text as the dates do, and one of
    // another shape is refused when resolved)
    if let Some(w) = over
        .values
        .as_deref()
        .unwrap_or_default()
        .windows(2)
        .find(|w| w[1].from < w[0].from)
    {
        return Err(format!(
            "parameter {name}: values must be listed in date order (the value from {} comes after the one from {})",
            w[1].from, w[0].from
        ));
    }
    // (a clause of an earlier file of the chain copied — the parent's, the grandparent's — is
    // no source of a new value: it quotes that file's figure; a review)
    let earlier = |c: &str| {
        base.clause
            .iter()
            .chain(&base.inherited)
            .any(|x| x.trim() == c.trim())
    };
    let restated = over.clause.as_deref().is_some_and(|c| !earlier(c));
    // a value without a clause of its own is sourced by a restated clause, or is one of the
    // parent's values repeated (same date, same value): a dated change added beside them
    let inherited_value = |v: &RawValue| {
        base.values
            .iter()
            .flatten()
            .any(|b| b.from == v.from && b.value == v.value)
    };
    // (a parameter the file it extends leaves unset — a published standard — is no exception:
    // its clause quotes no figure, and a bureau's value set without a source cited it; until
    // 2026-12-07 accepted, a contract-only review. A parameter no earlier file declares is
    // said to have no clause, when resolved.)
    if base.clause.is_some()
        && !restated
        && over
            .values
            .as_ref()
            .is_some_and(|vs| vs.iter().any(|v| v.clause.is_none() && !inherited_value(v)))
    {
        return Err(format!(
            "parameter {name}: values set over those of the pipeline it extends need their source — a clause on each value, or the parameter's clause restated"
        ));
    }
    if over.unit.is_some() {
        base.unit = over.unit;
    }
    if over.clause.is_some() {
        if let Some(c) = base.clause.take() {
            base.inherited.push(c);
        }
        base.clause = over.clause;
    }
    if over.note.is_some() {
        base.note = over.note;
    }
    if let Some(mut vs) = over.values {
        // (a parent's value repeated as it was keeps the parent's source: without it, it cited
        // the parameter's clause, which may quote another figure — a cold review)
        for v in vs.iter_mut().filter(|v| v.clause.is_none()) {
            v.clause = base
                .values
                .iter()
                .flatten()
                .find(|b| b.from == v.from && b.value == v.value)
                .and_then(|b| b.clause.clone().or_else(|| parent_clause.clone()));
        }
        base.values = Some(vs);
    }
    Ok(())
}

/// One dated value.
#[derive(Debug, Clone)]
pub struct DatedValue {
    pub from: Date,
    pub value: Decimal,
    pub clause: String,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub unit: String,
    pub clause: String,
    pub note: String,
    /// ascending by `from`
    pub values: Vec<DatedValue>,
}

impl Param {
    /// The clause of the value in force on `on` (the first value's before it; the parameter's
    /// own without values): a bureau's value cites its own source, not the file's.
    pub fn clause_at(&self, on: Date) -> &str {
        self.values
            .iter()
            .rev()
            .find(|v| v.from <= on)
            .or(self.values.first())
            .map_or(self.clause.as_str(), |v| v.clause.as_str())
    }
}

/// The parameter value a computation used: travels with each payment line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ParamRef {
    pub name: String,
    pub value: Decimal,
    pub from: Date,
}

impl fmt::Display for ParamRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let from = crate::domain::date::IsoDate(self.from);
        write!(f, "{}={}@{from}", self.name, self.value)
    }
}

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ParamError {
    #[error("parameter `{0}` is not defined in the pipeline (add it as [params.\"{0}\"] with clause = \"…\" and values = [{{ from = \"YYYY-MM-DD\", value = … }}])")]
    Missing(String),
    #[error("parameter `{name}` is unset ({note}; {clause}); set it in the pipeline (values = [{{ from = \"YYYY-MM-DD\", value = … }}]) for the programme to use it")]
    Unset {
        name: String,
        clause: String,
        note: String,
    },
    #[error("parameter `{name}` = {value} (from {from}) must be a whole number here (months, years, ages, days, people)")]
    NotWhole {
        name: String,
        value: Decimal,
        from: Date,
    },
    #[error("parameter `{name}` = {value} (from {from}) is out of range: {why}")]
    OutOfRange {
        name: String,
        value: Decimal,
        from: Date,
        why: &'static str,
    },
    #[error("parameter `{name}` has no value in force on {on} (first value from {first}); clause {clause}")]
    NotInForce {
        name: String,
        on: Date,
        first: Date,
        clause: String,
    },
}

/// The largest size a parameter's value may have.
const MAX_VALUE: i64 = 1_000_000_000_000;

#[derive(Debug, Default)]
pub struct Params(BTreeMap<String, Param>);

impl Params {
    pub(super) fn resolve(raw: BTreeMap<String, RawParam>) -> Result<Self, String> {
        let mut out = BTreeMap::new();
        for (name, p) in raw {
            let clause = p
                .clause
                .ok_or_else(|| format!("parameter {name} has no clause"))?;
            if clause.trim().is_empty() {
                return Err(format!("parameter {name} has an empty clause"));
            }
            let mut values = Vec::new();
            // (an empty clause on a value is refused by `merge`, which every file goes through,
            // naming the file)
            for v in p.values.unwrap_or_default() {
                let from =
                    parse_date(&v.from).map_err(|e| format!("parameter {name}: `from` {e}"))?;
                let value = match &v.value {
                    toml::Value::Integer(i) => Decimal::from(*i),
                    toml::Value::String(s) => Decimal::from_str(s)
                        .map_err(|e| format!("parameter {name}: value {s:?}: {e}"))?,
                    other => {
                        return Err(format!(
                            "parameter {name}: value {other} must be an integer or a decimal string such as \"0.70\" (no floats)"
                        ))
                    }
                };
                // (no parameter of these policies comes near it — the largest are principal
                // caps of 3000000 —; a value beyond it would overflow the exact arithmetic of
                // the amounts it multiplies: a review found a share of 1e26 panicking)
                if value.abs() > Decimal::from(MAX_VALUE) {
                    return Err(format!(
                        "parameter {name}: value {value} is out of range (at most {MAX_VALUE} in size)"
                    ));
                }
                values.push(DatedValue {
                    from,
                    value,
                    clause: v.clause.unwrap_or_else(|| clause.clone()),
                });
            }
            // (in date order: `merge`, which every file's lists pass, refused any other)
            if values.windows(2).any(|w| w[0].from == w[1].from) {
                return Err(format!(
                    "parameter {name} has two values from the same date"
                ));
            }
            out.insert(
                name,
                Param {
                    unit: p.unit.unwrap_or_default(),
                    clause,
                    note: p.note.unwrap_or_default(),
                    values,
                },
            );
        }
        Ok(Params(out))
    }

    pub fn get(&self, name: &str) -> Option<&Param> {
        self.0.get(name)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Param)> {
        self.0.iter()
    }

    /// The parameter, unless it is missing or has no value.
    pub fn require_set(&self, name: &str) -> Result<&Param, ParamError> {
        let p = self
            .0
            .get(name)
            .ok_or_else(|| ParamError::Missing(name.into()))?;
        if p.values.is_empty() {
            // (the note says why — a published standard —; a value emptied by a pipeline says
            // only that: a review found it told as the text's published standard where the
            // text states 150)
            return Err(ParamError::Unset {
                name: name.into(),
                clause: p.clause.clone(),
                note: if p.note.is_empty() {
                    "the pipeline gives it no value".into()
                } else {
                    p.note.clone()
                },
            });
        }
        Ok(p)
    }

    /// The date of a parameter's first value (where the rules it belongs to begin), if it has
    /// one.
    pub fn first_from(&self, name: &str) -> Option<Date> {
        self.0.get(name)?.values.first().map(|v| v.from)
    }

    /// Names of the parameters (set or not), in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// The value in force on `on`.
    pub fn at(&self, name: &str, on: Date) -> Result<ParamRef, ParamError> {
        let p = self.require_set(name)?;
        match p.values.iter().rev().find(|v| v.from <= on) {
            Some(v) => Ok(ParamRef {
                name: name.into(),
                value: v.value,
                from: v.from,
            }),
            None => Err(ParamError::NotInForce {
                name: name.into(),
                on,
                first: p.values[0].from,
                clause: p.clause.clone(),
            }),
        }
    }

    /// The value in force on `on`; for a date before the first value, the first value. Used
    /// for facts that predate the policy (a hire before its effective date), which the policy
    /// judges by its own definitions from then on (“此前有关规定与本意见不一致的，按本意见执行”).
    pub fn at_or_first(&self, name: &str, on: Date) -> Result<ParamRef, ParamError> {
        match self.at(name, on) {
            Err(ParamError::NotInForce { first, .. }) => self.at(name, first),
            r => r,
        }
    }

    /// A switch the pipeline may declare (1 on, 0 off; checked at load): the value in force on
    /// `on` when it is declared and on, else `None`.
    pub fn switch(&self, name: &str, on: Date) -> Result<Option<ParamRef>, ParamError> {
        if self.get(name).is_none() {
            return Ok(None);
        }
        let (v, r) = self.int_at_or_first(name, on)?;
        Ok((v == 1).then_some(r))
    }

    /// A switch that is off before its first date: the value in force on `on` when declared,
    /// in force and on, else `None` — for a finding about a fact (a bureau's listed project),
    /// which does not reach back to facts dated before it, as `switch`'s first value does.
    pub fn switch_from(&self, name: &str, on: Date) -> Result<Option<ParamRef>, ParamError> {
        if self.get(name).is_none() {
            return Ok(None);
        }
        match self.int_at(name, on) {
            Ok((v, r)) => Ok((v == 1).then_some(r)),
            Err(ParamError::NotInForce { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `at_or_first` as a whole number (ages, years).
    pub fn int_at_or_first(&self, name: &str, on: Date) -> Result<(i32, ParamRef), ParamError> {
        let r = self.at_or_first(name, on)?;
        Ok((whole(&r)?, r))
    }

    /// The value in force on `on` as a whole number (ages, months).
    pub fn int_at(&self, name: &str, on: Date) -> Result<(i32, ParamRef), ParamError> {
        let r = self.at(name, on)?;
        Ok((whole(&r)?, r))
    }
}

/// A whole-number parameter's value: 36.5 months is refused, not cut to 36 (a review found it
/// loaded and used as 36).
pub fn whole(r: &ParamRef) -> Result<i32, ParamError> {
    use rust_decimal::prelude::ToPrimitive;
    if !r.value.fract().is_zero() {
        return Err(ParamError::NotWhole {
            name: r.name.to_string(),
            value: r.value,
            from: r.from,
        });
    }
    r.value.to_i32().ok_or_else(|| ParamError::OutOfRange {
        name: r.name.to_string(),
        value: r.value,
        from: r.from,
        why: "too large for a count of months, years, ages, days or people",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // A whole-number parameter (months, years, ages) is refused with a fraction or beyond i32,
    // not cut (25.5 was used as 25, 36.5 as 36: two reviews).
    #[test]
    fn whole_numbers_are_whole() {
        let p = params(
            "[\"a\"]\nclause = \"c\"\nvalues = [{ from = \"2018-01-01\", value = \"25.5\" }]\n[\"b\"]\nclause = \"c\"\nvalues = [{ from = \"2018-01-01\", value = 25 }]\n[\"c\"]\nclause = \"c\"\nvalues = [{ from = \"2018-01-01\", value = \"100000000000\" }]\n",
        );
        let on = crate::domain::parse_date("2018-06-01").unwrap();
        assert!(matches!(
            p.int_at("a", on),
            Err(ParamError::NotWhole { .. })
        ));
        assert_eq!(p.int_at("b", on).map(|r| r.0).ok(), Some(25));
        assert!(matches!(
            p.int_at("c", on),
            Err(ParamError::OutOfRange { .. })
        ));
    }

    fn params(toml_text: &str) -> Params {
        let raw: BTreeMap<String, RawParam> = toml::from_str(toml_text).unwrap();
        Params::resolve(raw).unwrap()
    }

    #[test]
    fn value_in_force_by_date() {
        // Jiangsu class-I minimum wage: 2020 from 2018-08-01, 2280 from 2021-08-01 (INPUTS.md)
        let p = params(
            r#"
            [min_wage]
            clause = "苏政发〔2018〕82号"
            values = [{ from = "2018-08-01", value = 2020 }, { from = "2021-08-01", value = 2280 }]
            "#,
        );
        let d = |s| parse_date(s).unwrap();
        assert_eq!(
            p.at("min_wage", d("2018-08-01")).unwrap().value,
            Decimal::from(2020)
        );
        assert_eq!(
            p.at("min_wage", d("2021-07-31")).unwrap().value,
            Decimal::from(2020)
        );
        assert_eq!(
            p.at("min_wage", d("2021-08-01")).unwrap().value,
            Decimal::from(2280)
        );
        assert!(matches!(
            p.at("min_wage", d("2018-07-31")),
            Err(ParamError::NotInForce { .. })
        ));
    }

    #[test]
    fn unset_parameter_is_an_error_not_a_guess() {
        let p = params(
            r#"
            [flex_amount]
            clause = "（七）按照公布的定额标准"
            note = "published standard"
            values = []
            "#,
        );
        let err = p.require_set("flex_amount").unwrap_err();
        assert!(matches!(err, ParamError::Unset { .. }));
        assert!(err.to_string().contains("flex_amount"));
        assert!(matches!(p.require_set("nope"), Err(ParamError::Missing(_))));
    }

    #[test]
    fn floats_are_refused() {
        let raw: BTreeMap<String, RawParam> = toml::from_str(
            r#"
            [share]
            clause = "x"
            values = [{ from = "2018-01-01", value = 0.7 }]
            "#,
        )
        .unwrap();
        assert!(Params::resolve(raw).unwrap_err().contains("no floats"));
    }
}
