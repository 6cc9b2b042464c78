//! The integration tests, in one test binary: each suite is a module (`check`, `build`,
//! `serve`...), so the crate and its dependencies are linked once, not once per suite,
//! and `cargo test` runs the suites' tests side by side. Run one suite with
//! `cargo test --test suite check::`.

mod common;
mod shared;
mod site_checks;
mod time_words;

mod build;
mod check;
mod determinism;
mod fuzz_regressions;
mod history;
mod hostile;
mod import;
mod interrupt;
mod languages;
mod pages;
mod properties;
mod readers;
mod serve;
mod time_actors;
mod workflow;
