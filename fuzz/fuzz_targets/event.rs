//! The event loader: any bytes, decoded and parsed as an event, an actor and a place
//! with an empty set of known ids; every diagnostic is rendered against the text.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| annalist_fuzz::loader(data));
