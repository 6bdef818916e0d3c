//! Pipeline files (`pipelines/*.toml`): which programmes a city runs, the clause each one cites,
//! how its input files are read, and every policy parameter with effective dates and sources.
//!
//! The format is documented in `docs/PIPELINES.md`. A pipeline may `extends = "suzhou"` another
//! one and override single programmes or parameters: that is how a bureau sets a "published
//! standard" that the policy text leaves open, without editing the shipped file.

pub mod params;

pub use params::{ParamError, ParamRef, Params};

use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Pipelines shipped inside the binary, so that `--pipeline suzhou` works from any directory.
const BUILTIN: &[(&str, &str)] = &[
    ("suzhou", include_str!("../../pipelines/suzhou.toml")),
    ("wujiang", include_str!("../../pipelines/wujiang.toml")),
    ("jiangyin", include_str!("../../pipelines/jiangyin.toml")),
    ("songyuan", include_str!("../../pipelines/songyuan.toml")),
    ("jinan", include_str!("../../pipelines/jinan.toml")),
];

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("pipeline {0:?} not found: neither a file nor one of the built-in pipelines ({1})")]
    NotFound(String, String),
    #[error("cannot read pipeline file {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("pipeline {0} is not valid: {1}")]
    Syntax(String, String),
    #[error("pipeline {0}: {1}")]
    Invalid(String, String),
    #[error("pipeline {0} extends itself (cycle through {1})")]
    Cycle(String, String),
}

#[derive(Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawPipeline {
    name: Option<String>,
    title: Option<String>,
    document: Option<String>,
    extends: Option<String>,
    #[serde(default)]
    input: RawInput,
    #[serde(default)]
    programmes: BTreeMap<String, RawProgramme>,
    #[serde(default)]
    params: BTreeMap<String, params::RawParam>,
    #[serde(default)]
    funding: BTreeMap<String, RawFunding>,
    #[serde(default)]
    bank: RawBank,
}

#[derive(Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawBank {
    flat: Option<RawFlat>,
}

/// `[bank.flat]` as written: each key may be left to the file it `extends` (or to the default
/// layout) — a bureau's pipeline setting only `encoding = "gb18030"`, as PAYEE_NAME_NOT_ENCODABLE
/// advises, was refused for the keys it did not repeat (a review).
#[derive(Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawFlat {
    encoding: Option<String>,
    delimiter: Option<String>,
    header: Option<bool>,
    header_labels: Option<Vec<String>>,
    columns: Option<Vec<String>>,
    control_label: Option<String>,
    extension: Option<String>,
}

impl RawFlat {
    /// `over`'s keys over `self`'s.
    fn merge(&mut self, over: RawFlat) {
        macro_rules! take {
            ($($f:ident),*) => { $( if over.$f.is_some() { self.$f = over.$f; } )* };
        }
        take!(
            encoding,
            delimiter,
            header,
            header_labels,
            columns,
            control_label,
            extension
        );
    }

    /// The layout: the keys given, the default layout's for the others.
    fn layout(self) -> FlatLayout {
        let d = FlatLayout::default();
        FlatLayout {
            encoding: self.encoding.unwrap_or(d.encoding),
            delimiter: self.delimiter.unwrap_or(d.delimiter),
            header: self.header.unwrap_or(d.header),
            header_labels: self.header_labels.unwrap_or(d.header_labels),
            columns: self.columns.unwrap_or(d.columns),
            control_label: self.control_label.unwrap_or(d.control_label),
            extension: self.extension.unwrap_or(d.extension),
        }
    }
}

/// Layout of the flat bank batch file (代发文件), set per bank in the pipeline.
#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FlatLayout {
    /// `utf-8`, `gbk` or `gb18030`
    pub encoding: String,
    /// one character, e.g. `,` or `|`
    pub delimiter: String,
    /// whether the first line names the columns
    pub header: bool,
    /// the header's titles, one per column, in the bank's words (序号, 账号, 户名 …); empty:
    /// the column codes
    #[serde(default)]
    pub header_labels: Vec<String>,
    /// columns in order, from: seq, payment_id, account_no, payee_name, amount, bank_code,
    /// payee_id, programme, service_month, remark
    pub columns: Vec<String>,
    /// last line `<control_label><delimiter><count><delimiter><total>`
    pub control_label: String,
    /// file name extension, e.g. `csv` or `txt`
    pub extension: String,
}

