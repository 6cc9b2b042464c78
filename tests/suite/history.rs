//! History from git on event pages, and `aliases:` (former ids) with their redirect
//! pages: a temporary git repository with commits at fixed dates (create, edit,
//! rename), built by the real binary; then a shallow clone and a folder outside git.

use crate::common;

use std::path::Path;
use std::process::Command;

const OLD: &str = "events/2025/2025-05-23-djoura-camp-attack.yaml";
const NEW: &str = "events/2025/2025-05-23-djoura-camp-capture.yaml";
const OTHER: &str = "events/2023/2023-09-djoura-camp-attack.yaml";

/// Runs git in `dir` with a fixed identity and date, isolated from the user's settings.
pub(crate) fn git(dir: &Path, date: &str, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Editor",
            "-c",
            "user.email=editor@example.org",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub(crate) fn commit(dir: &Path, date: &str, message: &str) {
    git(dir, date, &["add", "-A"]);
    git(dir, date, &["commit", "-q", "-m", message]);
}

fn edit(dir: &Path, file: &str, f: impl FnOnce(String) -> String) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, f(text)).expect("write");
}

/// `annalist check` of `d` fails (exit 1) saying `error`; its stderr.
fn check_refuses(d: &Path, error: &str) -> String {
    let run = common::annalist(&["check", "."], d);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(error), "{}", run.stderr);
    run.stderr
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// A repository: the event created on 23 May, corrected on 24 May, renamed on 1 June
/// (keeping its old id in `aliases:`), and another event edited twelve times after.
fn repository() -> tempfile::TempDir {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    git(d, "2025-05-23T10:00:00+02:00", &["init", "-q"]);
    commit(d, "2025-05-23T10:00:00+02:00", "Add the Djoura attack");
    edit(d, OLD, |t| {
        format!(
            "{t}updates:\n  - date: 2025-05-24\n    note:\n      fr: Le chiffre des pertes a été corrigé.\n"
        )
    });
    commit(
        d,
        "2025-05-24T09:30:00+02:00",
        "Correct the losses <figure>",
    );
    git(d, "2025-06-01T12:00:00+00:00", &["mv", OLD, NEW]);
    edit(d, NEW, |t| {
        format!("{t}aliases: [2025-05-23-djoura-camp-attack]\n")
    });
    edit(d, OTHER, |t| {
        t.replace(
            "2025-05-23-djoura-camp-attack",
            "2025-05-23-djoura-camp-capture",
        )
    });
    commit(d, "2025-06-01T12:00:00+00:00", "Rename the Djoura event");
    for i in 1..=12 {
        edit(d, OTHER, |t| format!("{t}# note {i}\n"));
        commit(
            d,
            &format!("2025-07-{i:02}T08:00:00+00:00"),
            &format!("Touch the 2023 event ({i})"),
        );
    }
    dir
}

