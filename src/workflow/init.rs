//! `annalist init DIR`: a new chronology, ready to commit: the folders, the settings,
//! an example event with its actor and place, the JSON Schemas for editors' tools, a
//! `.gitignore` and a CI workflow that checks and builds the site on every push.

use super::{schema, write_new_file};
use crate::error::Error;
use std::path::{Path, PathBuf};

/// What `annalist init` is asked to do.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The folder to create the chronology in; it must not exist or be empty.
    pub dir: PathBuf,
    /// The site's title (`title` in annalist.yaml); a default in the site's language
    /// when absent.
    pub title: Option<String>,
    /// The language of the site: `fr` or `en`.
    pub language: String,
}

/// The id of the example event (its date, then a few words).
pub const EXAMPLE_EVENT: &str = "2025-01-15-example-event";

/// Creates the chronology and returns the files written, relative to `dir`.
pub fn run(args: &InitOptions) -> Result<Vec<String>, Error> {
    let dir = &args.dir;
    refuse_non_empty(dir)?;
    let files = files(args);
    for (path, _) in &files {
        // Checked before writing anything, so that a refusal leaves nothing behind.
        if dir.join(path).exists() {
            return Err(Error::new(format!(
                "`{}` already exists",
                dir.join(path).display()
            )));
        }
    }
    let mut written = Vec::new();
    for (path, text) in &files {
        write_new_file(dir, Path::new(path), text)?;
        written.push(path.clone());
    }
    for kind in schema::KINDS {
        let path = schema::file_for(kind);
        let text = schema::to_text(&schema::schema_for(kind).unwrap_or_default());
        write_new_file(dir, Path::new(&path), &text)?;
        written.push(path);
    }
    written.sort();
    Ok(written)
}

fn refuse_non_empty(dir: &Path) -> Result<(), Error> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::new(format!(
            "cannot look at `{}`: {e}",
            dir.display()
        ))),
        Ok(m) if !m.is_dir() => Err(Error::new(format!(
            "`{}` exists and is not a folder",
            dir.display()
        ))
        .help("give the path of a new folder")),
        Ok(_) => {
            let mut entries = std::fs::read_dir(dir)
                .map_err(|e| Error::new(format!("cannot list `{}`: {e}", dir.display())))?;
            if entries.next().is_some() {
                Err(Error::new(format!(
                    "`{}` is not empty; annalist init only creates a chronology in a new or empty folder",
                    dir.display()
                ))
                .help("give the path of a new folder; nothing was written"))
            } else {
                Ok(())
            }
        }
    }
}

/// Every file of a new chronology but the schemas, as (relative path, text).
fn files(args: &InitOptions) -> Vec<(String, String)> {
    let lang = args.language.as_str();
    let title = args.title.clone().unwrap_or_else(|| {
        if lang == "en" {
            "Chronology".into()
        } else {
            "Chronologie".into()
        }
    });
    let event_path = format!("events/2025/{EXAMPLE_EVENT}.yaml");
    vec![
        ("annalist.yaml".into(), config(&title, lang)),
        (".gitignore".into(), GITIGNORE.into()),
        (".github/workflows/site.yml".into(), WORKFLOW.into()),
        ("README.md".into(), readme(&title)),
        ("events/README.md".into(), EVENTS_README.into()),
        (event_path, format!("{}{EVENT}", schema::modeline("event"))),
        (
            "events/actors/example-organisation.yaml".into(),
            format!("{}{ACTOR}", schema::modeline("actor")),
        ),
        (
            "events/locations/example-region.yaml".into(),
            format!("{}{LOCATION}", schema::modeline("location")),
        ),
    ]
}

fn config(title: &str, lang: &str) -> String {
    format!(
        "# Settings of the chronology. Every setting is optional.\n\
         title: {}\n\
         # description: What this chronology covers, in a sentence or two.\n\
         # base_url: https://example.org/chronology/   # where the site is published\n\
         language: {lang}\n\
         # languages: [fr, en]   # one site per language, texts written as `fr: ...` / `en: ...`\n\
         # per_page: 50\n\
         # author: Who publishes the chronology\n",
        crate::yaml_out::scalar(title)
    )
}

fn readme(title: &str) -> String {
    format!(
        "# {title}\n\n\
         A chronology kept with annalist: one YAML file\n\
         per event under `events/<year>/`, per actor under `events/actors/` and per place under\n\
         `events/locations/`. See [events/README.md](events/README.md).\n\n\
         ```sh\n\
         annalist new --date 2025-05-23 --title \"...\" --location ID --type attack --status reported\n\
         annalist serve      # preview the site at http://127.0.0.1:8000/, reloaded on every change\n\
         annalist check      # report every problem of the chronology\n\
         annalist build      # build the site into site/\n\
         ```\n\n\
         Every push is checked and built by `.github/workflows/site.yml`.\n"
    )
}

const GITIGNORE: &str = "# The built site and annalist's working files are made from the sources; do not commit them.\n/site/\n/.annalist/\n";