impl Default for FlatLayout {
    fn default() -> Self {
        FlatLayout {
            encoding: "utf-8".into(),
            delimiter: ",".into(),
            header: true,
            header_labels: Vec::new(),
            columns: [
                "seq",
                "account_no",
                "payee_name",
                "amount",
                "bank_code",
                "payment_id",
                "remark",
            ]
            .map(String::from)
            .to_vec(),
            control_label: "TOTAL".into(),
            extension: "csv".into(),
        }
    }
}

/// Column names a flat layout may use.
pub const FLAT_COLUMNS: &[&str] = &[
    "seq",
    "payment_id",
    "account_no",
    "payee_name",
    "amount",
    "bank_code",
    "payee_id",
    "programme",
    "service_month",
    "remark",
];

/// A payer account (funding source) and the programmes it pays.
#[derive(Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawFunding {
    name: Option<String>,
    account: Option<String>,
    bank_code: Option<String>,
    programmes: Option<Vec<String>>,
}

/// A funding source (资金来源): the payer of a bank batch.
#[derive(Clone, Debug)]
pub struct Funding {
    pub id: String,
    pub name: String,
    /// payer account and its bank's 12-digit CNAPS code; unset until the bureau sets them
    pub account: Option<String>,
    pub bank_code: Option<String>,
    pub programmes: Vec<String>,
}

#[derive(Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawInput {
    encoding: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    files: BTreeMap<String, RawFile>,
}

#[derive(Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawFile {
    encoding: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
}

#[derive(Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawProgramme {
    enabled: Option<bool>,
    clause: Option<String>,
    payee: Option<String>,
}

/// How to decode an input file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// BOM → UTF-8; valid UTF-8 → UTF-8; otherwise GB18030 (a superset of GBK).
    Auto,
    Utf8,
    Gb18030,
}

impl Encoding {
    /// The encoding a pipeline names (`auto`, `utf-8`, `gbk`, `gb18030`, `gb2312`).
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Some(Encoding::Auto),
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "gbk" | "gb18030" | "gb2312" => Some(Encoding::Gb18030),
            _ => None,
        }
    }
}

/// Reading instructions for one input file.
#[derive(Clone, Debug)]
pub struct FileSpec {
    pub encoding: Encoding,
    /// header as found in the file → canonical column name
    pub headers: BTreeMap<String, String>,
}

/// A programme as enabled in a pipeline.
#[derive(Clone, Debug)]
pub struct ProgrammeSpec {
    pub enabled: bool,
    pub clause: String,
    /// who is paid, where a programme lets the pipeline choose (`loan_interest`: `bank` — the
    /// default, the lending bank as INPUTS.md says — or `borrower`)
    pub payee: Option<String>,
}

/// A fully resolved pipeline (after `extends`).
#[derive(Debug)]
pub struct Pipeline {
    pub name: String,
    pub title: String,
    pub document: String,
    pub programmes: BTreeMap<String, ProgrammeSpec>,
    pub params: Params,
    /// funding sources by id
    pub funding: Vec<Funding>,
    /// layout of the flat bank file
    pub flat: FlatLayout,
    encoding: Encoding,
    headers: BTreeMap<String, String>,
    files: BTreeMap<String, RawFile>,
    /// every file of the `extends` chain, base first, with its text
    pub sources: Vec<(String, String)>,
}

impl Pipeline {
    /// Loads `--pipeline` as given: a path (contains `/` or ends in `.toml`), else a name looked
    /// up as `pipelines/<name>.toml` under the current directory, else a built-in pipeline.
    pub fn load(spec: &str) -> Result<Self, PipelineError> {
        let mut chain = Vec::new();
        let mut next = Some(spec.to_string());
        // the folder of the file being extended: a relative path in its `extends` is read
        // from there, not from the current directory
        let mut from: Option<PathBuf> = None;
        while let Some(s) = next {
            let s = match &from {
                Some(dir) if looks_like_path(&s) && Path::new(&s).is_relative() => {
                    dir.join(&s).display().to_string()
                }
                _ => s,
            };
            // one spelling of a path (`./a/b.toml` is `a/b.toml`): the manifest names it so
            let s = if looks_like_path(&s) { lexical(&s) } else { s };
            from = looks_like_path(&s)
                .then(|| Path::new(&s).parent().map(Path::to_path_buf))
                .flatten();
            let (origin, text) = locate(&s)?;
            let origin =
                if origin.starts_with("builtin:") || !s.ends_with(".toml") && !s.contains('/') {
                    s.clone()
                } else {
                    origin
                };
            if chain
                .iter()
                .any(|(o, _, _): &(String, String, RawPipeline)| *o == origin)
            {
                return Err(PipelineError::Cycle(spec.into(), origin));
            }
            let raw: RawPipeline = toml::from_str(&text)
                // (the parser quotes the offending line: a payer account written there is masked —
                // no account number in full in a message or a log)
                .map_err(|e| {
                    PipelineError::Syntax(
                        origin.clone(),
                        crate::outputs::payments::mask_numbers(&e.to_string()),
                    )
                })?;
            next = raw.extends.clone();
            chain.push((origin, text, raw));
        }
        chain.reverse();
        let mut merged = RawPipeline::default();
        let mut sources = Vec::new();
        for (origin, text, raw) in chain {
            merge(&mut merged, raw).map_err(|m| PipelineError::Invalid(origin.clone(), m))?;
            sources.push((origin, text));
        }
        Self::resolve(merged, sources)
    }

