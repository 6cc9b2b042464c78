//! `annalist serve` over a real socket: the real binary on a copy of
//! `tests/fixtures/workflow/_base`, on a free port; pages, 404, HEAD, refused paths,
//! rebuilds after a change, the diagnostics page and the recovery, the reload stream;
//! requests of other sites refused, slow clients and crowds of streams bounded, the
//! sitemap rendered without holding up other pages.
//! Every wait is bounded, and the server is killed when a test ends, even when it fails.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const EVENT: &str = "events/2025/2025-05-23-djoura-camp-attack.yaml";
const EVENT_PAGE: &str = "/events/2025-05-23-djoura-camp-attack/";
/// How long a rebuild may take to show, at most (debug builds on a busy machine).
const WAIT: Duration = Duration::from_secs(30);

/// A running `annalist serve`, killed when dropped.
struct Server {
    child: Child,
    addr: String,
    /// Lines the server printed on stdout.
    lines: Receiver<String>,
    /// The lines it printed before its address (the first build).
    first: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path, args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .arg("serve")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start annalist serve");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut server = Server {
        child,
        addr: String::new(),
        lines: rx,
        first: Vec::new(),
    };
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        match server.lines.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                if let Some(at) = line.find("http://") {
                    let url = line[at + "http://".len()..]
                        .split_whitespace()
                        .next()
                        .unwrap_or("");
                    server.addr = url.trim_end_matches('/').to_string();
                    return server;
                }
                server.first.push(line);
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(_) => break,
        }
    }
    panic!("annalist serve did not print its address in time");
}

