//! The date parser: any text, read as an event date; what parses must round-trip.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| annalist_fuzz::date(data));
