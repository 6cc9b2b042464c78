//! The integration tests, in one test binary: each suite is a module (`check`, `build`,
//! `serve`...), so the crate and its dependencies are linked once, not once per suite,
//! and `cargo test` runs the suites' tests side by side. Run one suite with
//! `cargo test --test suite check::`.

mod common;
mod shared;
mod site_checks;

mod build;
mod check;
mod claims;
mod determinism;
mod figures;
mod fuzz_regressions;
mod history;
mod hostile;
mod import;
mod interrupt;
mod languages;
mod pages;
mod places;
mod properties;
mod readers;
mod serve;
mod time;
mod time_actors;
mod time_words;
mod workflow;
