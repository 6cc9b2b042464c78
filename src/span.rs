//! Positions for problems found while deserialising YAML, so that every diagnostic,
//! the semantic ones too, points at the exact line and column of the offending value.
//!
//! serde_yaml attaches the position of the current YAML node to any error raised while
//! that node is being read, including errors from our own `Deserialize` impls. We use
//! that: a leaf type that finds a problem in a scalar (an unknown id, an impossible
//! date) files the problem in a per-file collector, returns a marker error so that
//! serde_yaml stamps it with the scalar's position, then catches the stamped error one
//! frame up, records the position and carries on with a placeholder value. The scalar
//! has been fully consumed at that point, so the parser's state stays consistent and
//! the rest of the file is still checked. Any other error (a map where a string was
//! expected, an unknown field) propagates and ends the parse of that file.

use serde::de::{Deserializer, Error as _};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::marker::PhantomData;
use std::sync::Arc;

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// A problem found inside one file, before its position is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub help: Option<String>,
    pub warning: bool,
    pub pos: Option<Pos>,
}

impl Problem {
    pub fn error(message: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            help: None,
            warning: false,
            pos: None,
        }
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn at(mut self, pos: Pos) -> Self {
        self.pos = Some(pos);
        self
    }
    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// What the loader knows before it parses a file: every id in the chronology (from
/// the file names) and the id of the file being read.
#[derive(Debug, Default, Clone)]
pub struct Known {
    pub events: BTreeSet<String>,
    pub actors: BTreeSet<String>,
    pub locations: BTreeSet<String>,
}

struct FileContext {
    known: Arc<Known>,
    current_id: String,
    problems: Vec<Problem>,
    /// A value parsed by a leaf visitor, waiting to be picked up with its position.
    stash: Option<Box<dyn std::any::Any>>,
}

thread_local! {
    // One parse at a time per thread; `with_context` installs it and always removes it.
    static CONTEXT: RefCell<Option<FileContext>> = const { RefCell::new(None) };
}

/// Runs `parse` with `known` and `current_id` available to leaf types, and returns its
/// result with the problems the leaves filed.
pub fn with_context<T>(
    known: &Arc<Known>,
    current_id: &str,
    parse: impl FnOnce() -> T,
) -> (T, Vec<Problem>) {
    CONTEXT.with(|c| {
        *c.borrow_mut() = Some(FileContext {
            known: Arc::clone(known),
            current_id: current_id.to_string(),
            problems: Vec::new(),
            stash: None,
        })
    });
    let out = parse();
    let problems = CONTEXT
        .with(|c| c.borrow_mut().take())
        .map(|ctx| ctx.problems)
        .unwrap_or_default();
    (out, problems)
}

/// Reads the known ids, if a context is installed (outside a load, nothing is known
/// and reference checks are skipped).
pub fn known<R>(f: impl FnOnce(&Known, &str) -> R) -> Option<R> {
    CONTEXT.with(|c| {
        c.borrow()
            .as_ref()
            .map(|ctx| f(&ctx.known, &ctx.current_id))
    })
}

const MARK: &str = "\u{1}annalist-problem\u{1}";
const STASH: &str = "\u{1}annalist-stash\u{1}";

/// The error a leaf visitor returns to report `problem`: serde_yaml will stamp it
/// with the position of the scalar being read.
pub fn report<E: serde::de::Error>(problem: Problem) -> E {
    let filed = CONTEXT.with(|c| {
        if let Some(ctx) = c.borrow_mut().as_mut() {
            ctx.problems.push(problem.clone());
            true
        } else {
            false
        }
    });
    if filed {
        E::custom(MARK)
    } else {
        // No collector (a unit test feeding a literal): a plain error is the best we can do.
        match &problem.help {
            Some(h) => E::custom(format!("{}; help: {}", problem.message, h)),
            None => E::custom(problem.message),
        }
    }
}

/// Files a problem whose position is already known (found across the items of a
/// list); outside a load, where nothing collects it, it comes back as an error.
pub fn file<E: serde::de::Error>(problem: Problem) -> Result<(), E> {
    let filed = CONTEXT.with(|c| match c.borrow_mut().as_mut() {
        Some(ctx) => {
            ctx.problems.push(problem.clone());
            true
        }
        None => false,
    });
    if filed {
        Ok(())
    } else {
        Err(E::custom(problem.message))
    }
}

/// Reads a leaf value with `read`; a problem it reported becomes a recorded diagnostic
/// with position and `fallback` stands in for the value.
pub fn leaf<'de, D, T>(
    d: D,
    read: impl FnOnce(D) -> Result<T, D::Error>,
    fallback: impl FnOnce() -> T,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    match read(d) {
        Ok(v) => Ok(v),
        Err(e) => {
            let text = e.to_string();
            if text.contains(MARK) {
                set_last_position(position_in(&text).unwrap_or(Pos { line: 1, column: 1 }));
                Ok(fallback())
            } else {
                Err(e)
            }
        }
    }
}