/// A response: status, headers (lowercase names), body.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `METHOD target` as written (no normalisation of `..`) and reads the answer.
fn request(addr: &str, method: &str, target: &str) -> Response {
    raw(
        addr,
        &format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
}

/// `GET target` with these headers (`Host` among them when wanted).
fn get_with(addr: &str, target: &str, headers: &[(&str, &str)]) -> Response {
    let mut head = format!("GET {target} HTTP/1.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    raw(addr, &head)
}

/// Sends `head` as written and reads the answer.
fn raw(addr: &str, head: &str) -> Response {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    s.write_all(head.as_bytes()).expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read the response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete response");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}

fn get(addr: &str, target: &str) -> Response {
    request(addr, "GET", target)
}

/// Asks for `target` until `ok` holds, for at most `WAIT`.
fn wait_for(addr: &str, target: &str, ok: impl Fn(&Response) -> bool) -> Response {
    let deadline = Instant::now() + WAIT;
    loop {
        let r = get(addr, target);
        if ok(&r) {
            return r;
        }
        if Instant::now() > deadline {
            panic!(
                "{target} did not change as expected in time; last answer {}:\n{}",
                r.status, r.body
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Writes a file so that its modification is seen even within the same clock tick.
fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write the file");
}

#[test]
fn serves_pages_404_and_head_and_refuses_paths_outside_the_site() {
    let dir = common::chronology("workflow", "_base");
    let server = start(dir.path(), &["--port", "0"]);
    let a = &server.addr;

    let home = get(a, "/");
    assert_eq!(home.status, 200);
    assert!(
        home.header("content-type")
            .is_some_and(|c| c.starts_with("text/html"))
    );
    assert!(home.body.contains("Chronologie de test"), "{}", home.body);
    // The reload script is in served pages...
    assert!(home.body.contains("/__annalist/events"));

    let page = get(a, EVENT_PAGE);
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Le JNIM revendique la prise du camp de Djoura")
    );
    assert_eq!(
        page.header("content-length").and_then(|l| l.parse().ok()),
        Some(page.body.len())
    );

    // A folder without its final slash is redirected, so that relative links work.
    let r = get(a, "/events/2025-05-23-djoura-camp-attack");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some(EVENT_PAGE));

    let css = get(a, "/style.css");
    assert_eq!(css.status, 200);
    assert!(
        css.header("content-type")
            .is_some_and(|c| c.starts_with("text/css"))
    );
    assert!(
        !css.body.contains("__annalist"),
        "only HTML gets the script"
    );

    let missing = get(a, "/events/no-such-event/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page introuvable"),
        "{}",
        missing.body
    );

    let head = request(a, "HEAD", EVENT_PAGE);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(head.header("content-length").is_some_and(|l| l != "0"));

    for bad in [
        "/../../../../etc/passwd",
        "/events/../../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
    ] {
        let r = get(a, bad);
        assert_eq!(r.status, 403, "{bad}");
        assert!(!r.body.contains("root:"), "{bad}");
    }
    assert_eq!(request(a, "POST", "/").status, 405);
    // Another site's name pointed at this machine (DNS rebinding) gets nothing.
    let mut s = TcpStream::connect(a).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    write!(s, "GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n").expect("send");
    let mut answer = String::new();
    s.read_to_string(&mut answer).expect("read");
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");

    // ...never in the files a build writes.
    let out = dir.path().join("out");
    let run = common::annalist(&["build", ".", "--output", "out"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let built = std::fs::read_to_string(out.join("index.html")).expect("built page");
    assert!(!built.contains("__annalist"));
}

#[test]
fn a_change_is_rebuilt_errors_are_shown_and_fixing_them_recovers() {
    let dir = common::chronology("workflow", "_base");
    let server = start(dir.path(), &["--port", "0"]);
    let a = &server.addr;
    let file = dir.path().join(EVENT);
    let original = std::fs::read_to_string(&file).expect("read");

    // The reload stream announces the current version first.
    let mut stream = TcpStream::connect(a).expect("connect");
    stream.set_read_timeout(Some(WAIT)).expect("timeout");
    write!(
        stream,
        "GET /__annalist/events HTTP/1.1\r\nHost: {a}\r\n\r\n"
    )
    .expect("send");
    let mut events = BufReader::new(stream);
    let first = next_version(&mut events);

    let changed = original.replace(
        "Le JNIM revendique la prise du camp de Djoura",
        "Titre corrigé après relecture",
    );
    write(&file, &changed);
    wait_for(a, EVENT_PAGE, |r| {
        r.status == 200 && r.body.contains("Titre corrigé après relecture")
    });
    let second = next_version(&mut events);
    assert_ne!(first, second, "the open pages are told to reload");

    // A broken file: every page shows the problems, escaped, instead of the old site.
    let broken = changed.replace("status: claimed", "status: <claimd>");
    write(&file, &broken);
    let r = wait_for(a, "/", |r| r.status == 500);
    assert!(r.body.contains("The chronology has errors"), "{}", r.body);
    assert!(r.body.contains("&lt;claimd&gt;"), "{}", r.body);
    assert!(!r.body.contains("<claimd>"), "diagnostics are escaped");
    assert!(r.body.contains(EVENT), "{}", r.body);
    let other = get(a, "/actors/index.html");
    assert_eq!(other.status, 500);
    assert!(other.body.contains("&lt;claimd&gt;"));
    assert!(
        other.body.contains("/__annalist/events"),
        "the error page reloads too"
    );

    // Fixed: the site is back, with the latest text.
    write(&file, &changed);
    let r = wait_for(a, EVENT_PAGE, |r| r.status == 200);
    assert!(r.body.contains("Titre corrigé après relecture"));

    // A new file (the set of files changes) and a template override.
    let new_event = dir
        .path()
        .join("events/2025/2025-06-01-nouvel-evenement.yaml");
    write(
        &new_event,
        "title: Nouvel événement\ndate: 2025-06-01\ntype: attack\nstatus: reported\nlocations: [djoura]\n",
    );
    wait_for(a, "/events/2025-06-01-nouvel-evenement/", |r| {
        r.status == 200
    });
    std::fs::create_dir_all(dir.path().join("templates")).expect("templates folder");
    write(
        &dir.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Perdu ici</h1>{% endblock main %}",
    );
    wait_for(a, "/nowhere", |r| {
        r.status == 404 && r.body.contains("Perdu ici")
    });
}

/// Reads the reload stream up to its next `data:` line.
fn next_version(events: &mut BufReader<TcpStream>) -> String {
    let mut line = String::new();
    loop {
        line.clear();
        let n = events.read_line(&mut line).expect("read the reload stream");
        assert!(n > 0, "the reload stream ended");
        if let Some(v) = line.strip_prefix("data: ") {
            return v.trim().to_string();
        }
    }
}

#[test]
fn a_site_in_two_languages_is_served_from_its_root() {
    let dir = common::chronology("workflow", "_base");
    let settings = dir.path().join("annalist.yaml");
    let mut text = std::fs::read_to_string(&settings).unwrap_or_default();
    text.push_str("\nlanguages: [fr, en]\nbase_url: https://example.org/x/\n");
    write(&settings, &text);
    let server = start(dir.path(), &["--port", "0"]);
    let a = &server.addr;
    let root = get(a, "/");
    assert_eq!(root.status, 200);
    assert!(root.body.contains("url=fr/index.html"), "{}", root.body);
    let en = get(a, "/en/");
    assert_eq!(en.status, 200);
    assert!(en.body.contains("<html lang=\"en\">"), "{}", en.body);
    assert!(en.body.contains("hreflang=\"fr\""), "{}", en.body);
    assert_eq!(get(a, "/fr/atom.xml").status, 200);
    // The search index's files, made together, answered one by one, in each tree.
    let head = get(a, "/en/data/search/index.json");
    assert_eq!(head.status, 200);
    let head: serde_json::Value = serde_json::from_str(&head.body).expect("JSON");
    assert_eq!(head["lang"], "en");
    let shard = head["w"][0].as_str().expect("a shard");
    assert_eq!(
        get(a, &format!("/en/data/search/w/w{shard}.json")).status,
        200
    );
    assert_eq!(get(a, "/fr/data/search/c/0.json").status, 200);
    assert_eq!(get(a, "/fr/data/search/c/999.json").status, 404);
    // A missing page under a language's folder answers in that language.
    let missing = get(a, "/en/events/nothing-here/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"), "{}", missing.body);
    assert!(
        missing.body.contains("<base href=\"/en/\">"),
        "{}",
        missing.body
    );
    // Built, the 404 page links from base_url (it is served at any depth); served
    // here, from this server's root.
    assert!(
        missing.body.contains("href=\"/en/style.css\"")
            && missing.body.contains("href=\"/fr/404.html\"")
            && !missing.body.contains("https://example.org/x/"),
        "{}",
        missing.body
    );
    let top = get(a, "/nothing-here/at/all/");
    assert_eq!(top.status, 404);
    assert!(top.body.contains("href=\"/fr/style.css\""), "{}", top.body);
}

/// The summary in a line `built in 12 ms (all files read): ok: ... (2 warnings); pages reload`.
fn summary_of(line: &str) -> Option<String> {
    let rest = line.split_once("): ")?.1;
    Some(rest.rsplit_once("; ")?.0.to_string())
}

/// The summary line of `annalist check`.
fn check_summary(root: &Path) -> String {
    let run = common::annalist(&["check", "."], root);
    run.stdout.lines().next().unwrap_or("").to_string()
}

#[test]
fn serve_reports_the_warnings_check_reports_translations_included() {
    let dir = common::chronology("workflow", "_base");
    let settings = dir.path().join("annalist.yaml");
    let mut text = std::fs::read_to_string(&settings).unwrap_or_default();
    text.push_str("\nlanguages: [fr, en]\n");
    write(&settings, &text);
    let expected = check_summary(dir.path());
    assert_eq!(expected, "ok: 2 events, 2 actors, 3 locations (2 warnings)");
    let server = start(dir.path(), &["--port", "0"]);
    let built = server
        .first
        .iter()
        .find(|l| l.starts_with("built in"))
        .and_then(|l| summary_of(l));
    assert_eq!(
        built.as_deref(),
        Some(expected.as_str()),
        "{:?}",
        server.first
    );

    // An English title: one warning fewer, after an incremental rebuild too.
    let file = dir
        .path()
        .join("events/2023/2023-09-djoura-camp-attack.yaml");
    let event = std::fs::read_to_string(&file).expect("read");
    let (first, rest) = event.split_once('\n').expect("a first line");
    let title = first
        .strip_prefix("title: ")
        .expect("the title comes first");
    write(
        &file,
        &format!("title:\n  fr: \"{title}\"\n  en: Azawad movements take the Djoura camp\n{rest}"),
    );
    let expected = check_summary(dir.path());
    assert_eq!(expected, "ok: 2 events, 2 actors, 3 locations (1 warning)");
    let deadline = Instant::now() + WAIT;
    let rebuilt = loop {
        let line = server
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("serve rebuilds in time");
        if line.starts_with("rebuilt in") {
            break line;
        }
    };
    assert!(rebuilt.contains("1 file re-read"), "{rebuilt}");
    assert_eq!(summary_of(&rebuilt).as_deref(), Some(expected.as_str()));
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let dir = common::chronology("workflow", "_base");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    if port > 65_000 {
        return; // too close to the end of the range to try the next ones
    }
    let server = start(dir.path(), &["--port", &port.to_string()]);
    let got: u16 = server
        .addr
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("a port");
    assert!(got > port && got < port + 20, "{got} after {port}");
    assert_eq!(get(&server.addr, "/").status, 200);
    drop(taken);
}

#[test]
fn requests_of_other_sites_pages_and_other_hosts_are_refused() {
    let dir = common::chronology("workflow", "_base");
    let server = start(dir.path(), &["--port", "0"]);
    let a = &server.addr;
    let port = a.rsplit(':').next().expect("a port");
    let localhost = format!("localhost:{port}");
    let ours = format!("http://{a}");
    for ok in [
        vec![("Host", a.as_str())],
        vec![("Host", localhost.as_str())],
        vec![("Host", a.as_str()), ("Sec-Fetch-Site", "same-origin")],
        vec![("Host", a.as_str()), ("Sec-Fetch-Site", "none")],
        vec![("Host", a.as_str()), ("Origin", ours.as_str())],
    ] {
        assert_eq!(get_with(a, EVENT_PAGE, &ok).status, 200, "{ok:?}");
    }
    let other_port = format!("127.0.0.1:{}", port.parse::<u32>().expect("port") + 1);
    for (bad, status) in [
        // An image or script of a page on the web (`no-cors`), or a frame, a form.
        (
            vec![
                ("Host", a.as_str()),
                ("Sec-Fetch-Site", "cross-site"),
                ("Sec-Fetch-Mode", "no-cors"),
            ],
            403,
        ),
        (
            vec![("Host", a.as_str()), ("Sec-Fetch-Site", "same-site")],
            403,
        ),
        (
            vec![("Host", a.as_str()), ("Origin", "http://evil.example")],
            403,
        ),
        (vec![("Host", a.as_str()), ("Origin", "null")], 403),
        // A name of another site pointed at 127.0.0.1 (DNS rebinding), another port.
        (vec![("Host", "evil.example")], 403),
        (vec![("Host", other_port.as_str())], 403),
        (vec![], 400),
    ] {
        let r = get_with(a, EVENT_PAGE, &bad);
        assert_eq!(r.status, status, "{bad:?}");
        assert!(!r.body.contains("Djoura"), "{bad:?}: {}", r.body);
    }
}

#[test]
fn a_folder_asked_with_leading_slashes_redirects_on_this_host() {
    let dir = common::chronology("workflow", "_base");
    let server = start(dir.path(), &["--port", "0"]);
    let a = &server.addr;
    for target in [
        "//events/2025-05-23-djoura-camp-attack",
        "///events/2025-05-23-djoura-camp-attack",
    ] {
        let r = get(a, target);
        assert_eq!(r.status, 301, "{target}");
        // `//events/...` would be the host `events`.
        assert_eq!(r.header("location"), Some(EVENT_PAGE), "{target}");
    }
}

/// Opens a connection and sends `bytes`.
fn open(addr: &str, bytes: &[u8]) -> TcpStream {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.write_all(bytes).expect("send");
    s
}

/// Whether the server closes `s` (after any answer) within `limit`.
fn closed_within(s: &mut TcpStream, limit: Duration) -> bool {
    s.set_read_timeout(Some(limit)).expect("timeout");
    let mut sink = Vec::new();
    s.read_to_end(&mut sink).is_ok()
}

#[test]
fn slow_clients_and_many_reload_streams_do_not_stop_the_server() {
    let dir = common::chronology("workflow", "_base");
    let server = start(dir.path(), &["--port", "0"]);
    let a = &server.addr;
    // 256 clients that have sent one byte of their request, and 64 reload streams.
    let mut slow: Vec<TcpStream> = (0..256).map(|_| open(a, b"G")).collect();
    let stream = format!("GET /__annalist/events HTTP/1.1\r\nHost: {a}\r\n\r\n");
    let mut streams: Vec<TcpStream> = (0..64).map(|_| open(a, stream.as_bytes())).collect();
    let t = Instant::now();
    let r = get(a, EVENT_PAGE);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(t.elapsed() < WAIT, "{:?}", t.elapsed());
    // Room was made by closing the oldest of each.
    assert!(
        closed_within(&mut slow[0], WAIT),
        "the oldest slow client is closed"
    );
    assert!(
        closed_within(&mut streams[0], WAIT),
        "the oldest stream is closed"
    );
    // The newest stream is still open and told of the next build.
    let mut newest = BufReader::new(streams.pop().expect("a stream"));
    newest
        .get_ref()
        .set_read_timeout(Some(WAIT))
        .expect("timeout");
    let first = next_version(&mut newest);
    let file = dir.path().join(EVENT);
    let text = std::fs::read_to_string(&file).expect("read");
    write(&file, &text.replace("camp de Djoura", "camp de Djourb"));
    assert_ne!(next_version(&mut newest), first);
}

#[test]
fn a_request_head_sent_a_byte_at_a_time_is_cut_at_the_deadline() {
    let dir = common::chronology("workflow", "_base");
    let server = start(dir.path(), &["--port", "0"]);
    let mut s = TcpStream::connect(&server.addr).expect("connect");
    let mut writer = s.try_clone().expect("clone");
    // A byte a second, for at most 20 s: the server must cut it at 10 s.
    std::thread::spawn(move || {
        for b in b"GET / HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".iter() {
            if writer.write_all(&[*b]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_secs(1));
        }
    });
    let t = Instant::now();
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "{answer:?} after {:?}",
        t.elapsed()
    );
    assert!(t.elapsed() < Duration::from_secs(15), "{:?}", t.elapsed());
}

#[test]
fn pages_are_answered_while_the_sitemap_renders() {
    let (dir, first) = synthetic(600);
    write(
        &dir.path().join("annalist.yaml"),
        "title: Synthetic\nbase_url: https://example.org/\n",
    );
    let server = start(dir.path(), &["--port", "0"]);
    let a = server.addr.clone();
    let id = first
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .expect("id");
    let page = format!("/events/{id}/");
    // The sitemap renders the whole site; a page asked meanwhile does not wait for it.
    let sitemap = {
        let a = a.clone();
        std::thread::spawn(move || {
            let r = get(&a, "/sitemap.xml");
            (r, Instant::now())
        })
    };
    std::thread::sleep(Duration::from_millis(100));
    let r = get(&a, &page);
    let page_done = Instant::now();
    assert_eq!(r.status, 200);
    let (map, map_done) = sitemap.join().expect("the sitemap");
    assert_eq!(map.status, 200);
    assert!(map.body.contains(&format!("https://example.org{page}")));
    assert!(
        page_done < map_done,
        "the page waited {:?} for the sitemap",
        page_done.saturating_duration_since(map_done)
    );
}

/// Writes a chronology of `n` events, for the benchmark below.
fn synthetic(n: usize) -> (tempfile::TempDir, PathBuf) {
    let synth = std::env::var("ANNALIST_BENCH_CHRONOLOGY")
        .ok()
        .map(PathBuf::from);
    let dir = tempfile::tempdir().expect("temporary folder");
    if let Some(src) = synth {
        let status = Command::new("cp")
            .args(["-r"])
            .arg(src.join("."))
            .arg(dir.path())
            .status()
            .expect("copy");
        assert!(status.success());
    } else {
        let root = dir.path();
        for sub in ["events/actors", "events/locations"] {
            std::fs::create_dir_all(root.join(sub)).expect("folders");
        }
        for a in 0..100 {
            write(
                &root.join(format!("events/actors/actor-{a}.yaml")),
                &format!("name: Actor {a}\nkind: armed-group\n"),
            );
        }
        write(
            &root.join("events/locations/country.yaml"),
            "name: Country\nkind: country\n",
        );
        for l in 0..300 {
            write(
                &root.join(format!("events/locations/place-{l}.yaml")),
                &format!("name: Place {l}\nkind: region\nparent: country\n"),
            );
        }
        for i in 0..n {
            let year = 2012 + i % 13;
            let (m, d) = (1 + i % 12, 1 + i % 28);
            let id = format!("{year}-{m:02}-{d:02}-event-{i}");
            std::fs::create_dir_all(root.join(format!("events/{year}"))).expect("year");
            write(
                &root.join(format!("events/{year}/{id}.yaml")),
                &format!(
                    "title: Event number {i}\ndate: {year}-{m:02}-{d:02}\ntype: attack\nstatus: reported\n\
                     locations: [place-{}]\nactors:\n  - id: actor-{}\n    role: perpetrator\n\
                     sources:\n  - publisher: Agency\nbody: |\n  Text of event {i}, with **Markdown**.\n",
                    i % 300,
                    i % 100
                ),
            );
        }
    }
    let first = first_event(dir.path());
    (dir, first)
}

fn first_event(root: &Path) -> PathBuf {
    let mut years: Vec<PathBuf> = std::fs::read_dir(root.join("events"))
        .expect("events")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("20"))
        })
        .collect();
    years.sort();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&years[0])
        .expect("year")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files[0].clone()
}

