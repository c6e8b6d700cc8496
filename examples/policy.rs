//! `policy`: the command-line face of the crate, for people and for our checks.
//!
//! ```text
//! policy check [--json] FILE              validate a policy file
//! policy check --parse-bench N FILE       parse FILE's bytes N times, print ns/op
//! policy lint [--files] FILE              valid policies that probably do not do
//!                                         what was meant (exit 1 when any)
//! policy scope --policy FILE TRANSPORT:REF
//!                                         which section applies to an image
//! policy eval --policy FILE [--identity TRANSPORT:REF] [--explain] IMAGE
//!                                         evaluate a dir: or oci: image
//! policy eval --batch                     POLICY<TAB>IMAGE[<TAB>IDENTITY] lines on stdin
//! policy eval --bench N --policy FILE [--identity REF] IMAGE
//! ```
//!
//! `eval` prints one JSON line `{"allowed":…,"stage":…,"error":…,"scope":…}`, where
//! `stage` is `""` when allowed, `"policy"` when the policy did not load, `"image"` when
//! the image could not be read and `"eval"` when the policy rejected it; it exits 0
//! whenever it printed a verdict line. `--identity` evaluates IMAGE's manifest and
//! signatures as if the image had been pulled from that reference.
//!
//! `check` exits 0 when the policy is valid and 1 when it is not, printing
//! `FILE:LINE:COL: PATH: message` (or, with `--json`, one line
//! `{"valid":…,"error":…,"line":…,"column":…,"path":…}`). Usage errors exit 2.

use std::collections::HashMap;
use std::process::ExitCode;
use std::time::Instant;

use containers_policy::eval::{PolicyContext, Section, Verdict};
use containers_policy::image::Image;
use containers_policy::policy::{LoadError, Policy, PolicyError};
use containers_policy::scope::{ScopeIndex, ScopeMatch};
use containers_policy::source;
use containers_policy::transport::ImageReference;
use serde_json::json;

const USAGE: &str = "usage:
  policy check [--json] FILE
  policy check --parse-bench N FILE
  policy lint [--files] FILE
  policy scope --policy FILE TRANSPORT:REF
  policy eval --policy FILE [--identity TRANSPORT:REF] [--explain] IMAGE
  policy eval --batch < LINES     (POLICY<TAB>IMAGE[<TAB>IDENTITY])
  policy eval --bench N --policy FILE [--identity TRANSPORT:REF] IMAGE";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("check") => check(args.get(1..).unwrap_or_default()),
        Some("scope") => scope(args.get(1..).unwrap_or_default()),
        Some("lint") => lint(args.get(1..).unwrap_or_default()),
        Some("eval") => eval(args.get(1..).unwrap_or_default()),
        _ => Err(Usage),
    };
    match result {
        Ok(code) => code,
        Err(Usage) => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

struct Usage;

/// Splits `--flag [value]` options from positional arguments.
struct Args {
    flags: Vec<(String, Option<String>)>,
    positional: Vec<String>,
}

fn parse_args(args: &[String], with_value: &[&str], without_value: &[&str]) -> Result<Args, Usage> {
    let mut flags = Vec::new();
    let mut positional = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let name = arg.trim_start_matches('-');
        if arg.starts_with('-') && with_value.contains(&name) {
            flags.push((name.to_owned(), Some(iter.next().ok_or(Usage)?.clone())));
        } else if arg.starts_with('-') && without_value.contains(&name) {
            flags.push((name.to_owned(), None));
        } else if arg.starts_with('-') && arg.len() > 1 {
            return Err(Usage);
        } else {
            positional.push(arg.clone());
        }
    }
    Ok(Args { flags, positional })
}

impl Args {
    fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|(n, _)| n == name)
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }
}

