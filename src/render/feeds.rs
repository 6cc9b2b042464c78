//! Atom feeds (RFC 4287), the sitemap and robots.txt: written by code, with every
//! text escaped, because their formats are strict and readers' feed software is not
//! forgiving.

use super::views::{self, Ctx};
use crate::config::Config;
use crate::date::EventDate;
use crate::history::History;
use crate::index::EventIx;
use crate::load::Event;
use crate::model::Status;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use std::collections::BTreeMap;

/// How many of the newest events a feed carries.
pub const FEED_ENTRIES: usize = 50;

/// A feed to write: its path in the site, its title, the page it stands for, and its
/// events in chronological order, with the note of those only possibly linked to it
/// (an actor's feed: an event of a unit whose relation may not have held then).
pub struct Feed {
    pub path: String,
    pub title: String,
    pub page: String,
    pub events: Vec<EventIx>,
    pub notes: BTreeMap<EventIx, String>,
}

/// Escapes text for XML content and attribute values, and drops the characters XML 1.0
/// forbids (a feed with one of them is not XML, and readers refuse all of it): C0
/// controls but tab, LF and CR, and the noncharacters U+FFFE and U+FFFF (surrogates
/// cannot occur in a `str`). They are dropped rather than replaced by U+FFFD because
/// none of them is visible text. The characters XML only discourages (C1 controls,
/// U+FDD0 to U+FDEF, the last two of each plane) are valid and kept, as the pages
/// keep them.
pub fn xml_escape(s: &str) -> String {
    let escaped = super::html::replace_ascii(s, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&apos;"),
        b if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') => Some(""),
        _ => None,
    });
    drop_non_xml(escaped)
}

/// The two characters past ASCII that XML 1.0 does not allow.
const NOT_XML: [char; 2] = ['\u{FFFE}', '\u{FFFF}'];

/// `s` without U+FFFE and U+FFFF; as it is when it has neither, which is nearly always
/// (each test is one `memchr` pass).
fn drop_non_xml(s: String) -> String {
    if s.contains(NOT_XML[0]) || s.contains(NOT_XML[1]) {
        s.replace(NOT_XML, "")
    } else {
        s
    }
}

/// An absolute URL for a site path, or a stable URN when no `base_url` is set.
fn absolute(config: &Config, path: &str) -> String {
    match &config.base_url {
        Some(b) => format!("{b}{}", super::html::pretty(path)),
        None => format!(
            "urn:annalist:{}",
            super::html::pretty(path)
                .trim_end_matches('/')
                .replace('/', ":")
        ),
    }
}

/// A link from the feed at `from` to the page at `to`: absolute with `base_url`,
/// otherwise relative to the feed (feed readers resolve it against the feed's address).
fn href(config: &Config, from: &str, to: &str) -> String {
    match &config.base_url {
        Some(b) => format!("{b}{}", super::html::pretty(to)),
        None => super::html::relative(from, to),
    }
}

/// When an event's entry last changed, for feed readers: the time of the last commit
/// of its file when the chronology is in git, so that a committed correction (a status
/// from `denied` to `confirmed`) republishes the entry; otherwise the newest date of
/// its sources, else its own date. Read from the files and commits, never the clock.
pub fn updated(e: &Event, history: &History) -> DateTime<Utc> {
    let committed = history
        .of(&e.id)
        .and_then(|h| h.last_updated())
        .and_then(|r| DateTime::parse_from_rfc3339(&r.datetime).ok())
        .map(|t| t.with_timezone(&Utc));
    committed.unwrap_or_else(|| midnight(dated(e)))
}

/// The newest date of an event's sources, else its own date.
fn dated(e: &Event) -> NaiveDate {
    e.data
        .sources
        .iter()
        .filter_map(|s| s.date.as_ref().map(|d| d.value.earliest()))
        .max()
        .unwrap_or_else(|| e.data.date.value.earliest())
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(NaiveTime::MIN).and_utc()
}

