//! The chronology's own templates, style sheet and interface strings (`templates/`),
//! read by the rule of every file of the chronology: no links, no pipes, at most 1 MiB.

use crate::error::Error;
use std::path::Path;

/// `root/templates/<rel>` as text, or `None` when the chronology has no such file.
pub fn read(root: &Path, rel: &str) -> Result<Option<String>, Error> {
    let shown = Path::new("templates").join(rel);
    let problem = |d: crate::diag::Diagnostic| {
        Error::new(format!("`{}`: {}", d.file.display(), d.message)).with_help(d.help)
    };
    let Some(bytes) = crate::load::read_optional(&root.join(&shown), &shown).map_err(problem)?
    else {
        return Ok(None);
    };
    String::from_utf8(bytes).map(Some).map_err(|_| {
        Error::new(format!(
            "`{}`: this file is not valid UTF-8 text",
            shown.display()
        ))
        .help("save the file as UTF-8 (most editors offer it under \"Save with encoding\")")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_none_and_a_present_one_is_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(read(dir.path(), "style.css"), Ok(None));
        std::fs::create_dir(dir.path().join("templates")).expect("mkdir");
        std::fs::write(dir.path().join("templates/style.css"), "p {}").expect("write");
        assert_eq!(read(dir.path(), "style.css"), Ok(Some("p {}".into())));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_refused_and_its_target_not_shown() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::write(outside.path().join("secret"), "TOKEN=hunter2").expect("write");
        std::fs::create_dir(dir.path().join("templates")).expect("mkdir");
        std::os::unix::fs::symlink(
            outside.path().join("secret"),
            dir.path().join("templates/style.css"),
        )
        .expect("symlink");
        let e = read(dir.path(), "style.css").expect_err("a link is refused");
        assert!(e.message.contains("`templates/style.css`"), "{e:?}");
        assert!(e.message.contains("symbolic link"), "{e:?}");
        assert!(!format!("{e:?}").contains("hunter2"));
        assert!(
            e.help
                .is_some_and(|h| h.contains("replace the link with the file itself"))
        );
        // A dangling link is refused too, not taken for a missing file.
        std::fs::remove_file(outside.path().join("secret")).expect("rm");
        assert!(read(dir.path(), "style.css").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_folder_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(outside.path().join("i18n")).expect("mkdir");
        std::fs::write(outside.path().join("i18n/fr.yaml"), "a: b").expect("write");
        std::os::unix::fs::symlink(outside.path(), dir.path().join("templates")).expect("link");
        let e = read(dir.path(), "i18n/fr.yaml").expect_err("a linked folder is refused");
        assert!(
            e.message.contains("`templates` is a symbolic link"),
            "{e:?}"
        );
        assert!(e.help.is_some_and(|h| h.contains("the folder itself")));
        // Also when the file itself is not there: the folder is still a link.
        assert!(read(dir.path(), "style.css").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_is_refused_without_blocking() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("templates")).expect("mkdir");
        let fifo = dir.path().join("templates/style.css");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let e = read(dir.path(), "style.css").expect_err("a pipe is refused");
        assert!(e.message.contains("not a regular file"), "{e:?}");
    }
}