/// A leaf type read from one YAML scalar. `from_scalar` sees the scalar as text (a
/// YAML number arrives as its decimal form, so `date: 2023` is the year 2023).
pub trait Scalar: Sized + 'static {
    /// What the field expects, for "expected ..." messages.
    const EXPECTING: &'static str;
    fn from_scalar(text: &str) -> Result<Self, Problem>;
    /// Stands in for a value that had a problem; never reaches the site, because a
    /// file with problems is not published.
    fn placeholder() -> Self;
}

/// Reads a `Scalar` type, recording its problem with position instead of failing.
pub fn read_scalar<'de, D: Deserializer<'de>, T: Scalar>(d: D) -> Result<T, D::Error> {
    leaf(
        d,
        |d| {
            d.deserialize_any(ScalarVisitor::<T> {
                spanned: false,
                t: PhantomData,
            })
        },
        T::placeholder,
    )
}

struct ScalarVisitor<T> {
    spanned: bool,
    t: PhantomData<T>,
}

impl<T: Scalar> ScalarVisitor<T> {
    fn accept<E: serde::de::Error>(&self, text: &str) -> Result<T, E> {
        match T::from_scalar(text) {
            Ok(v) if self.spanned => {
                // Stash the value and raise a marker, so serde_yaml stamps the position.
                let v = CONTEXT.with(|c| match c.borrow_mut().as_mut() {
                    Some(ctx) => {
                        ctx.stash = Some(Box::new(v));
                        None
                    }
                    None => Some(v),
                });
                match v {
                    None => Err(E::custom(STASH)),
                    Some(v) => Ok(v),
                }
            }
            Ok(v) => Ok(v),
            Err(problem) => Err(report(problem)),
        }
    }
}

impl<'de, T: Scalar> serde::de::Visitor<'de> for ScalarVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(T::EXPECTING)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        self.accept(v)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
        self.accept(&v.to_string())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
        self.accept(&v.to_string())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<T, E> {
        self.accept(&v.to_string())
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<T, E> {
        self.accept(if v { "true" } else { "false" })
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<T, E> {
        Err(report(Problem::error("this value is empty").help(format!(
            "write {} after the colon, or remove the line if the field is optional",
            T::EXPECTING
        ))))
    }
}

/// A value with the position of the scalar it was read from, for checks made after
/// the whole chronology is loaded (a location parent cycle, a duplicate relation) that
/// still need to point at the line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Spanned<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: serde::Serialize> serde::Serialize for Spanned<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<'de, T: Scalar> serde::Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match d.deserialize_any(ScalarVisitor::<T> {
            spanned: true,
            t: PhantomData,
        }) {
            // Outside a load there is no position to learn.
            Ok(value) => Ok(Spanned {
                value,
                pos: Pos::default(),
            }),
            Err(e) => {
                let text = e.to_string();
                let pos = position_in(&text).unwrap_or(Pos { line: 1, column: 1 });
                if text.contains(STASH) {
                    let v =
                        CONTEXT.with(|c| c.borrow_mut().as_mut().and_then(|ctx| ctx.stash.take()));
                    match v.and_then(|b| b.downcast::<T>().ok()) {
                        Some(v) => Ok(Spanned { value: *v, pos }),
                        None => Err(D::Error::custom(
                            "internal error: lost a value while reading its position",
                        )),
                    }
                } else if text.contains(MARK) {
                    set_last_position(pos);
                    Ok(Spanned {
                        value: T::placeholder(),
                        pos,
                    })
                } else {
                    Err(e)
                }
            }
        }
    }
}

