//! Writing YAML by hand, for the files `init`, `new` and `import` create: a tiny
//! emitter for the few shapes these files have (maps, lists, strings), where every
//! string goes through [`scalar`], which writes it plain only when YAML is sure to read
//! it back as the same string, and double-quoted with escapes otherwise (or as a `|`
//! block for multi-line texts that a block keeps exactly). Comments and layout stay as
//! an editor would write them, because the callers put them around these values.

/// A value in a generated file.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A string, quoted as needed.
    Str(String),
    /// A map with its keys in order (keys are field names, always plain).
    Map(Vec<(&'static str, Node)>),
    /// A block list, one `- item` per line.
    List(Vec<Node>),
    /// A flow list of strings on one line: `[a, b]`; each item quoted as needed.
    Flow(Vec<String>),
    /// `{key: value}` on one line; the value quoted as needed.
    FlowMap(&'static str, String),
    /// Text written as is: only for values this module formats itself (numbers,
    /// `{lat: 1.5, lon: -2}`), never for data.
    Raw(String),
}

impl Node {
    pub fn str(s: impl Into<String>) -> Node {
        Node::Str(s.into())
    }
}

/// Builds a map, leaving out absent and empty values.
#[derive(Debug, Default)]
pub struct MapBuilder(Vec<(&'static str, Node)>);

impl MapBuilder {
    pub fn new() -> Self {
        MapBuilder(Vec::new())
    }
    pub fn put(mut self, key: &'static str, value: Node) -> Self {
        let empty = match &value {
            Node::Str(s) => s.is_empty(),
            Node::Map(m) => m.is_empty(),
            Node::List(l) => l.is_empty(),
            Node::Flow(l) => l.is_empty(),
            Node::FlowMap(..) => false,
            Node::Raw(r) => r.is_empty(),
        };
        if !empty {
            self.0.push((key, value));
        }
        self
    }
    pub fn text(self, key: &'static str, value: impl Into<String>) -> Self {
        self.put(key, Node::Str(value.into()))
    }
    pub fn opt(self, key: &'static str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(v) => self.text(key, v),
            None => self,
        }
    }
    pub fn build(self) -> Node {
        Node::Map(self.0)
    }
}

/// The file text of a top-level map.
pub fn document(root: &Node) -> String {
    let mut out = String::new();
    match root {
        Node::Map(entries) => write_map(&mut out, entries, 0, None),
        other => {
            // Not a shape the files have; still write something YAML reads back.
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
    out
}

/// Writes the entries of a map whose keys sit at column `indent`. When `first_prefix`
/// is given, the first key follows it on the current line (a list item's `- `).
fn write_map(
    out: &mut String,
    entries: &[(&'static str, Node)],
    indent: usize,
    first_prefix: Option<&str>,
) {
    for (i, (key, value)) in entries.iter().enumerate() {
        match (i, first_prefix) {
            (0, Some(p)) => out.push_str(p),
            _ => out.push_str(&" ".repeat(indent)),
        }
        out.push_str(key);
        out.push(':');
        write_value(out, value, indent);
    }
}

/// Writes the value of a key at column `indent`, starting right after the colon.
fn write_value(out: &mut String, value: &Node, indent: usize) {
    match value {
        Node::Str(s) => {
            out.push_str(&block_or_scalar(s, indent + 2));
            out.push('\n');
        }
        Node::Map(entries) => {
            out.push('\n');
            write_map(out, entries, indent + 2, None);
        }
        Node::List(items) => {
            out.push('\n');
            for item in items {
                let dash = format!("{}- ", " ".repeat(indent + 2));
                match item {
                    Node::Map(entries) => write_map(out, entries, indent + 4, Some(&dash)),
                    Node::Str(s) => {
                        out.push_str(&dash);
                        out.push_str(&scalar(s));
                        out.push('\n');
                    }
                    other => {
                        out.push_str(&dash);
                        out.push_str(&inline(other));
                        out.push('\n');
                    }
                }
            }
        }
        Node::Flow(_) | Node::FlowMap(..) | Node::Raw(_) => {
            out.push(' ');
            out.push_str(&inline(value));
            out.push('\n');
        }
    }
}

/// A value on one line.
fn inline(value: &Node) -> String {
    match value {
        Node::Str(s) => scalar(s),
        Node::Flow(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|s| scalar(s))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Node::FlowMap(k, v) => format!("{{{k}: {}}}", scalar(v)),
        Node::Raw(r) => r.clone(),
        Node::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{k}: {}", inline(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Node::List(items) => format!(
            "[{}]",
            items.iter().map(inline).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// ` value` after a key: a `|` block for a multi-line text a block keeps exactly,
/// otherwise the scalar on the same line.
fn block_or_scalar(s: &str, content_indent: usize) -> String {
    if let Some(block) = literal_block(s, content_indent) {
        block
    } else {
        format!(" {}", scalar(s))
    }
}

/// A `|` (or `|-`) literal block when it keeps `s` byte for byte: more than one line,
/// printable characters only, a first line of text that does not start with a space
/// (it sets the block's indentation), no line ending with a space, and at most one
/// final line break.
fn literal_block(s: &str, content_indent: usize) -> Option<String> {
    if !s.contains('\n') || s.contains('\r') {
        return None;
    }
    let (body, chomp) = match s.strip_suffix('\n') {
        Some(b) if b.ends_with('\n') => return None,
        Some(b) => (b, ""),
        None => (s, "-"),
    };
    if body.is_empty() || body.chars().any(|c| needs_escape(c) && c != '\n') {
        return None;
    }
    let lines: Vec<&str> = body.split('\n').collect();
    // The first line decides the block's indentation: it must hold text.
    if lines[0].is_empty() || lines[0].starts_with(' ') || lines.iter().any(|l| l.ends_with(' ')) {
        return None;
    }
    let pad = " ".repeat(content_indent);
    let mut out = format!(" |{chomp}");
    for line in lines {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    Some(out)
}

/// Characters a double-quoted scalar must escape and a plain or block scalar cannot hold:
/// control characters (tabs too: YAML allows them in some places only), the byte order
/// mark, the characters a YAML 1.1 reader such as libyaml takes for line breaks (NEL,
/// LINE SEPARATOR, PARAGRAPH SEPARATOR), and the two non-characters YAML does not
/// allow in a stream at all.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
}

/// One string as a YAML scalar that reads back as exactly `s`: plain when that is
/// safe, double-quoted with escapes otherwise.
pub fn scalar(s: &str) -> String {
    if plain_is_safe(s) {
        s.to_string()
    } else {
        double_quoted(s)
    }
}

/// `s` in double quotes, with YAML escapes.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            '\u{85}' => out.push_str("\\N"),
            '\u{a0}' => out.push_str("\\_"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if needs_escape(c) => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02X}"));
                } else {
                    out.push_str(&format!("\\u{n:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A text field in the site's language, `key:\n  fr: value\n`, with `key` at column
/// `indent`.
pub fn text_field(key: &str, lang: &str, value: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    format!("{pad}{key}:\n{pad}  {lang}: {}\n", scalar(value))
}

/// Words that YAML 1.1 or 1.2 read as something other than a string.
const SPECIAL_WORDS: &[&str] = &[
    "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", "+.inf",
    ".nan",
];

/// Whether `s` can be written without quotes and still read back as the same string
/// by any YAML reader (1.1 or 1.2), in block and flow context alike. Deliberately
/// conservative: when in doubt, quote.
fn plain_is_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.trim() != s || s.chars().any(needs_escape) || s.contains('\n') {
        return false;
    }
    if SPECIAL_WORDS.contains(&s.to_lowercase().as_str()) {
        return false;
    }
    // Indicators that change the meaning of a scalar's first character.
    if "-?:,[]{}#&*!|>'\"%@`.+~=<\\".contains(first) {
        return false;
    }
    // Comments, mapping values and flow punctuation anywhere.
    if s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.contains([',', '[', ']', '{', '}'])
    {
        return false;
    }
    if first.is_ascii_digit() {
        return date_like(s);
    }
    true
}

/// Text starting with a digit is left plain only when it is shaped like a date or a
/// date-prefixed id (`2017-03-29`, `2020-08-22/2020-08-23`, `2017-03-29-ucdp-1-x`):
/// no YAML reader takes these for a number. Anything else (`3`, `1e3`, `0x1F`, `1:20`,
/// a bare year) is quoted.
fn date_like(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 7
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && s.bytes().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'-' | b'/' | b'~' | b'?')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every tricky string, as a text value, in a key, in a list and in a flow list,
    /// reads back identical through serde_yaml.
    #[test]
    fn tricky_strings_round_trip() {
        let tricky = [
            "plain text",
            "Mali: Government",
            "a # not a comment",
            "#Sahel",
            "#Mali: This morning,",
            "- leading dash",
            "-",
            "?",
            ": colon",
            "ends with colon:",
            "\"quoted\"",
            "'single'",
            "it's fine",
            "north of Mopti\n\nnear Denga-Ouro",
            "two\nlines\n",
            "trailing newlines\n\n",
            "\nleading newline",
            "  indented\nsecond",
            "line with trailing space \nnext",
            "tab\there",
            "yes",
            "No",
            "ON",
            "off",
            "y",
            "null",
            "~",
            "Null",
            "true",
            "False",
            "3",
            "20",
            "-1",
            "+1",
            "1e3",
            "0x1F",
            "0o17",
            "1_000",
            "1:20",
            ".5",
            ".inf",
            ".NaN",
            "1991",
            "2017-03-29",
            "2017-03-29 00:00:00.000",
            "@rmaghrebi",
            "@UN_MINUSMA",
            "&anchor",
            "*alias",
            "!tag",
            "%directive",
            "`backtick`",
            "[not, a, list]",
            "{not: a map}",
            "a, b",
            "Réserve partielle de faune d'Ansongo-Ménaka",
            "Keïta",
            "| pipe",
            "> folded",
            "back\\slash",
            "control \u{7} bell",
            "nbsp\u{a0}here",
            "line\u{2028}separator",
            "next\u{85}line",
            "para\u{2029}graph",
            "non\u{fffe}character\u{ffff}",
            "escape \u{1b}[0m",
            "Exemple : un titre",
            "say \"hi\" # not a comment",
            "\u{feff}bom",
            "https://ucdp.uu.se/downloads/",
            "=HYPERLINK(\"x\")",
            " leading space",
            "trailing space ",
            "Humphreys and ag Mohamed, \"Senegal & Mali\", 22",
        ];
        for s in tricky {
            let doc = document(
                &MapBuilder::new()
                    .text("title", s)
                    .put("aliases", Node::List(vec![Node::str(s)]))
                    .put("tags", Node::Flow(vec![s.to_string(), "x".into()]))
                    .put(
                        "sources",
                        Node::List(vec![
                            MapBuilder::new()
                                .text("publisher", s)
                                .text("quote", s)
                                .put("according_to", Node::FlowMap("source", s.into()))
                                .build(),
                        ]),
                    )
                    .build(),
            );
            let v: serde_yaml::Value =
                serde_yaml::from_str(&doc).unwrap_or_else(|e| panic!("{s:?}: {e}\n{doc}"));
            let get = |v: &serde_yaml::Value| v.as_str().map(str::to_string);
            assert_eq!(get(&v["title"]).as_deref(), Some(s), "{s:?}\n{doc}");
            assert_eq!(get(&v["aliases"][0]).as_deref(), Some(s), "{s:?}\n{doc}");
            assert_eq!(get(&v["tags"][0]).as_deref(), Some(s), "{s:?}\n{doc}");
            assert_eq!(
                get(&v["sources"][0]["publisher"]).as_deref(),
                Some(s),
                "{doc}"
            );
            assert_eq!(get(&v["sources"][0]["quote"]).as_deref(), Some(s), "{doc}");
            assert_eq!(
                get(&v["sources"][0]["according_to"]["source"]).as_deref(),
                Some(s),
                "{doc}"
            );
        }
    }

    #[test]
    fn plain_where_safe_quoted_otherwise() {
        assert_eq!(scalar("Boulikessi"), "Boulikessi");
        assert_eq!(scalar("2017-03-29"), "2017-03-29");
        assert_eq!(scalar("2020-08-22/2020-08-23"), "2020-08-22/2020-08-23");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("3"), "\"3\"");
        assert_eq!(scalar("2017"), "\"2017\"");
        assert_eq!(scalar("#Sahel"), "\"#Sahel\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("say \"hi\""), "say \"hi\"");
        assert_eq!(scalar("- x"), "\"- x\"");
        assert_eq!(scalar("a\nb"), "\"a\\nb\"");
    }

    #[test]
    fn multi_line_texts_are_blocks_when_a_block_keeps_them() {
        let doc = document(
            &MapBuilder::new()
                .text("body", "north of Mopti\n\nnear Denga-Ouro")
                .build(),
        );
        assert_eq!(doc, "body: |-\n  north of Mopti\n\n  near Denga-Ouro\n");
        let doc = document(&MapBuilder::new().text("body", " x\ny").build());
        assert_eq!(doc, "body: \" x\\ny\"\n");
    }

    /// What `annalist new --title` wrote for a title with a LINE SEPARATOR: a plain
    /// scalar that libyaml reads as two lines.
    #[test]
    fn yaml_line_breaks_are_escaped() {
        assert_eq!(scalar("a\u{2028}b"), "\"a\\Lb\"");
        assert_eq!(scalar("a\u{85}b"), "\"a\\Nb\"");
        assert_eq!(scalar("a\u{2029}b"), "\"a\\Pb\"");
        assert_eq!(
            text_field("title", "fr", "a\u{2028}b", 0),
            "title:\n  fr: \"a\\Lb\"\n"
        );
    }

    /// Strings made mostly of the characters YAML gives a meaning to.
    fn yamlish() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let special = proptest::sample::select(
            " \t\n\r-?:,[]{}#&*!|>'\"%@`.+~=<\\0123456789eExXoO_yYnN\u{0}\u{7}\u{1b}\u{7f}\
             \u{85}\u{a0}\u{2028}\u{2029}\u{feff}\u{fffe}\u{ffff}\u{1f600}é"
                .chars()
                .collect::<Vec<_>>(),
        );
        proptest::collection::vec(prop_oneof![3 => special, 1 => any::<char>()], 0..16)
            .prop_map(|cs| cs.into_iter().collect())
    }

    proptest::proptest! {
        /// Whatever the string, the scalar written for it reads back as that string,
        /// alone, as a map value, in a text field, a block list and a flow list.
        #[test]
        fn every_scalar_reads_back_as_its_string(s in yamlish()) {
            let expected = serde_yaml::Value::String(s.clone());
            let alone: serde_yaml::Value = serde_yaml::from_str(&scalar(&s))
                .map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{s:?}: {e}")))?;
            proptest::prop_assert_eq!(&alone, &expected);
            let doc = format!(
                "{}{}",
                text_field("title", "fr", &s, 0),
                document(
                    &MapBuilder::new()
                        .put("body", Node::Str(s.clone()))
                        .put("aliases", Node::List(vec![Node::str(s.clone())]))
                        .put("tags", Node::Flow(vec![s.clone(), "x".into()]))
                        .build()
                )
            );
            let v: serde_yaml::Value = serde_yaml::from_str(&doc)
                .map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{s:?}: {e}\n{doc}")))?;
            let body = if s.is_empty() { serde_yaml::Value::Null } else { expected.clone() };
            proptest::prop_assert_eq!(&v["title"]["fr"], &expected, "{}", doc);
            proptest::prop_assert_eq!(&v["body"], &body, "{}", doc);
            proptest::prop_assert_eq!(&v["aliases"][0], &expected, "{}", doc);
            proptest::prop_assert_eq!(&v["tags"][0], &expected, "{}", doc);
        }
    }
}
