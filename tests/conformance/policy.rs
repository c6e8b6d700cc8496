//! Runners for policy parsing, policy-file discovery and scope selection.

use std::collections::BTreeMap;
use std::path::PathBuf;

use containers_policy::policy::{DiscoveryOptions, Policy};
use containers_policy::scope::{ScopeIndex, ScopeMatch};
use containers_policy::transport::ImageReference;
use serde_json::{Map, Value, json};

use super::{Kit, Outcome, Runner, verdict};

pub const RUNNERS: &[(&str, Runner)] = &[
    ("policy.parse", policy_parse),
    ("policy.parse_file", policy_parse),
    ("policy.default_policy", default_policy),
    (
        "policy_context.requirements_for_image_ref",
        requirements_for_ref,
    ),
];

fn compare_policy(kit: &Kit, got: Result<Policy, String>, expected: &Value) -> Outcome {
    match (got, verdict(expected)) {
        (Ok(policy), "accept") => match kit.expected_policy(expected) {
            Some(want) if want != policy => Err(format!("parsed {policy:?}, expected {want:?}")),
            _ => Ok(()),
        },
        (Err(_), "reject") => Ok(()),
        (Ok(p), want) => Err(format!("accepted ({}), expected {want}", p.to_json())),
        (Err(e), want) => Err(format!("rejected ({e}), expected {want}")),
    }
}

fn policy_parse(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let got = if let Some(text) = inputs.get("policy_text").and_then(Value::as_str) {
        Policy::from_str(text).map_err(|e| e.to_string())
    } else {
        let file = kit.path(inputs["policy_file"].as_str().unwrap());
        Policy::from_file(file).map_err(|e| e.to_string())
    };
    compare_policy(kit, got, expected)
}

fn default_policy(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let temp = tempfile::tempdir().unwrap();
    let placeholders: BTreeMap<&str, PathBuf> = ["$ROOT", "$XDG", "$TMPDIR_EMPTY", "$TMP"]
        .into_iter()
        .map(|p| {
            let dir = temp.path().join(p.trim_start_matches('$'));
            std::fs::create_dir_all(&dir).unwrap();
            (p, dir)
        })
        .collect();
    let expand = |s: &str| -> PathBuf {
        for (name, dir) in &placeholders {
            if let Some(rest) = s.strip_prefix(name) {
                return PathBuf::from(format!("{}{rest}", dir.display()));
            }
        }
        kit.path(s)
    };
    if let Some(files) = inputs.get("files").and_then(Value::as_object) {
        for (path, content) in files {
            let path = expand(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, content.as_str().unwrap()).unwrap();
        }
    }
    let env = inputs
        .get("env")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let context = inputs
        .get("system_context")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let text = |m: &Map<String, Value>, k: &str| m.get(k).and_then(Value::as_str).map(&expand);
    let mut options = DiscoveryOptions::default();
    options.policy_path = text(&context, "SignaturePolicyPath");
    options.root = text(&context, "RootForImplicitAbsolutePaths");
    options.containers_policy_json =
        text(&env, "CONTAINERS_POLICY_JSON").map(PathBuf::into_os_string);
    options.xdg_config_home = text(&env, "XDG_CONFIG_HOME").map(PathBuf::into_os_string);
    let got = options
        .load()
        .map(|(policy, _)| policy)
        .map_err(|e| e.to_string());
    if let (Err(message), Some(fragment)) = (&got, expected["error_contains"].as_str())
        && !message.contains(fragment)
    {
        return Err(format!("error {message:?} does not contain {fragment:?}"));
    }
    compare_policy(kit, got, expected)
}

fn requirements_for_ref(kit: &Kit, inputs: &Map<String, Value>, expected: &Value) -> Outcome {
    let text = serde_json::to_string(&kit.policy_json(&inputs["policy"])).unwrap();
    let policy = Policy::from_str(&text).map_err(|e| format!("policy does not parse: {e}"))?;
    let transport = inputs["transport"].as_str().unwrap();
    let reference = inputs["reference"].as_str().unwrap();
    // Upstream uses a mock reference with Docker naming under any transport name.
    let image = ImageReference::parse(&format!("docker://{reference}"))
        .map_err(|e| format!("{reference}: {e}"))?;
    let index = ScopeIndex::new(&policy);
    let (found, _) = index.lookup_parts(
        transport,
        image.policy_identity(),
        image.policy_namespaces().iter().map(String::as_str),
    );
    let got = match found {
        ScopeMatch::Scope { transport, scope } => json!({"transport": transport, "scope": scope}),
        ScopeMatch::Default => json!("default"),
    };
    let want = inputs
        .get("expected_scope")
        .or_else(|| expected.get("expected_scope"))
        .cloned()
        .unwrap_or(Value::Null);
    if got == want {
        Ok(())
    } else {
        Err(format!("chose {got}, expected {want}"))
    }
}