/// RFC 3339 in UTC, to the second: `2025-03-01T09:30:00Z`.
fn rfc3339(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// "Dernière correction le 3 mars 2025": when the event's file was last changed
/// after it was first published, or nothing when it never was (or has no history).
fn last_corrected(ctx: &Ctx, e: &Event, history: &History) -> Option<String> {
    let h = history.of(&e.id).filter(|h| h.revisions.len() > 1)?;
    let r = h.last_updated()?;
    let date = EventDate::parse(&r.date).ok()?;
    Some(
        ctx.strings
            .get("last_corrected")
            .replace("{date}", &ctx.date(&date)),
    )
}

/// The entries of a tree's feeds, made the first time a feed carries them: an event is
/// in the feed of the site, of each actor and of each place, and its entry (Markdown
/// to HTML, escaping) costs more than copying it. The two parts of `entry`.
pub struct Entries(Vec<std::sync::OnceLock<(String, String)>>);

impl Entries {
    pub fn new(events: usize) -> Entries {
        Entries((0..events).map(|_| Default::default()).collect())
    }
}

/// Renders one Atom feed, with the entries already made in `cache`; `history` dates
/// the entries.
pub fn atom(
    ctx: &Ctx,
    config: &Config,
    feed: &Feed,
    cache: &Entries,
    history: &History,
) -> Vec<u8> {
    let entries: Vec<(EventIx, &Event)> = feed
        .events
        .iter()
        .rev()
        .take(FEED_ENTRIES)
        .map(|&ix| (ix, ctx.index.events[ix]))
        .collect();
    // An empty feed still needs an `updated`: the Unix epoch, fixed, never the clock.
    let feed_updated = entries
        .iter()
        .map(|(_, e)| updated(e, history))
        .max()
        .unwrap_or(DateTime::UNIX_EPOCH);
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        ctx.code()
    ));
    x.push_str(&format!(
        "  <id>{}</id>\n",
        xml_escape(&absolute(config, &feed.path))
    ));
    x.push_str(&format!("  <title>{}</title>\n", xml_escape(&feed.title)));
    if let Some(d) = &config.description {
        x.push_str(&format!("  <subtitle>{}</subtitle>\n", xml_escape(d)));
    }
    x.push_str(&format!("  <updated>{}</updated>\n", rfc3339(feed_updated)));
    let self_href = match &config.base_url {
        Some(b) => format!("{b}{}", feed.path),
        None => feed
            .path
            .rsplit('/')
            .next()
            .unwrap_or("atom.xml")
            .to_string(),
    };
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(&self_href)
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&href(config, &feed.path, &feed.page))
    ));
    let author = config
        .author
        .clone()
        .unwrap_or_else(|| config.title.clone());
    x.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_escape(&author)
    ));
    x.push_str("  <generator>annalist</generator>\n");
    for (ix, e) in entries {
        let url = views::event_url(&e.id);
        let made;
        // An entry with a note is this feed's own: made here, not kept.
        let (head, tail) = match (feed.notes.get(&ix), cache.0.get(ix)) {
            (None, Some(cell)) => cell.get_or_init(|| entry(ctx, config, e, None, history)),
            (note, _) => {
                made = entry(ctx, config, e, note.map(String::as_str), history);
                &made
            }
        };
        x.push_str(head);
        x.push_str(&xml_escape(&href(config, &feed.path, &url)));
        x.push_str(tail);
    }
    x.push_str("</feed>\n");
    x.into_bytes()
}

