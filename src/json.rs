//! Strict JSON reading shared by the policy parser (and later the signature payload
//! parsers): c/image's "paranoid" object rules on top of serde_json.