    fn resolve(raw: RawPipeline, sources: Vec<(String, String)>) -> Result<Self, PipelineError> {
        let name = raw
            .name
            .ok_or_else(|| PipelineError::Invalid("?".into(), "no `name`".into()))?;
        let invalid = |m: String| PipelineError::Invalid(name.clone(), m);
        if !plain_name(&name, &['_', '-']) {
            return Err(invalid(format!(
                "pipeline name {name:?}: letters, digits, '_' and '-' only (it names output files; the ledger keys its history by it: a renamed pipeline starts a new history, so rename only with a new ledger)"
            )));
        }
        if let Some(id) = raw.funding.keys().find(|id| !plain_name(id, &['_'])) {
            return Err(invalid(format!(
                "funding source id {id:?}: letters, digits and '_' only (it names bank files)"
            )));
        }
        let encoding = match raw.input.encoding.as_deref() {
            None => Encoding::Auto,
            Some(e) => {
                Encoding::parse(e).ok_or_else(|| invalid(format!("unknown encoding {e:?}")))?
            }
        };
        for (f, spec) in &raw.input.files {
            if let Some(e) = &spec.encoding {
                Encoding::parse(e)
                    .ok_or_else(|| invalid(format!("input.files.{f}: unknown encoding {e:?}")))?;
            }
        }
        let mut programmes = BTreeMap::new();
        for (code, p) in raw.programmes {
            // (a misspelt name is said as such, not as a programme without a clause: a review)
            if !crate::programmes::CATALOGUE.contains(&code.as_str()) {
                return Err(invalid(format!(
                    "unknown programme {code:?} (the catalogue: {})",
                    crate::programmes::CATALOGUE.join(", ")
                )));
            }
            // (a programme the pipeline's text gives no terms for — Suzhou's, so Wujiang's,
            // public-welfare post wage subsidy — reaches here enabled without a clause: said
            // as such, and whether this version implements it; “has no clause” alone named
            // neither, a review)
            let clause = p.clause.ok_or_else(|| {
                let implemented = crate::programmes::IMPLEMENTED
                    .iter()
                    .any(|(c, _)| *c == code.as_str());
                invalid(if implemented {
                    format!(
                        "programme {code} has no clause: the pipeline does not declare it (its text gives it no terms here); a bureau enabling it declares the clause it rests on and sets its parameters"
                    )
                } else {
                    format!(
                        "programme {code} has no clause: the pipeline does not declare it, and this version of disburse does not implement it"
                    )
                })
            })?;
            // (the clause every line of the programme cites, OUTPUTS.md: an empty one is refused
            // as a parameter's is — until 2026-12-07 it was let through and the lines went out
            // citing nothing, a contract-only review)
            if clause.trim().is_empty() {
                return Err(invalid(format!("programme {code} has an empty clause")));
            }
            programmes.insert(
                code,
                ProgrammeSpec {
                    enabled: p.enabled.unwrap_or(false),
                    clause,
                    payee: p.payee,
                },
            );
        }
        let params = Params::resolve(raw.params).map_err(invalid)?;
        let flat = raw.bank.flat.map(RawFlat::layout).unwrap_or_default();
        if flat.delimiter.chars().count() != 1 || !flat.delimiter.is_ascii() {
            return Err(invalid(
                "bank.flat.delimiter must be one ASCII character".into(),
            ));
        }
        // a delimiter that can occur inside a value (an amount's point, a digit, a letter of a
        // credit code, a quote) makes the bank's line ambiguous: a 代发 import reads no quoting
        if flat.delimiter.chars().any(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '.' | '-' | '_' | '+' | '"' | ' ' | '\n' | '\r' | '?')
                || (c.is_ascii_control() && c != '\t')
        }) {
            // (`?` too: a remark writes it for a character the file cannot carry — a review
            // found a loan id with a quote stop the run; a NUL or DEL no import reads)
            return Err(invalid(format!(
                "bank.flat.delimiter {:?} can occur inside a value (amounts, dates, ids, a remark's `?` for a character the file cannot carry): choose a separator such as , | ; or a tab",
                flat.delimiter
            )));
        }
        if flat.control_label.trim().is_empty()
            || flat.control_label.chars().any(|c| {
                c.is_ascii_digit() || c.is_control() || flat.delimiter.contains(c) || c == '"'
            })
        {
            return Err(invalid(format!(
                "bank.flat.control_label {:?} must be a word without digits, the delimiter or quotes (the bank tells the control line from a payment line by it)",
                flat.control_label
            )));
        }
        if !["utf-8", "gbk", "gb18030"].contains(&flat.encoding.to_ascii_lowercase().as_str()) {
            return Err(invalid(format!(
                "bank.flat.encoding {:?}: utf-8, gbk or gb18030",
                flat.encoding
            )));
        }
        // the label in the layout's encoding: a character GBK has not, or whose bytes hold the
        // delimiter's (珅 is AB 7C in GBK, 7C is `|`), would stop every run at its own check of
        // the file (a cold review)
        // (a label that cuts the line — a control character, a quote, the delimiter — is
        // refused above as no word)
        use crate::outputs::bank::{first_uncarried, Uncarried};
        let delim = flat.delimiter.as_bytes().first().copied().unwrap_or(b',');
        // why a word of the layout (the control label, a header title) cannot be written in
        // it whole, if it cannot (a label that cuts the line was refused above as no word)
        let uncarried = |w: &str| match first_uncarried(w, &flat.encoding, delim) {
            Some((c, Uncarried::NotInEncoding)) => Some(format!(
                "{} has no {c:?}",
                flat.encoding.to_ascii_uppercase()
            )),
            Some((c, Uncarried::ReadsAs(_, back))) => Some(format!(
                "the {} bytes of {c:?} read back as {back:?}",
                flat.encoding
            )),
            Some((c, Uncarried::DelimiterByte(_))) => Some(format!(
                "the {} bytes of {c:?} hold the delimiter's",
                flat.encoding
            )),
            Some((c, Uncarried::Cuts)) => Some(format!("{c:?} cuts the line")),
            None => None,
        };
        if let Some(why) = uncarried(&flat.control_label) {
            return Err(invalid(format!(
                "bank.flat.control_label {:?}: {why}; choose another label",
                flat.control_label
            )));
        }
        // the header's titles: one per column, each a word the layout's encoding carries whole
        // (a review found a bank wanting 序号|账号|户名… could not be served)
        if !flat.header_labels.is_empty() && flat.header_labels.len() != flat.columns.len() {
            return Err(invalid(format!(
                "bank.flat.header_labels has {} titles for {} columns",
                flat.header_labels.len(),
                flat.columns.len()
            )));
        }
        for l in &flat.header_labels {
            let why = if l.trim().is_empty() {
                Some("blank".to_string())
            } else {
                uncarried(l)
            };
            if let Some(why) = why {
                return Err(invalid(format!(
                    "bank.flat.header_labels {l:?}: {why}; choose another title"
                )));
            }
        }
        if !plain_name(&flat.extension, &[]) {
            return Err(invalid(format!(
                "bank.flat.extension {:?}: letters and digits only",
                flat.extension
            )));
        }
        // (both files of a batch share their name up to the extension: a disk that ignores
        // case — a bureau's Windows share — holds one of `….xml` and `….XML`)
        if flat.extension.eq_ignore_ascii_case("xml") {
            return Err(invalid(format!(
                "bank.flat.extension {:?}: the pain.001 file's extension (in any case); choose another, e.g. \"txt\"",
                flat.extension
            )));
        }
        if let Some(c) = flat
            .columns
            .iter()
            .find(|c| !FLAT_COLUMNS.contains(&c.as_str()))
        {
            return Err(invalid(format!(
                "bank.flat.columns: unknown column {c:?} (known: {})",
                FLAT_COLUMNS.join(", ")
            )));
        }
        // a flat file is checked line by line against payments.csv by its payment id, amount,
        // account and bank, which the bank needs too: a layout without them (or with a column
        // twice) would fail every run at the end, its message not naming the layout (two
        // reviews)
        for must in ["payment_id", "amount", "account_no", "bank_code"] {
            if !flat.columns.iter().any(|c| c == must) {
                return Err(invalid(format!(
                    "bank.flat.columns must include {must:?} (the bank needs the line's reference, amount, account and bank; the run checks each line by them)"
                )));
            }
        }
        if let Some(c) = flat
            .columns
            .iter()
            .enumerate()
            .find(|(i, c)| flat.columns[..*i].contains(c))
            .map(|(_, c)| c)
        {
            return Err(invalid(format!("bank.flat.columns: {c:?} appears twice")));
        }
        let mut funding = Vec::new();
        for (id, f) in raw.funding {
            let digits = |v: &str| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
            if let Some(b) = &f.bank_code {
                if b.len() != 12 || !digits(b) {
                    return Err(invalid(format!(
                        "funding.{id}.bank_code {:?} is not a 12-digit CNAPS code",
                        crate::outputs::payments::mask_numbers(b)
                    )));
                }
            }
            if let Some(a) = &f.account {
                if !digits(a) {
                    return Err(invalid(format!("funding.{id}.account must be digits")));
                }
                // (as a payee's account: pain.001 carries at most 34, a bank 6 to 32 — a
                // 3-digit account went into the batch without a word, a 37-digit one stopped
                // the run only at its schema check: a cold review)
                if !(6..=32).contains(&a.len()) {
                    return Err(invalid(format!(
                        "funding.{id}.account has {} digits (6 to 32 expected)",
                        a.len()
                    )));
                }
            }
            let fname = f
                .name
                .ok_or_else(|| invalid(format!("funding.{id} has no name")))?;
            // (the payer's name goes into pain.001's Dbtr/Nm and InitgPty/Nm, Max140Text: a
            // longer one was cut without a word — a review; a payee's is held instead)
            if fname.chars().count() > 140 {
                return Err(invalid(format!(
                    "funding.{id}.name has {} characters: pain.001 carries at most 140",
                    fname.chars().count()
                )));
            }
            funding.push(Funding {
                name: fname,
                account: f.account,
                bank_code: f.bank_code,
                programmes: f.programmes.unwrap_or_default(),
                id,
            });
        }
        Ok(Pipeline {
            title: raw.title.unwrap_or_else(|| name.clone()),
            document: raw.document.unwrap_or_default(),
            name,
            programmes,
            params,
            funding,
            flat,
            encoding,
            headers: raw.input.headers,
            files: raw.input.files,
            sources,
        })
    }

    /// The pipeline's hash: the SHA-256 of its file when it is one file; for an `extends`
    /// chain, the SHA-256 of the files' SHA-256s (hex, base first, one per line). An auditor
    /// recomputes it with `sha256sum`.
    pub fn hash(&self) -> String {
        let hashes = self.source_hashes();
        if let [(_, one)] = hashes.as_slice() {
            return one.clone();
        }
        let mut h = Sha256::new();
        for (_, x) in &hashes {
            h.update(x.as_bytes());
            h.update(b"\n");
        }
        hex::encode(h.finalize())
    }

    /// Each file of the `extends` chain (as named on the command line or in `extends`) with
    /// the SHA-256 of its bytes.
    pub fn source_hashes(&self) -> Vec<(String, String)> {
        self.sources
            .iter()
            .map(|(origin, text)| (origin.clone(), hex::encode(Sha256::digest(text.as_bytes()))))
            .collect()
    }

    /// Reading instructions for input file `stem` (e.g. `contributions`).
    pub fn file_spec(&self, stem: &str) -> FileSpec {
        let file = self.files.get(stem);
        let encoding = file
            .and_then(|f| f.encoding.as_deref())
            .and_then(Encoding::parse)
            .unwrap_or(self.encoding);
        let mut headers = self.headers.clone();
        if let Some(f) = file {
            headers.extend(f.headers.clone());
        }
        FileSpec { encoding, headers }
    }

    /// Input file stems named under `[input.files.*]`.
    pub fn input_files(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Every `(alias, canonical column)` the pipeline maps, global and per file.
    pub fn header_aliases(&self) -> Vec<(&str, &str)> {
        self.headers
            .iter()
            .chain(self.files.values().flat_map(|f| f.headers.iter()))
            .map(|(a, c)| (a.as_str(), c.as_str()))
            .collect()
    }

    /// The funding source that pays a programme.
    pub fn funding_of(&self, programme: &str) -> Option<&Funding> {
        self.funding
            .iter()
            .find(|f| f.programmes.iter().any(|p| p == programme))
    }

    pub fn enabled(&self, code: &str) -> Option<&ProgrammeSpec> {
        self.programmes.get(code).filter(|p| p.enabled)
    }

    /// The first day any enabled programme's own parameters (`<code>.…`) are in force: where
    /// this pipeline's rules begin. `None` when no enabled programme has a dated value.
    pub fn rules_begin(&self) -> Option<crate::domain::Date> {
        self.params
            .names()
            .filter(|n| {
                n.split_once('.')
                    .is_some_and(|(code, _)| self.enabled(code).is_some())
            })
            .filter_map(|n| self.params.first_from(n))
            .min()
    }
}

