//! Placeholder; the parse benchmark lands with the parser.
fn main() {}