/// The entry of `e`, the same in every feed but for its link to the event's page,
/// which stands between the two parts.
fn entry(
    ctx: &Ctx,
    config: &Config,
    e: &Event,
    note: Option<&str>,
    history: &History,
) -> (String, String) {
    let mut x = String::new();
    let card = views::card(ctx, e);
    let url = views::event_url(&e.id);
    let mut title = card.title.text.clone();
    if e.data.status.value == Status::Claimed {
        // A claim reads as a claim in every list, feed readers included.
        let who: Vec<String> = card.claimed_by.iter().map(|l| l.name.clone()).collect();
        title = format!(
            "[{}] {title}",
            ctx.strings
                .get("claimed_by")
                .replace("{who}", &who.join(", "))
        );
    }
    let mut summary = format!("{} — {}", card.date, card.status_label);
    let corrected = last_corrected(ctx, e, history);
    if let Some(c) = &corrected {
        summary.push_str(" — ");
        summary.push_str(c);
    }
    if let Some(n) = note {
        summary.push_str(" — ");
        summary.push_str(n);
    }
    if let Some(s) = &e.data.summary {
        summary.push_str(" — ");
        summary.push_str(&super::markdown::to_plain(&ctx.text(s).text));
    }
    x.push_str("  <entry>\n");
    x.push_str(&format!(
        "    <id>{}</id>\n",
        xml_escape(&absolute(config, &url))
    ));
    x.push_str(&format!("    <title>{}</title>\n", xml_escape(&title)));
    x.push_str(&format!(
        "    <updated>{}</updated>\n",
        rfc3339(updated(e, history))
    ));
    // Every entry links to its page: RFC 4287 wants content or an alternate link.
    x.push_str("    <link rel=\"alternate\" type=\"text/html\" href=\"");
    let mut tail = String::from("\"/>\n");
    tail.push_str(&format!(
        "    <category term=\"{}\" label=\"{}\"/>\n",
        card.type_key,
        xml_escape(card.type_label)
    ));
    tail.push_str(&format!(
        "    <summary type=\"text\">{}</summary>\n",
        xml_escape(&summary)
    ));
    if let Some(b) = &e.data.body {
        // Readers that show the content and not the summary still see the correction.
        let mut html = corrected
            .map(|c| format!("<p><em>{}</em></p>\n", super::html::escape_html(&c)))
            .unwrap_or_default();
        html.push_str(&ctx.markdown(b).text);
        tail.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            xml_escape(&html)
        ));
    }
    tail.push_str("  </entry>\n");
    (x, tail)
}

/// The sitemap of every page, with absolute URLs when `base_url` is set.
pub fn sitemap<'a>(config: &Config, pages: impl Iterator<Item = &'a String>) -> Vec<u8> {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        let loc = match &config.base_url {
            Some(b) => format!("{b}{}", super::html::pretty(p)),
            None => super::html::pretty(p),
        };
        x.push_str(&format!("  <url><loc>{}</loc></url>\n", xml_escape(&loc)));
    }
    x.push_str("</urlset>\n");
    x.into_bytes()
}

pub fn robots(config: &Config) -> Vec<u8> {
    let mut s = String::from("User-agent: *\nAllow: /\n");
    if let Some(b) = &config.base_url {
        s.push_str(&format!("Sitemap: {b}sitemap.xml\n"));
    }
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{EventHistory, Revision};
    use crate::span::Known;
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    fn event() -> Event {
        let mut k = Known::default();
        k.locations.insert("kidal".to_string());
        let text = "title: Attaque\ndate: 2013-11-02\ntype: attack\nstatus: confirmed\nlocations: [kidal]\nsources:\n  - publisher: RFI\n    date: 2013-11\n  - publisher: AFP\n    date: 2013-12-05\n";
        let data = crate::load::parse_event(text, Path::new("e.yaml"), "e", &Arc::new(k))
            .expect("a valid event");
        Event {
            id: "e".into(),
            path: PathBuf::from("events/e.yaml"),
            data,
        }
    }

    fn revision(datetime: &str) -> Revision {
        Revision {
            commit: "0".repeat(40),
            datetime: datetime.into(),
            date: datetime[..10].into(),
            subject: "s".into(),
        }
    }

    #[test]
    fn an_entry_is_updated_by_its_last_commit_else_by_its_sources() {
        let e = event();
        // Outside git: the newest source date.
        assert_eq!(
            rfc3339(updated(&e, &History::none())),
            "2013-12-05T00:00:00Z"
        );
        // In git: the newest commit of the file, in UTC, however old the sources.
        let mut h = History::none();
        h.events.insert(
            "e".into(),
            EventHistory {
                revisions: vec![
                    revision("2025-03-01T10:30:00+01:00"),
                    revision("2024-01-02T08:00:00+00:00"),
                ],
            },
        );
        assert_eq!(rfc3339(updated(&e, &h)), "2025-03-01T09:30:00Z");
        // An unreadable commit time falls back to the sources, never to the clock.
        h.events.insert(
            "e".into(),
            EventHistory {
                revisions: vec![revision("2025-03-01 garbage")],
            },
        );
        assert_eq!(rfc3339(updated(&e, &h)), "2013-12-05T00:00:00Z");
    }
}