/// Whether a name that becomes part of output file names (pipeline name, funding id, flat
/// extension) is plain: ASCII letters and digits and the `extra` characters, not empty — no
/// path separators, no dots, nothing a shell or a bank's file transfer would trip on.
pub fn plain_name(s: &str, extra: &[char]) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
}

/// Whether `--pipeline` or `extends` names a file rather than a pipeline.
fn looks_like_path(spec: &str) -> bool {
    spec.contains('/') || spec.ends_with(".toml")
}

/// A path without `.` components and with `x/..` folded (no file system access).
fn lexical(spec: &str) -> String {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in Path::new(spec).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    if out.is_empty() {
        return ".".into();
    }
    out.iter().collect::<PathBuf>().display().to_string()
}

fn locate(spec: &str) -> Result<(String, String), PipelineError> {
    let looks_like_path = looks_like_path(spec);
    let path = if looks_like_path {
        PathBuf::from(spec)
    } else {
        Path::new("pipelines").join(format!("{spec}.toml"))
    };
    if looks_like_path || path.is_file() {
        let text =
            std::fs::read_to_string(&path).map_err(|e| PipelineError::Io(path.clone(), e))?;
        return Ok((path.display().to_string(), text));
    }
    BUILTIN
        .iter()
        .find(|(n, _)| *n == spec)
        .map(|(n, t)| (format!("builtin:{n}"), t.to_string()))
        .ok_or_else(|| {
            let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            PipelineError::NotFound(spec.into(), names.join(", "))
        })
}