fn check(args: &[String]) -> Result<ExitCode, Usage> {
    let args = parse_args(args, &["parse-bench"], &["json"])?;
    let [file] = args.positional.as_slice() else {
        return Err(Usage);
    };
    if let Some(n) = args.value("parse-bench") {
        let n: u64 = n.parse().map_err(|_| Usage)?;
        return Ok(parse_bench(file, n));
    }
    let result = Policy::from_file(file);
    if args.flag("json") {
        let line = match &result {
            Ok(_) => {
                json!({"valid": true, "error": null, "line": null, "column": null, "path": null})
            }
            Err(LoadError::Invalid { source, .. }) => json!({
                "valid": false,
                "error": source.kind().to_string(),
                "line": source.line(),
                "column": source.column(),
                "path": (!source.path().is_root()).then(|| source.path().to_string()),
            }),
            Err(other) => {
                json!({"valid": false, "error": other.to_string(), "line": null, "column": null, "path": null})
            }
        };
        println!("{line}");
    } else {
        match &result {
            Ok(_) => println!("{file}: valid"),
            Err(LoadError::Invalid { source, .. }) => eprintln!("{}", located(file, source)),
            Err(other) => eprintln!("{file}: {other}"),
        }
    }
    Ok(if result.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn lint(args: &[String]) -> Result<ExitCode, Usage> {
    let args = parse_args(args, &[], &["files"])?;
    let [file] = args.positional.as_slice() else {
        return Err(Usage);
    };
    let policy = match Policy::from_file(file) {
        Ok(policy) => policy,
        Err(LoadError::Invalid { source, .. }) => {
            eprintln!("{}", located(file, &source));
            return Ok(ExitCode::FAILURE);
        }
        Err(err) => {
            eprintln!("{err}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let warnings = if args.flag("files") {
        policy.lint_with_files()
    } else {
        policy.lint()
    };
    for warning in &warnings {
        println!("{file}: warning: {warning}");
    }
    Ok(if warnings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `FILE:LINE:COL: PATH: message`, leaving out what is unknown.
fn located(file: &str, err: &PolicyError) -> String {
    let mut out = file.to_owned();
    if let Some(position) = err.position() {
        out.push_str(&format!(":{}:{}", position.line, position.column));
    }
    if !err.path().is_root() {
        out.push_str(&format!(": {}", err.path()));
    }
    out.push_str(&format!(": {}", err.kind()));
    out
}

fn parse_bench(file: &str, n: u64) -> ExitCode {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("{file}: {err}");
            return ExitCode::FAILURE;
        }
    };
    let n = n.max(1);
    let start = Instant::now();
    let mut valid = 0u64;
    for _ in 0..n {
        if std::hint::black_box(Policy::from_slice(std::hint::black_box(&bytes))).is_ok() {
            valid += 1;
        }
    }
    let elapsed = start.elapsed().as_nanos() as f64;
    println!(
        "{}",
        json!({"bench": "parse-bytes", "n": n, "ns_per_op": elapsed / n as f64, "valid": valid == n})
    );
    ExitCode::SUCCESS
}

/// The `scope` output line; requirements keep the crate's stable member order.
#[derive(serde::Serialize)]
struct ScopeJson<'a> {
    scope: Option<SectionJson<'a>>,
    requirements: &'a [containers_policy::policy::Requirement],
}

#[derive(serde::Serialize)]
struct SectionJson<'a> {
    transport: &'a str,
    scope: &'a str,
}

fn scope(args: &[String]) -> Result<ExitCode, Usage> {
    let args = parse_args(args, &["policy"], &[])?;
    let (Some(policy_file), [image]) = (args.value("policy"), args.positional.as_slice()) else {
        return Err(Usage);
    };
    let policy = match Policy::from_file(policy_file) {
        Ok(policy) => policy,
        Err(LoadError::Invalid { source, .. }) => {
            eprintln!("{}", located(policy_file, &source));
            return Ok(ExitCode::FAILURE);
        }
        Err(err) => {
            eprintln!("{err}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let reference = match ImageReference::parse(image) {
        Ok(reference) => reference,
        Err(err) => {
            eprintln!("{image}: {err}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let index = ScopeIndex::new(&policy);
    let (found, requirements) = index.lookup(&reference);
    let scope = match found {
        ScopeMatch::Scope { transport, scope } => Some(SectionJson { transport, scope }),
        ScopeMatch::Default => None,
    };
    let line = ScopeJson {
        scope,
        requirements: requirements.as_slice(),
    };
    println!("{}", serde_json::to_string(&line).unwrap_or_default());
    Ok(ExitCode::SUCCESS)
}

/// One `eval` output line.
#[derive(serde::Serialize)]
struct EvalLine {
    allowed: bool,
    stage: &'static str,
    error: String,
    scope: Option<Section>,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    identity: Option<Option<String>>,
}

impl EvalLine {
    fn failed(stage: &'static str, error: String) -> Self {
        Self {
            allowed: false,
            stage,
            error,
            scope: None,
            policy: None,
            image: None,
            identity: None,
        }
    }

    fn from_verdict(verdict: &Verdict) -> Self {
        Self {
            allowed: verdict.is_allowed(),
            stage: if verdict.is_allowed() { "" } else { "eval" },
            error: verdict.reason(),
            scope: verdict.section().cloned(),
            policy: None,
            image: None,
            identity: None,
        }
    }
}

/// Policies parsed (and compiled) once per run, by path.
#[derive(Default)]
struct Contexts(HashMap<String, Result<PolicyContext, String>>);

impl Contexts {
    fn get(&mut self, file: &str) -> &Result<PolicyContext, String> {
        self.0
            .entry(file.to_owned())
            .or_insert_with(|| match Policy::from_file(file) {
                Ok(policy) => Ok(PolicyContext::new(&policy)),
                Err(LoadError::Invalid { source, .. }) => Err(located(file, &source)),
                Err(err) => Err(err.to_string()),
            })
    }
}

/// The image to read and the reference to evaluate it as.
fn open_image(
    image: &str,
    identity: Option<&str>,
) -> Result<(ImageReference, Box<dyn Image + Send + Sync>), String> {
    let image_reference =
        ImageReference::parse(image).map_err(|e| format!("parsing image name {image:?}: {e}"))?;
    let reference = match identity {
        Some(identity) => ImageReference::parse(identity)
            .map_err(|e| format!("parsing identity {identity:?}: {e}"))?,
        None => image_reference.clone(),
    };
    let source =
        source::open(&image_reference).map_err(|e| format!("opening image {image:?}: {e}"))?;
    Ok((reference, source))
}

fn eval_one(
    contexts: &mut Contexts,
    policy: &str,
    image: &str,
    identity: Option<&str>,
    explain: bool,
) -> EvalLine {
    let context = match contexts.get(policy) {
        Ok(context) => context,
        Err(error) => return EvalLine::failed("policy", error.clone()),
    };
    let (reference, source) = match open_image(image, identity) {
        Ok(opened) => opened,
        Err(error) => return EvalLine::failed("image", error),
    };
    match context.evaluate(&reference, source.as_ref()) {
        Ok(verdict) => {
            if explain {
                eprint!("{verdict}");
            }
            EvalLine::from_verdict(&verdict)
        }
        Err(error) => EvalLine::failed("image", error.to_string()),
    }
}

fn print_line(line: &EvalLine) {
    println!("{}", serde_json::to_string(line).unwrap_or_default());
}

fn eval(args: &[String]) -> Result<ExitCode, Usage> {
    let args = parse_args(
        args,
        &["policy", "identity", "bench"],
        &["explain", "batch"],
    )?;
    if args.flag("batch") {
        return Ok(eval_batch(args.flag("explain")));
    }
    let (Some(policy), [image]) = (args.value("policy"), args.positional.as_slice()) else {
        return Err(Usage);
    };
    let identity = args.value("identity");
    if let Some(n) = args.value("bench") {
        let n: u32 = n.parse().map_err(|_| Usage)?;
        return Ok(eval_bench(policy, image, identity, n));
    }
    let mut contexts = Contexts::default();
    print_line(&eval_one(
        &mut contexts,
        policy,
        image,
        identity,
        args.flag("explain"),
    ));
    Ok(ExitCode::SUCCESS)
}

fn eval_batch(explain: bool) -> ExitCode {
    let mut contexts = Contexts::default();
    for line in std::io::stdin().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(policy), Some(image)) = (fields.next(), fields.next()) else {
            eprintln!("skipping malformed line: {line}");
            continue;
        };
        let identity = fields.next().filter(|s| !s.is_empty());
        let mut out = eval_one(&mut contexts, policy, image, identity, explain);
        out.policy = Some(policy.to_owned());
        out.image = Some(image.to_owned());
        out.identity = Some(identity.map(str::to_owned));
        print_line(&out);
    }
    ExitCode::SUCCESS
}

fn eval_bench(policy: &str, image: &str, identity: Option<&str>, n: u32) -> ExitCode {
    let mut contexts = Contexts::default();
    let context = match contexts.get(policy) {
        Ok(context) => context,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let (reference, source) = match open_image(image, identity) {
        Ok(opened) => opened,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let n = n.max(1);
    let start = Instant::now();
    let mut allowed = false;
    for _ in 0..n {
        match context.evaluate(std::hint::black_box(&reference), source.as_ref()) {
            Ok(verdict) => allowed = verdict.is_allowed(),
            Err(error) => {
                eprintln!("{error}");
                return ExitCode::FAILURE;
            }
        }
    }
    let elapsed = start.elapsed().as_nanos() as f64;
    println!(
        "{}",
        json!({"bench": "eval-warm", "n": n, "ns_per_op": elapsed / f64::from(n), "allowed": allowed})
    );
    ExitCode::SUCCESS
}
