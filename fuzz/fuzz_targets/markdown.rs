//! The Markdown renderer: any text, rendered as a body and inline; the HTML must be
//! inert (no script, no `javascript:` target) and balanced.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| annalist_fuzz::markdown(data));