/// Names of the built-in pipelines.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTIN.iter().map(|(n, _)| *n).collect()
}

fn merge(base: &mut RawPipeline, over: RawPipeline) -> Result<(), String> {
    if over.name.is_some() {
        base.name = over.name;
    }
    if over.title.is_some() {
        base.title = over.title;
    }
    if over.document.is_some() {
        base.document = over.document;
    }
    if over.input.encoding.is_some() {
        base.input.encoding = over.input.encoding;
    }
    base.input.headers.extend(over.input.headers);
    for (k, f) in over.input.files {
        let e = base.input.files.entry(k).or_default();
        if f.encoding.is_some() {
            e.encoding = f.encoding;
        }
        e.headers.extend(f.headers);
    }
    for (k, p) in over.programmes {
        let e = base.programmes.entry(k).or_default();
        if p.enabled.is_some() {
            e.enabled = p.enabled;
        }
        if p.clause.is_some() {
            e.clause = p.clause;
        }
        if p.payee.is_some() {
            e.payee = p.payee;
        }
    }
    for (k, p) in over.params {
        let e = base.params.entry(k.clone()).or_default();
        params::merge(&k, e, p)?;
    }
    if let Some(f) = over.bank.flat {
        base.bank.flat.get_or_insert_with(RawFlat::default).merge(f);
    }
    for (k, f) in over.funding {
        let e = base.funding.entry(k).or_default();
        if f.name.is_some() {
            e.name = f.name;
        }
        if f.account.is_some() {
            e.account = f.account;
        }
        if f.bank_code.is_some() {
            e.bank_code = f.bank_code;
        }
        if f.programmes.is_some() {
            e.programmes = f.programmes;
        }
    }
    Ok(())
}