const WORKFLOW: &str = r#"# Checks the chronology and builds the site on every push; on the main branch, publishes
# it with GitHub Pages (enable Pages with "GitHub Actions" as the source in the settings).
name: site
on:
  push:
  pull_request:
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: true
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # the whole history: event pages show when each account changed
      - uses: dtolnay/rust-toolchain@stable
      # This assumes annalist is published on crates.io. To build it from its source
      # instead, replace the line below with:
      #   cargo install --locked --git https://github.com/OWNER/annalist annalist
      - name: Install annalist
        run: cargo install --locked annalist
      - name: Check the chronology
        run: annalist check .
      - name: Build the site
        run: annalist build .
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site
  deploy:
    if: github.ref == 'refs/heads/main' && github.event_name != 'pull_request'
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#;

const EVENTS_README: &str = "# The chronology's files\n\n\
One file per event, `events/<year>/<id>.yaml` (the year in which the event's date begins), per\n\
actor, `events/actors/<id>.yaml`, and per place, `events/locations/<id>.yaml`. The file name\n\
without `.yaml` is the id, and the permanent address of the page: do not rename a published\n\
file without adding its old id to `aliases:`.\n\n\
- `annalist new --help` creates a file from flags, or asks for each field in a terminal.\n\
- `annalist check` reports every problem at once, with file, line and a hint.\n\
- `annalist serve` shows the site while you edit.\n\n\
Editors that understand `# yaml-language-server: $schema=...` (VS Code with the YAML\n\
extension, and others) complete field names and values from the schemas in `schema/`;\n\
refresh them with `annalist schema --write .` after updating annalist.\n\n\
Only what the sources say: keep a claim a claim, \"about 100\" about 100, and \"September 2023\"\n\
a month. The complete reference of every field is annalist's format reference\n\
(`events/README.md` in annalist's repository).\n";

const EVENT: &str = r#"# An example: replace it with your first event (`annalist new --help`), or delete it
# together with the example actor and place. Every field is described in the format
# reference; the optional ones are shown in comments.
title:
  fr: "Exemple : un événement à remplacer"
  en: "Example: an event to replace"
summary:
  fr: Un résumé d'une ou deux phrases, affiché dans les listes.
  en: A summary of one or two sentences, shown in lists.
date: 2025-01-15 # 2025-01-15, 2025-01, 2025, or a span 2025-01-15/2025-01-17; ~ approximate, ? uncertain
# time: midday   # 14:30, or morning, midday, afternoon, evening, night
type: political-development
status: reported
locations: [example-region]
actors:
  - id: example-organisation
    role: other
# claims:        # required when status is claimed
#   - claimant: example-organisation
#     claim: What the claimant says.
# official_reaction: none   # only when a source says no reaction was published
# casualties:
#   - who: civilians        # an actor id, or civilians
#     what: killed          # killed, wounded, captured, missing, losses
#     figure: about 10      # 10, about 10, at least 10, more than 10, fewer than 10, 10-40, several, dozens, hundreds, unspecified
#     source: 1             # the source that gives it; `according_to: an-actor` for the actor who does
#     date: 2025-01-15      # when it was given; one entry per report, never a merged figure
# related:
#   - id: 2025-01-10-another-event
#     relation: follow-up
sources:
  - publisher: Example publisher
    title: The article that reports the event
    date: 2025-01-15
    language: en
    url: https://example.org/article
    quote: The sentence of the source that supports the facts of this file.
tags: [example]
# updates:        # substantive corrections, for readers
#   - date: 2025-01-16
#     note:
#       en: The figure was corrected after a second source.
# aliases: [2025-01-15-old-id]   # former ids, if the file was renamed
body:
  fr: |
    Le récit complet, en **Markdown**, attribué à ses sources.
  en: |
    The full account, in **Markdown**, attributed to its sources.
"#;

const ACTOR: &str = r#"# An example actor: replace it, or delete it with the example event.
name:
  fr: Organisation d'exemple
  en: Example organisation
# short_name: EXO
# names:          # former names, each with the last day it was in use
#   - name:
#       fr: Ancien nom
#       en: Former name
#     short_name: ANC
#     until: 2022-03
# aliases: [Other name]
kind: organisation # armed-group, coalition, state-force, private-military, government, person, media, organisation, civilians
# relations:
#   - type: part-of
#     target: another-actor
description:
  fr: Une courte description, tirée des sources.
  en: A short description, from the sources.
"#;

const LOCATION: &str = r#"# An example place: replace it, or delete it with the example event.
name:
  fr: Région d'exemple
  en: Example region
kind: region # village, town, city, site, district, region, area, country
# parent: a-country          # the larger place that contains it
# parents:                   # instead of `parent`, when it moved (a region reform):
#   - {id: old-region, until: 2023}
#   - {id: new-region, since: 2023}
# coordinates: {lat: 12.34, lon: -5.67}   # from a source or a gazetteer, never guessed
#   (add `precision: approximate` or `precision: area`; `coordinates: unknown` if none is known)
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_file_starts_with_its_schema() {
        let args = InitOptions {
            dir: PathBuf::from("x"),
            title: Some("Chronique : essai".into()),
            language: "fr".into(),
        };
        for (path, text) in files(&args) {
            if path.starts_with("events/") && path.ends_with(".yaml") {
                assert!(
                    text.starts_with("# yaml-language-server: $schema=../../schema/"),
                    "{path}"
                );
            }
        }
        assert!(config("Chronique : essai", "fr").contains("title: \"Chronique : essai\""));
    }
}
