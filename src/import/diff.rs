//! A unified line diff, to show an editor what a dataset now says about an event they
//! have edited by hand; the diff itself is `similar`'s (Myers' algorithm).

/// Lines of unchanged text shown around each change.
const CONTEXT: usize = 3;

/// A unified diff of `old` (labelled `old_name`) against `new`, with three lines of
/// context, as `diff -u` writes it; empty when the texts are equal.
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    if old == new {
        return String::new();
    }
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(CONTEXT)
        .header(old_name, new_name)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::unified;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified("a\nb\n", "a\nb\n", "x", "y"), "");
    }

    #[test]
    fn a_changed_line_shows_with_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
        let new = "1\n2\n3\n4\n5\nsix\n7\n8\n9\n10\n";
        assert_eq!(
            unified(old, new, "file", "dataset"),
            "--- file\n+++ dataset\n@@ -3,7 +3,7 @@\n 3\n 4\n 5\n-6\n+six\n 7\n 8\n 9\n"
        );
    }

    #[test]
    fn distant_changes_make_two_hunks_and_additions_at_the_end_count() {
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let new: String = (1..=21)
            .map(|i| {
                if i == 2 {
                    "two\n".to_string()
                } else {
                    format!("{i}\n")
                }
            })
            .collect();
        let d = unified(&old, &new, "a", "b");
        assert_eq!(d.matches("@@ -").count(), 2, "{d}");
        assert!(d.contains("-2\n+two\n"), "{d}");
        assert!(d.contains("@@ -18,3 +18,4 @@\n 18\n 19\n 20\n+21\n"), "{d}");
    }

    #[test]
    fn adding_to_an_empty_file() {
        assert_eq!(
            unified("", "a\n", "x", "y"),
            "--- x\n+++ y\n@@ -0,0 +1 @@\n+a\n"
        );
    }

    #[test]
    fn a_missing_final_line_break_is_shown() {
        assert_eq!(
            unified("a\nb", "a\nc\n", "x", "y"),
            "--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n"
        );
    }

    /// Files far larger than an event file still get a diff of the lines that
    /// changed (the old hand-written diff, which kept a table of every pair of lines,
    /// showed the whole file as replaced above four million pairs).
    #[test]
    fn large_files_diff_line_by_line() {
        let old: String = (0..20_000).map(|i| format!("line {i}\n")).collect();
        let new = old.replace("line 10000\n", "changed\n");
        let d = unified(&old, &new, "a", "b");
        assert_eq!(
            d.lines().filter(|l| l.starts_with(['-', '+'])).count(),
            4,
            "{d}"
        );
    }
}