/// A value written either as a scalar `T`, with its position, or as a map `M`: a
/// location written as its id, or as `{id: ..., uncertain: true}`. Written by hand
/// rather than `untagged`, which buffers the value and loses its position.
#[derive(Debug, Clone)]
pub enum ScalarOrMap<T, M> {
    Scalar(Spanned<T>),
    Map(M),
}

impl<'de, T: Scalar, M: serde::Deserialize<'de>> serde::Deserialize<'de> for ScalarOrMap<T, M> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T, M>(PhantomData<(T, M)>);
        impl<'de, T: Scalar, M: serde::Deserialize<'de>> serde::de::Visitor<'de> for V<T, M> {
            type Value = ScalarOrMap<T, M>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "{}, or a map", T::EXPECTING)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                let scalar = ScalarVisitor::<T> {
                    spanned: true,
                    t: PhantomData,
                };
                scalar.accept(v).map(|value| {
                    ScalarOrMap::Scalar(Spanned {
                        value,
                        pos: Pos::default(),
                    })
                })
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                M::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(ScalarOrMap::Map)
            }
        }
        match d.deserialize_any(V::<T, M>(PhantomData)) {
            Ok(v) => Ok(v),
            Err(e) => {
                // As `Spanned`: the scalar's value or problem, stamped with its position.
                let text = e.to_string();
                let pos = position_in(&text).unwrap_or(Pos { line: 1, column: 1 });
                if text.contains(STASH) {
                    let v =
                        CONTEXT.with(|c| c.borrow_mut().as_mut().and_then(|ctx| ctx.stash.take()));
                    match v.and_then(|b| b.downcast::<T>().ok()) {
                        Some(v) => Ok(ScalarOrMap::Scalar(Spanned { value: *v, pos })),
                        None => Err(D::Error::custom(
                            "internal error: lost a value while reading its position",
                        )),
                    }
                } else if text.contains(MARK) {
                    set_last_position(pos);
                    Ok(ScalarOrMap::Scalar(Spanned {
                        value: T::placeholder(),
                        pos,
                    }))
                } else {
                    Err(e)
                }
            }
        }
    }
}

fn set_last_position(pos: Pos) {
    CONTEXT.with(|c| {
        if let Some(ctx) = c.borrow_mut().as_mut()
            && let Some(last) = ctx.problems.iter_mut().rev().find(|p| p.pos.is_none())
        {
            last.pos = Some(pos);
        }
    });
}

/// Finds serde_yaml's " at line L column C" in an error's text.
pub fn position_in(text: &str) -> Option<Pos> {
    let at = text.rfind(" at line ")?;
    let rest = &text[at + " at line ".len()..];
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    Some(Pos {
        line: line.trim().parse().ok()?,
        column: column.parse().ok()?,
    })
}

/// The message of a serde_yaml error without its position and path prefix.
pub fn message_of(err: &serde_yaml::Error) -> String {
    let text = err.to_string();

    match text.rfind(" at line ") {
        Some(at) if position_in(&text).is_some() => text[..at].to_string(),
        _ => text,
    }
}