/// The time from a changed event file to its fresh page, in process, on 10,000 events:
/// `cargo test --release --test serve -- --ignored --nocapture rebuild_benchmark`
/// (with `ANNALIST_BENCH_CHRONOLOGY=/tmp/synth10k` to use the output of
/// `cargo run --release --example synth -- --events 10000 --seed 1 --out /tmp/synth10k`).
#[test]
#[ignore = "a benchmark: run it in release mode"]
fn rebuild_benchmark() {
    let (dir, file) = synthetic(10_000);
    let mut engine = annalist::serve::Engine::new(dir.path());
    let t = Instant::now();
    let first = engine.rebuild();
    println!("first build: {:?} ({})", t.elapsed(), first.summary);
    let id = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .expect("id");
    let page = format!("events/{id}/index.html");
    let abs = std::fs::canonicalize(&file).expect("absolute path");
    let mut times = Vec::new();
    for round in 0..5 {
        let text = std::fs::read_to_string(&file).expect("read");
        let marker = format!("Benchmark round {round}");
        let text = match text.find("title:") {
            Some(i) => {
                let end = text[i..].find('\n').map(|e| i + e).unwrap_or(text.len());
                format!("{}title: {marker}{}", &text[..i], &text[end..])
            }
            None => panic!("no title in {}", file.display()),
        };
        std::thread::sleep(Duration::from_millis(20));
        write(&file, &text);
        let t = Instant::now();
        let r = engine.rebuild_paths(std::slice::from_ref(&abs));
        let rebuilt = t.elapsed();
        let pages = engine.pages().expect("no errors");
        let indexed = t.elapsed();
        let html = pages.render(&page).expect("render").expect("the page");
        let total = t.elapsed();
        assert!(String::from_utf8_lossy(&html).contains(&marker));
        println!(
            "round {round}: rebuild {:.1} ms ({} re-read), + index {:.1} ms, + page {:.1} ms = {:.1} ms",
            rebuilt.as_secs_f64() * 1e3,
            r.reparsed,
            (indexed - rebuilt).as_secs_f64() * 1e3,
            (total - indexed).as_secs_f64() * 1e3,
            total.as_secs_f64() * 1e3
        );
        times.push(total);
    }
    times.sort();
    println!(
        "changed event to fresh page, median of 5: {:.1} ms",
        times[2].as_secs_f64() * 1e3
    );
}