#[test]
fn event_pages_show_when_they_were_published_and_changed() {
    let repo = repository();
    let d = repo.path();
    let run = common::annalist(&["build", ".", "--output", "out"], d);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("git"), "no warning: {}", run.stderr);

    let page = read(d, "out/events/2025-05-23-djoura-camp-capture/index.html");
    let history = &page[page.find("class=\"history\"").expect("a history section")..];
    assert!(
        history.contains("Publié le <time datetime=\"2025-05-23\">23 mai 2025</time>"),
        "{history}"
    );
    assert!(
        history.contains("mis à jour le <time datetime=\"2025-06-01\">1er juin 2025</time>")
            || history.contains("mis à jour le <time datetime=\"2025-06-01\">1 juin 2025</time>"),
        "{history}"
    );
    // Newest first, through the rename, with messages escaped and marked as of unknown
    // language (`lang=""`): the settings do not say which language commits are in.
    let revisions: Vec<&str> = history
        .split("<li>")
        .skip(1)
        .map(|li| li.split("</li>").next().unwrap_or(""))
        .collect();
    assert_eq!(revisions.len(), 3, "{history}");
    assert!(
        revisions[0].ends_with("— <span lang=\"\">Rename the Djoura event</span>"),
        "{revisions:?}"
    );
    assert!(
        revisions[1].ends_with("— <span lang=\"\">Correct the losses &lt;figure&gt;</span>"),
        "{revisions:?}"
    );
    assert!(
        revisions[2].contains("datetime=\"2025-05-23\""),
        "{revisions:?}"
    );
    assert!(
        revisions[2].ends_with("— <span lang=\"\">Add the Djoura attack</span>"),
        "{revisions:?}"
    );

    // The editor's note on the correction.
    let updates = &page[page.find("class=\"updates\"").expect("an updates section")..];
    assert!(
        updates.contains("<time datetime=\"2025-05-24\">"),
        "{updates}"
    );
    assert!(updates.contains("Le chiffre des pertes a été corrigé."));

    // At most ten revisions, and a word on the others.
    let other = read(d, "out/events/2023-09-djoura-camp-attack/index.html");
    let other = &other[other.find("class=\"history\"").expect("history")..];
    assert_eq!(other.matches("<li>").count(), 10, "{other}");
    assert!(other.contains("Touch the 2023 event (12)"));
    assert!(!other.contains("Touch the 2023 event (2)<"));
    assert!(other.contains("et 4 révisions plus anciennes"), "{other}");

    // The old address redirects to the new one, with relative links.
    let redirect = read(d, "out/events/2025-05-23-djoura-camp-attack/index.html");
    assert!(redirect.contains(
        "<meta http-equiv=\"refresh\" content=\"0; url=../2025-05-23-djoura-camp-capture/index.html\">"
    ));
    assert!(redirect.contains(
        "<link rel=\"canonical\" href=\"../2025-05-23-djoura-camp-capture/index.html\">"
    ));
    assert!(redirect.contains("<a href=\"../2025-05-23-djoura-camp-capture/index.html\">"));
    let sitemap_or_feed = read(d, "out/atom.xml");
    assert!(!sitemap_or_feed.contains("events/2025-05-23-djoura-camp-attack/"));

    // The same commits give the same bytes.
    let again = common::annalist(&["build", ".", "--output", "out2"], d);
    assert_eq!(again.code, 0);
    for f in [
        "events/2025-05-23-djoura-camp-capture/index.html",
        "events/2025-05-23-djoura-camp-attack/index.html",
    ] {
        assert_eq!(
            read(d, &format!("out/{f}")),
            read(d, &format!("out2/{f}")),
            "{f}"
        );
    }
}

#[test]
fn without_full_history_the_build_says_so_and_invents_nothing() {
    let repo = repository();
    let clone = tempfile::tempdir().expect("temporary folder");
    let url = format!("file://{}", repo.path().display());
    git(
        clone.path(),
        "2025-08-01T00:00:00Z",
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let shallow = clone.path().join("shallow");
    let run = common::annalist(&["build", ".", "--output", "out"], &shallow);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: this is a shallow clone"),
        "{}",
        run.stderr
    );
    let page = read(
        &shallow,
        "out/events/2025-05-23-djoura-camp-capture/index.html",
    );
    assert!(
        !page.contains("class=\"history\""),
        "no dates from a cut history"
    );
    assert!(
        page.contains("class=\"updates\""),
        "the editors' notes stay"
    );

    // Outside git altogether.
    let plain = common::chronology("workflow", "_base");
    let run = common::annalist(&["build", ".", "--output", "out"], plain.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: the chronology is not in a git repository"),
        "{}",
        run.stderr
    );
    let page = read(
        plain.path(),
        "out/events/2025-05-23-djoura-camp-attack/index.html",
    );
    assert!(!page.contains("class=\"history\""));
}

#[test]
fn check_refuses_aliases_that_clash() {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    // A former id that is the id of another event.
    edit(d, OLD, |t| {
        format!("{t}aliases: [2023-09-djoura-camp-attack]\n")
    });
    let stderr = check_refuses(
        d,
        "the former id `2023-09-djoura-camp-attack` clashes: another event has this id",
    );
    assert!(stderr.contains(&format!("{OLD}:")), "{stderr}");

    // An event's own id.
    edit(d, OLD, |t| {
        t.replace("aliases: [2023-09-djoura-camp-attack]", "aliases: [old-id]")
    });
    edit(d, OTHER, |t| {
        format!("{t}aliases: [2023-09-djoura-camp-attack]\n")
    });
    check_refuses(d, "this is the event's own id, not a former one");

    // The same former id claimed by two events.
    edit(d, OTHER, |t| {
        t.replace("aliases: [2023-09-djoura-camp-attack]", "aliases: [old-id]")
    });
    check_refuses(d, "the former id `old-id` is also claimed by");

    // A valid former id passes, and `build` writes its redirect page.
    edit(d, OTHER, |t| {
        t.replace("aliases: [old-id]", "aliases: [2023-09-older-id]")
    });
    let run = common::annalist(&["build", ".", "--output", "out"], d);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(d.join("out/events/2023-09-older-id/index.html").is_file());
}
