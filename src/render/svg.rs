//! Charts drawn at build time as inline SVG, readable without JavaScript: the strip of
//! events per month over a list's span (main timeline, actor and place pages) and the
//! map of places with coordinates (`map/index.html` and place pages). Each comes with a
//! caption and a table or list of its figures for readers who cannot see it.

use super::geo::Country;
use super::html::{escape_html, lang_attr};
use super::views::{Ctx, Localized};
use crate::date::EventDate;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The month (or the year alone) an event of a list stands under, the page of the
/// list it is on (1-based), and whether it is only possibly linked to the page (an
/// event of a unit whose relation may not have held then), drawn hatched.
#[derive(Debug, Clone, Copy)]
pub struct Placed {
    pub year: i32,
    pub month: Option<u32>,
    pub page: usize,
    pub possible: bool,
}

impl Placed {
    pub fn of(d: &EventDate, page: usize) -> Placed {
        let s = d.start();
        Placed {
            year: s.year,
            month: s.month,
            page,
            possible: false,
        }
    }
}

fn month_name(ctx: &Ctx, year: i32, month: u32) -> String {
    EventDate::parse(&format!("{year:04}-{month:02}"))
        .map(|d| ctx.date(&d))
        .unwrap_or_else(|_| format!("{year:04}-{month:02}"))
}

/// The strip of events per month of a list, for the list's first page: one bar per
/// month from the first to the last, each linking to the page and month section
/// (`page/3/index.html#m2024-05`) where the month's newest events stand. `None` for a
/// list without dated months.
pub fn strip(ctx: &Ctx, events: &[Placed]) -> Option<String> {
    // Month number since year 0 → (count, first page, possibly linked).
    let mut months: BTreeMap<i64, (usize, usize, usize)> = BTreeMap::new();
    let mut year_only = 0usize;
    for e in events {
        match e.month {
            Some(m) => {
                let k = i64::from(e.year) * 12 + i64::from(m) - 1;
                let entry = months.entry(k).or_insert((0, e.page, 0));
                entry.0 += 1;
                entry.1 = entry.1.min(e.page);
                entry.2 += usize::from(e.possible);
            }
            None => year_only += 1,
        }
    }
    let (&first, _) = months.first_key_value()?;
    let (&last, _) = months.last_key_value()?;
    // Under a year, the whole calendar years: one wide bar would read as a block.
    let (first, last) = if last - first < 11 {
        (first.div_euclid(12) * 12, last.div_euclid(12) * 12 + 11)
    } else {
        (first, last)
    };
    let n = (last - first + 1) as usize;
    let max = months.values().map(|v| v.0).max().unwrap_or(1).max(1);
    let ym = |k: i64| (k.div_euclid(12) as i32, (k.rem_euclid(12) + 1) as u32);
    let (fy, fm) = ym(first);
    let (ly, lm) = ym(last);
    let from = month_name(ctx, fy, fm);
    let to = month_name(ctx, ly, lm);
    let s = ctx.strings;
    let mut caption = s
        .get("strip_caption")
        .replace("{from}", &from)
        .replace("{to}", &to);
    caption.push_str(&s.get("strip_max").replace("{n}", &max.to_string()));
    let hatched = months.values().any(|m| m.2 > 0);
    if hatched {
        caption.push(' ');
        caption.push_str(s.get("strip_possible"));
    }
    if year_only > 0 {
        caption.push(' ');
        caption.push_str(
            &s.get("strip_year_only")
                .replace("{n}", &year_only.to_string()),
        );
    }

    let w = n * 10;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" viewBox=\"0 0 {w} 100\" preserveAspectRatio=\"none\" role=\"group\" aria-labelledby=\"strip-caption\">\
         <rect class=\"base\" x=\"0\" y=\"99\" width=\"{w}\" height=\"1\"/>"
    );
    if hatched {
        svg.push_str(
            "<defs><pattern id=\"hatch\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
             <rect class=\"hatch-bg\" width=\"4\" height=\"4\"/><rect class=\"hatch\" width=\"2\" height=\"4\"/></pattern></defs>",
        );
    }
    let mut rows = String::new();
    for (bars, (k, (count, page, possible))) in months.iter().enumerate() {
        let i = (k - first) as usize;
        let (y, m) = ym(*k);
        let name = month_name(ctx, y, m);
        let h = ((*count as f64 / max as f64) * 96.0).max(4.0);
        let href = if *page == 1 {
            format!("#m{y:04}-{m:02}")
        } else {
            format!("page/{page}/index.html#m{y:04}-{m:02}")
        };
        let mut figure = s.count(*count, ctx.lang);
        if *possible > 0 {
            figure = s
                .get("count_possible")
                .replace("{count}", &figure)
                .replace("{n}", &possible.to_string());
        }
        let label = format!("{name}{} {figure}", s.get("colon"));
        // One tab stop for the whole strip: every bar but the first leaves the tab
        // order, so that a keyboard reader passes the strip in one press instead of
        // one per month; `strip.js` moves among the bars with the arrow keys, and
        // without it the months stay a click away and the years pages list them.
        let stop = if bars == 0 { "" } else { " tabindex=\"-1\"" };
        let _ = write!(
            svg,
            "<a href=\"{href}\"{stop}><title>{label}</title><rect class=\"hit\" x=\"{x}\" y=\"0\" width=\"10\" height=\"100\"/><rect class=\"bar\" x=\"{bx}\" y=\"{by:.1}\" width=\"8\" height=\"{h:.1}\"/>",
            href = escape_html(&href),
            label = escape_html(&label),
            stop = stop,
            x = i * 10,
            bx = i * 10 + 1,
            by = 100.0 - h,
        );
        if *possible > 0 {
            // The possibly linked part at the top of the bar, hatched.
            let hp = h * *possible as f64 / *count as f64;
            let _ = write!(
                svg,
                "<rect class=\"bar possible\" x=\"{bx}\" y=\"{by:.1}\" width=\"8\" height=\"{hp:.1}\"/>",
                bx = i * 10 + 1,
                by = 100.0 - h,
            );
        }
        svg.push_str("</a>");
        let cell = if *possible > 0 {
            escape_html(&figure)
        } else {
            count.to_string()
        };
        let _ = write!(
            rows,
            "<tr><td>{}</td><td>{cell}</td></tr>",
            escape_html(&name)
        );
    }
    svg.push_str("</svg>");

    // Year labels under the strip, at each January (and the first year when its
    // January is before the strip and the next is far enough).
    let mut axis = String::new();
    let years: Vec<(i32, f64)> = (fy..=ly)
        .filter_map(|y| {
            let k = i64::from(y) * 12;
            if k >= first {
                Some((y, (k - first) as f64))
            } else if y == fy && (i64::from(y) + 1) * 12 - first >= 4 || y == ly {
                Some((y, 0.0))
            } else {
                None
            }
        })
        .collect();
    let step = match years.len() {
        0..=10 => 1,
        11..=20 => 2,
        21..=50 => 5,
        _ => 10,
    };
    for (i, (y, at)) in years.iter().enumerate() {
        if i % step != 0 {
            continue;
        }
        let minor = if (i / step) % 2 == 1 {
            " class=\"minor\""
        } else {
            ""
        };
        let _ = write!(
            axis,
            "<span{minor} style=\"left:{:.2}%\">{y}</span>",
            at * 100.0 / n as f64
        );
    }

    Some(format!(
        "<figure class=\"strip\" data-unfiltered>\n<figcaption id=\"strip-caption\">{caption}</figcaption>\n{svg}\n\
         <div class=\"strip-axis\" aria-hidden=\"true\">{axis}</div>\n\
         <table class=\"visually-hidden\"><caption>{table_caption}</caption><thead><tr><th scope=\"col\">{month}</th><th scope=\"col\">{events}</th></tr></thead><tbody>{rows}</tbody></table>\n</figure>",
        caption = escape_html(&caption),
        table_caption = escape_html(s.get("strip_table")),
        month = escape_html(s.get("month")),
        events = escape_html(s.get("events_count")),
    ))
}

// ---------------------------------------------------------------------------------
// Maps

/// A place on a map.
#[derive(Debug, Clone)]
pub struct MapPoint {
    pub name: Localized,
    pub lat: f64,
    pub lon: f64,
    /// Events at the place itself.
    pub count: usize,
    /// Whether every event at the place names it as uncertain: drawn hollow.
    pub uncertain: bool,
    /// How closely the point stands for the place: `approximate` draws a halo,
    /// `area` a ring.
    pub precision: Option<crate::model::CoordinatePrecision>,
    /// Its page, relative to the page the map is on.
    pub href: String,
}

/// The part of the earth a map shows, and how it is projected: equirectangular,
/// longitudes shrunk by the cosine of the middle latitude so that shapes near the
/// centre keep their proportions.
#[derive(Debug, Clone, Copy)]
struct Frame {
    west: f64,
    south: f64,
    east: f64,
    north: f64,
    kx: f64,
    width: f64,
    height: f64,
}

/// Width of a map in SVG units.
const MAP_WIDTH: f64 = 800.0;

impl Frame {
    /// The smallest frame holding `bbox` (west, south, east, north) with a margin,
    /// at least `min_span` degrees each way, and of a reasonable shape.
    fn fit(bbox: [f64; 4], min_span: f64) -> Frame {
        let [mut w, mut s, mut e, mut n] = bbox;
        let mid_lat = ((s + n) / 2.0).clamp(-80.0, 80.0);
        let cos = mid_lat.to_radians().cos().max(0.2);
        // Margins: 8% each side, and the minimum span.
        let (dx, dy) = ((e - w) * 0.08, (n - s) * 0.08);
        w -= dx;
        e += dx;
        s -= dy;
        n += dy;
        let grow = |lo: &mut f64, hi: &mut f64, span: f64| {
            if *hi - *lo < span {
                let c = (*lo + *hi) / 2.0;
                *lo = c - span / 2.0;
                *hi = c + span / 2.0;
            }
        };
        grow(&mut w, &mut e, min_span / cos);
        grow(&mut s, &mut n, min_span);
        // Between landscape 2:1 and 4:3.
        let ratio = (n - s) / ((e - w) * cos);
        if ratio > 0.75 {
            grow(&mut w, &mut e, (n - s) / cos / 0.75);
        } else if ratio < 0.5 {
            grow(&mut s, &mut n, (e - w) * cos * 0.5);
        }
        s = s.max(-89.0);
        n = n.min(89.0);
        let kx = MAP_WIDTH / (e - w);
        let height = ((n - s) * kx / cos).round().max(1.0);
        Frame {
            west: w,
            south: s,
            east: e,
            north: n,
            kx,
            width: MAP_WIDTH,
            height,
        }
    }

    fn x(&self, lon: f64) -> f64 {
        (lon - self.west) * self.kx
    }

    fn y(&self, lat: f64) -> f64 {
        (self.north - lat) * self.height / (self.north - self.south)
    }

    fn touches(&self, bbox: [f64; 4]) -> bool {
        bbox[0] <= self.east
            && bbox[2] >= self.west
            && bbox[1] <= self.north
            && bbox[3] >= self.south
    }
}

/// Clips a ring to a rectangle (Sutherland–Hodgman): what lies outside the map is not
/// written into the page.
fn clip(ring: &[(f64, f64)], [w, s, e, n]: [f64; 4]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = ring.to_vec();
    let edges: [(usize, f64, bool); 4] = [(0, w, true), (0, e, false), (1, s, true), (1, n, false)];
    for (axis, v, keep_above) in edges {
        if out.is_empty() {
            break;
        }
        let inside = |p: &(f64, f64)| {
            let c = if axis == 0 { p.0 } else { p.1 };
            if keep_above { c >= v } else { c <= v }
        };
        let cross = |a: (f64, f64), b: (f64, f64)| {
            let (ca, cb) = if axis == 0 { (a.0, b.0) } else { (a.1, b.1) };
            let t = (v - ca) / (cb - ca);
            (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
        };
        let input = std::mem::take(&mut out);
        let mut prev = *input.last().unwrap_or(&(0.0, 0.0));
        for &cur in &input {
            match (inside(&prev), inside(&cur)) {
                (true, true) => out.push(cur),
                (true, false) => out.push(cross(prev, cur)),
                (false, true) => {
                    out.push(cross(prev, cur));
                    out.push(cur);
                }
                (false, false) => {}
            }
            prev = cur;
        }
    }
    out
}

/// The outlines of `countries` within `frame`, as one SVG path each; `focus` ones get
/// their own class.
fn outlines(frame: &Frame, focus: &[&Country]) -> String {
    // A little beyond the frame, so that clipped edges fall outside the view.
    let pad_x = (frame.east - frame.west) * 0.02;
    let pad_y = (frame.north - frame.south) * 0.02;
    let rect = [
        frame.west - pad_x,
        frame.south - pad_y,
        frame.east + pad_x,
        frame.north + pad_y,
    ];
    let mut out = String::new();
    for c in super::geo::countries() {
        if !frame.touches(c.bbox) {
            continue;
        }
        let mut d = String::new();
        for ring in &c.rings {
            let clipped = clip(ring, rect);
            let mut last: Option<(i64, i64)> = None;
            let mut points = 0;
            let start = d.len();
            for (lon, lat) in clipped {
                // Whole units (under a pixel on most screens), each point written
                // relative to the last; points that round to the last are dropped.
                let p = (frame.x(lon).round() as i64, frame.y(lat).round() as i64);
                match last {
                    None => {
                        let _ = write!(d, "M{} {}l", p.0, p.1);
                    }
                    Some(l) if l == p => continue,
                    Some(l) => {
                        let _ = write!(
                            d,
                            "{}{} {}",
                            if points > 1 { " " } else { "" },
                            p.0 - l.0,
                            p.1 - l.1
                        );
                    }
                }
                last = Some(p);
                points += 1;
            }
            if points < 3 {
                d.truncate(start);
            } else {
                d.push('Z');
            }
        }
        if d.is_empty() {
            continue;
        }
        let class = if focus.iter().any(|f| std::ptr::eq(*f, c)) {
            "land focus"
        } else {
            "land"
        };
        let _ = write!(out, "<path class=\"{class}\" d=\"{d}\"/>");
    }
    out
}

/// Maps with more places than this have no labels: names are in the links' titles
/// and in the lists.
const MAX_LABELS: usize = 30;

/// Where the name of a place goes, beside its disc: right, left, above or below,
/// the first side where it overlaps no name already placed, as the map shows on the
/// narrowest screen (360 pixels wide, names in 0.8rem). Returns the side and the
/// anchor in map units, or `None` when no side is free.
fn place_label(
    boxes: &mut Vec<[f64; 4]>,
    frame: &Frame,
    x: f64,
    y: f64,
    r: f64,
    name: &str,
) -> Option<(&'static str, f64, f64)> {
    let px = 360.0 / frame.width;
    let w = name.chars().count() as f64 * 7.0 + 6.0;
    let h = 15.0;
    let (cx, cy) = (x * px, y * px);
    let rp = r * px + 3.0;
    let candidates = [
        (
            "r",
            [cx + rp, cy - h / 2.0, cx + rp + w, cy + h / 2.0],
            x + r + 3.0,
            y,
        ),
        (
            "l",
            [cx - rp - w, cy - h / 2.0, cx - rp, cy + h / 2.0],
            x - r - 3.0,
            y,
        ),
        (
            "t",
            [cx - w / 2.0, cy - rp - h, cx + w / 2.0, cy - rp],
            x,
            y - r - 2.0,
        ),
        (
            "b",
            [cx - w / 2.0, cy + rp, cx + w / 2.0, cy + rp + h],
            x,
            y + r + 2.0,
        ),
    ];
    let (width, height) = (frame.width * px, frame.height * px);
    for (side, b, ax, ay) in candidates {
        let inside = b[0] >= 0.0 && b[1] >= 0.0 && b[2] <= width && b[3] <= height;
        let free = boxes
            .iter()
            .all(|o| b[2] <= o[0] || b[0] >= o[2] || b[3] <= o[1] || b[1] >= o[3]);
        if inside && free {
            boxes.push(b);
            return Some((side, ax, ay));
        }
    }
    None
}

/// A map of `points`, with the outlines of every country in view and the `focus`
/// countries highlighted; framed on the points, and on the focus countries too when
/// `fit_focus` is set, when there are no points, or when the country is at most 25
/// degrees across. `None` when there is nothing to frame.
/// With `list`, the figure carries a visually hidden list of the places and their
/// counts (for pages that do not show one already).
pub fn map(
    ctx: &Ctx,
    points: &[MapPoint],
    focus: &[&Country],
    fit_focus: bool,
    list: bool,
) -> Option<String> {
    draw(ctx, points, focus, fit_focus, list).map(|d| d.html)
}

/// A map drawn, with what `map.js` needs to draw its places again at other zooms.
struct Drawn<'a> {
    html: String,
    frame: Frame,
    /// The places, the biggest first, as [`clusters`] takes them.
    order: Vec<&'a MapPoint>,
}

/// The map of the map page, framed on its places and countries, and the file
/// `map/points.json` that `map.js` fetches on the first zoom: the page stays light,
/// and the places regroup at every zoom from the same data the page was drawn with.
pub fn zoomable_map(
    ctx: &Ctx,
    points: &[MapPoint],
    focus: &[&Country],
) -> Option<(String, String)> {
    let d = draw(ctx, points, focus, true, false)?;
    let json = points_json(ctx, &d.frame, &d.order);
    Some((d.html, json))
}

/// What `map/points.json` holds: the map's size in SVG units, the words of the
/// discs' titles, and each place, the biggest first (the order of [`clusters`]).
#[derive(serde::Serialize)]
struct PointsFile<'a> {
    w: f64,
    h: f64,
    /// "{n} places around {name}", the title of a group.
    group: &'a str,
    colon: &'a str,
    one: &'a str,
    /// "{n} events".
    many: &'a str,
    /// How numbers group their digits: the separator, and from how many digits.
    sep: &'a str,
    from: usize,
    /// The titles' endings of an approximate point and of an area's centre.
    approximate: String,
    area: String,
    /// x, y (SVG units, one decimal), events, name, link (relative to the map page),
    /// marks (1: every event uncertain, 2: approximate, 4: an area's centre).
    p: Vec<(f64, f64, usize, &'a str, &'a str, u8)>,
}

/// `map/points.json`, deterministic: the same places give the same bytes.
fn points_json(ctx: &Ctx, frame: &Frame, order: &[&MapPoint]) -> String {
    use crate::model::CoordinatePrecision as P;
    let s = ctx.strings;
    let one_decimal = |v: f64| (v * 10.0).round() / 10.0;
    let (sep, from) = match ctx.lang {
        crate::lang::Lang::Fr => ("\u{202f}", 5),
        _ => (",", 4),
    };
    let file = PointsFile {
        w: frame.width,
        h: frame.height,
        group: s.get("map_group"),
        colon: s.get("colon"),
        one: s.get("event_count_one"),
        many: s.get("event_count_many"),
        sep,
        from,
        approximate: format!(" ({})", P::Approximate.label(ctx.code())),
        area: format!(" ({})", P::Area.label(ctx.code())),
        p: order
            .iter()
            .map(|p| {
                let marks = u8::from(p.uncertain && p.count > 0)
                    | match p.precision {
                        Some(P::Approximate) => 2,
                        Some(P::Area) => 4,
                        _ => 0,
                    };
                (
                    one_decimal(frame.x(p.lon)),
                    one_decimal(frame.y(p.lat)),
                    p.count,
                    p.name.text.as_str(),
                    p.href.as_str(),
                    marks,
                )
            })
            .collect(),
    };
    // `<` and `>` only occur inside strings: escaped, a name stays text even where the
    // file were read as HTML.
    serde_json::to_string(&file)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
}

/// Draws the map of [`map`], keeping its frame and the order of its places.
fn draw<'a>(
    ctx: &Ctx,
    points: &'a [MapPoint],
    focus: &[&Country],
    fit_focus: bool,
    list: bool,
) -> Option<Drawn<'a>> {
    let mut bbox: Option<[f64; 4]> = None;
    let mut add = |b: [f64; 4]| {
        bbox = Some(match bbox {
            None => b,
            Some(a) => [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[2].max(b[2]),
                a[3].max(b[3]),
            ],
        })
    };
    for p in points {
        add([p.lon, p.lat, p.lon, p.lat]);
    }
    // The focus countries frame the map when asked, when there is nothing else, and
    // when they are small enough for their places to stay apart (Mali, not Russia).
    for c in focus {
        let span = (c.bbox[2] - c.bbox[0]).max(c.bbox[3] - c.bbox[1]);
        if fit_focus || points.is_empty() || span <= 25.0 {
            add(c.bbox);
        }
    }
    // At least 3 degrees (about 300 km) around a lone place, for some context.
    let frame = Frame::fit(bbox?, 3.0);
    let s = ctx.strings;
    // The biggest first, so that small places stay on top and clickable.
    let mut order: Vec<&MapPoint> = points.iter().collect();
    order.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.text.cmp(&b.name.text)));
    let discs: Vec<(f64, f64, usize)> = order
        .iter()
        .map(|p| (frame.x(p.lon), frame.y(p.lat), p.count))
        .collect();
    let groups = clusters(&discs);
    let max = groups.iter().map(|c| c.sum).max().unwrap_or(0).max(1);
    // The marks of a place are drawn on its own disc only: a group has none.
    let singles: Vec<&MapPoint> = groups
        .iter()
        .filter(|c| c.members.len() == 1)
        .map(|c| order[c.members[0]])
        .collect();
    let mut caption = match points.len() {
        0 => s.get("map_caption_none").to_string(),
        1 => s.get("map_caption_one").to_string(),
        n => s.get("map_caption").replace("{n}", &n.to_string()),
    };
    if groups.len() < points.len() {
        caption.push(' ');
        caption.push_str(
            &s.get("map_grouped")
                .replace("{n}", &groups.len().to_string()),
        );
    }
    // How the drawing says a point is approximate or in doubt, only when one is.
    use crate::model::CoordinatePrecision as Pr;
    for (key, shown) in [
        (
            "map_legend_halo",
            singles.iter().any(|p| p.precision == Some(Pr::Approximate)),
        ),
        (
            "map_legend_ring",
            singles.iter().any(|p| p.precision == Some(Pr::Area)),
        ),
        (
            "map_legend_uncertain",
            singles.iter().any(|p| p.uncertain && p.count > 0),
        ),
    ] {
        if shown {
            caption.push(' ');
            caption.push_str(s.get(key));
        }
    }
    caption.push(' ');
    caption.push_str(s.get("map_credit"));

    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" viewBox=\"0 0 {} {}\" role=\"group\" aria-labelledby=\"map-caption\">\
         <rect class=\"sea\" x=\"0\" y=\"0\" width=\"{}\" height=\"{}\"/><g class=\"countries\">{}</g>",
        frame.width,
        frame.height,
        frame.width,
        frame.height,
        outlines(&frame, focus),
    );
    let mut labels = String::new();
    let mut boxes: Vec<[f64; 4]> = Vec::new();
    let mut items = String::new();
    svg.push_str("<g class=\"places\">");
    // Discs no longer overlap, so groups can come first, in one wider-edged layer.
    let mut grouped = String::new();
    let mut alone = String::new();
    for c in &groups {
        let r = radius(c.sum, max);
        let (x, y) = (c.x, c.y);
        // A group is drawn at its biggest place and links to its page.
        let p = order[c.members[0]];
        if c.members.len() > 1 {
            let label = format!(
                "{}{} {}",
                s.get("map_group")
                    .replace("{n}", &c.members.len().to_string())
                    .replace("{name}", &p.name.text),
                s.get("colon"),
                s.count(c.sum, ctx.lang)
            );
            // Out of the Tab order: the list of places is the keyboard's path.
            let _ = write!(
                grouped,
                "<a href=\"{href}\" tabindex=\"-1\"><title>{label}</title><circle class=\"place group\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\"/></a>",
                href = escape_html(&p.href),
                label = escape_html(&label),
            );
            continue;
        }
        let label = format!(
            "{}{} {}",
            p.name.text,
            s.get("colon"),
            s.count(p.count, ctx.lang)
        );
        // The new marks are styled inline, so that the stylesheet of a site that uses
        // none of them stays as it was.
        let (class, style) = match (p.count, p.uncertain) {
            (0, _) => ("place empty", ""),
            (_, true) => (
                "place uncertain",
                " style=\"fill:var(--bg);fill-opacity:1;stroke-dasharray:3 2\"",
            ),
            _ => ("place", ""),
        };
        // Behind the disc, how far the place may lie from its point.
        use crate::model::CoordinatePrecision as P;
        let spread = match p.precision {
            Some(P::Approximate) => format!(
                "<circle class=\"halo\" style=\"fill:var(--link);fill-opacity:0.22;stroke:none\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\"/>",
                r + 12.0
            ),
            Some(P::Area) => format!(
                "<circle class=\"area\" style=\"fill:none;stroke:var(--link);stroke-width:1.2;stroke-dasharray:4 3\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\"/>",
                r + 7.0
            ),
            _ => String::new(),
        };
        let label = match p.precision {
            Some(pr @ (P::Approximate | P::Area)) => format!("{label} ({})", pr.label(ctx.code())),
            _ => label,
        };
        let _ = write!(
            alone,
            "<a href=\"{href}\" tabindex=\"-1\"><title>{label}</title>{spread}<circle class=\"{class}\"{style} cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\"/></a>",
            href = escape_html(&p.href),
            label = escape_html(&label),
        );
        let lang = lang_attr(p.name.lang.as_deref());
        if points.len() <= MAX_LABELS
            && let Some((side, ax, ay)) = place_label(&mut boxes, &frame, x, y, r, &p.name.text)
        {
            let _ = write!(
                labels,
                "<span class=\"{side}\"{lang} style=\"left:{:.2}%;top:{:.2}%\">{}</span>",
                ax * 100.0 / frame.width,
                ay * 100.0 / frame.height,
                escape_html(&p.name.text)
            );
        }
    }
    if !grouped.is_empty() {
        let _ = write!(svg, "<g style=\"stroke-width:2.5\">{grouped}</g>");
    }
    svg.push_str(&alone);
    // The list names every place, grouped or not, biggest first.
    for p in &order {
        let lang = lang_attr(p.name.lang.as_deref());
        let _ = write!(
            items,
            "<li><span{lang}>{}</span>{} {}</li>",
            escape_html(&p.name.text),
            escape_html(s.get("colon")),
            escape_html(&s.count(p.count, ctx.lang))
        );
    }
    svg.push_str("</g></svg>");
    let list = if list && !points.is_empty() {
        format!("<ul class=\"visually-hidden\">{items}</ul>")
    } else {
        String::new()
    };
    let html = format!(
        "<figure class=\"map\">\n<div class=\"map-frame\">{svg}<div class=\"map-labels\" aria-hidden=\"true\">{labels}</div></div>{list}\n\
         <figcaption id=\"map-caption\">{caption}</figcaption>\n</figure>",
        caption = escape_html(&caption),
    );
    Some(Drawn { html, frame, order })
}

/// The radius of a disc of `count` events on a map whose biggest disc has `max`, in
/// map units: its area follows the count.
fn radius(count: usize, max: usize) -> f64 {
    5.0 + 13.0 * (count as f64 / max.max(1) as f64).sqrt()
}

/// Discs drawn as one: where places would overlap at the map's scale, one disc at the
/// biggest of them, for the sum of their events.
#[derive(Debug, Clone, PartialEq)]
struct Group {
    x: f64,
    y: f64,
    sum: usize,
    /// Indices into the discs, the biggest first.
    members: Vec<usize>,
}

/// Groups `discs` (x, y in map units, events; the biggest first) so that no two
/// drawn discs overlap, every disc sized by [`radius`] against the biggest group.
/// Greedy and deterministic: each disc, biggest first, joins the first kept group it
/// overlaps, else is kept; passes repeat until one merges nothing, since a group's
/// disc grows as it gains events. The groups come biggest first.
fn clusters(discs: &[(f64, f64, usize)]) -> Vec<Group> {
    let mut groups: Vec<Group> = discs
        .iter()
        .enumerate()
        .map(|(i, &(x, y, sum))| Group {
            x,
            y,
            sum,
            members: vec![i],
        })
        .collect();
    loop {
        let max = groups.iter().map(|g| g.sum).max().unwrap_or(1);
        let mut kept: Vec<Group> = Vec::with_capacity(groups.len());
        let mut merged = false;
        for g in groups {
            let r = radius(g.sum, max);
            let near = kept.iter_mut().find(|k| {
                let d = ((k.x - g.x).powi(2) + (k.y - g.y).powi(2)).sqrt();
                d < radius(k.sum, max) + r
            });
            match near {
                Some(k) => {
                    k.sum += g.sum;
                    k.members.extend(g.members);
                    merged = true;
                }
                None => kept.push(g),
            }
        }
        kept.sort_by(|a, b| b.sum.cmp(&a.sum).then(a.members[0].cmp(&b.members[0])));
        // A group stands at its biggest place.
        for k in &mut kept {
            k.members.sort_unstable();
            (k.x, k.y) = (discs[k.members[0]].0, discs[k.members[0]].1);
        }
        groups = kept;
        if !merged {
            return groups;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_keeps_what_is_inside() {
        let square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let c = clip(&square, [5.0, -1.0, 20.0, 20.0]);
        let xs: Vec<f64> = c.iter().map(|p| p.0).collect();
        assert!(xs.iter().all(|x| (5.0..=10.0).contains(x)), "{c:?}");
        assert_eq!(c.len(), 4);
        assert!(clip(&square, [20.0, 20.0, 30.0, 30.0]).is_empty());
    }

    #[test]
    fn a_frame_fits_its_points_with_a_margin() {
        let f = Frame::fit([-8.0, 12.0, -4.0, 15.0], 1.0);
        assert!(f.west < -8.0 && f.east > -4.0 && f.south < 12.0 && f.north > 15.0);
        assert!(f.x(-8.0) > 0.0 && f.x(-4.0) < f.width);
        assert!(f.y(15.0) > 0.0 && f.y(12.0) < f.height);
        let ratio = f.height / f.width;
        assert!((0.5..=0.76).contains(&ratio), "{ratio}");
        // One point: the minimum span around it.
        let one = Frame::fit([-4.0, 14.0, -4.0, 14.0], 1.0);
        assert!(one.north - one.south >= 1.0 && one.east - one.west >= 1.0);
    }

    /// Many discs in a small square: a pseudo-random but fixed scatter.
    fn scatter(n: usize, size: f64) -> Vec<(f64, f64, usize)> {
        let mut seed: u64 = 7;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as f64 / (1u64 << 31) as f64
        };
        let mut d: Vec<(f64, f64, usize)> = (0..n)
            .map(|_| {
                (
                    next() * size,
                    next() * size / 2.0,
                    (next() * next() * 300.0) as usize,
                )
            })
            .collect();
        d.sort_by_key(|x| std::cmp::Reverse(x.2));
        d
    }

    #[test]
    fn groups_never_overlap_and_keep_every_event() {
        let discs = scatter(1500, MAP_WIDTH);
        let groups = clusters(&discs);
        assert!(
            groups.len() < discs.len() && groups.len() <= 400,
            "{}",
            groups.len()
        );
        assert_eq!(groups, clusters(&discs), "deterministic");
        let total: usize = discs.iter().map(|d| d.2).sum();
        assert_eq!(groups.iter().map(|g| g.sum).sum::<usize>(), total);
        let mut members: Vec<usize> = groups.iter().flat_map(|g| g.members.clone()).collect();
        members.sort_unstable();
        assert_eq!(members, (0..discs.len()).collect::<Vec<_>>());
        let max = groups[0].sum;
        for (i, a) in groups.iter().enumerate() {
            // Each group stands at its biggest place and counts its places' events.
            assert_eq!((a.x, a.y), (discs[a.members[0]].0, discs[a.members[0]].1));
            assert_eq!(a.sum, a.members.iter().map(|&m| discs[m].2).sum::<usize>());
            for b in &groups[i + 1..] {
                let d = ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
                assert!(d >= radius(a.sum, max) + radius(b.sum, max), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn places_apart_stay_alone() {
        let discs = vec![(100.0, 100.0, 9), (300.0, 100.0, 4), (100.0, 300.0, 1)];
        let groups = clusters(&discs);
        assert_eq!(groups.len(), 3);
        assert!(groups.iter().all(|g| g.members.len() == 1));
        // Two places at one point are one disc of both.
        let same = clusters(&[(10.0, 10.0, 3), (10.0, 10.0, 2)]);
        assert_eq!(same.len(), 1);
        assert_eq!((same[0].sum, same[0].members.clone()), (5, vec![0, 1]));
    }

    /// 3,000 places over a country the size of Mali.
    fn many_places() -> Vec<MapPoint> {
        scatter(3000, 1.0)
            .into_iter()
            .enumerate()
            .map(|(i, (x, y, count))| MapPoint {
                name: Localized {
                    text: format!("Lieu {i}"),
                    lang: None,
                    note: None,
                },
                lat: 10.0 + y * 30.0,
                lon: -12.0 + x * 16.0,
                count,
                uncertain: false,
                precision: None,
                href: format!("../locations/lieu-{i}/index.html"),
            })
            .collect()
    }

    /// Runs `f` with the context of an empty chronology in `lang`.
    fn with_ctx<T>(lang: crate::lang::Lang, f: impl FnOnce(&Ctx) -> T) -> T {
        use crate::index::Index;
        use crate::load::Loaded;
        use crate::render::i18n::Strings;
        let loaded = Loaded::default();
        let index = Index::build(&loaded);
        let strings = Strings::load(lang.code(), None).expect("strings");
        let ctx = Ctx {
            index: &index,
            lang,
            strings: &strings,
            default: lang,
            cards: super::super::views::CardCache::new(&index),
            remote_images: false,
        };
        f(&ctx)
    }

    /// At the size of a large newsroom's chronology the map stays light, and no disc
    /// is a Tab stop.
    #[test]
    fn a_map_of_thousands_of_places_stays_light() {
        let points = many_places();
        let html = with_ctx(crate::lang::Lang::Fr, |ctx| {
            map(ctx, &points, &[], true, false)
        })
        .expect("a map");
        let discs = html.matches("<circle").count();
        assert!(discs <= 400, "{discs} discs");
        assert!(html.len() < 70_000, "{} bytes", html.len());
        assert_eq!(
            html.matches("<a ").count(),
            html.matches("tabindex=\"-1\"").count()
        );
        assert!(
            html.contains("3000 lieux"),
            "the caption counts every place"
        );
    }

    /// The map page's map is the map drawn for it, and its points file lists every
    /// place once, the biggest first as the groups take them, in SVG units of that
    /// drawing; the same places give the same bytes, and the file stays small.
    #[test]
    fn the_points_file_redraws_the_map_it_comes_with() {
        use crate::lang::Lang;
        let points = many_places();
        let (html, json) =
            with_ctx(Lang::Fr, |ctx| zoomable_map(ctx, &points, &[])).expect("a map");
        let plain = with_ctx(Lang::Fr, |ctx| map(ctx, &points, &[], true, false));
        assert_eq!(Some(&html), plain.as_ref());
        let again = with_ctx(Lang::Fr, |ctx| zoomable_map(ctx, &points, &[]));
        assert_eq!(
            again.map(|a| a.1).as_deref(),
            Some(json.as_str()),
            "deterministic"
        );
        assert!(json.len() < 200_000, "{} bytes", json.len());
        let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        let p = v["p"].as_array().expect("places");
        assert_eq!(p.len(), points.len());
        let counts: Vec<u64> = p.iter().map(|q| q[2].as_u64().expect("count")).collect();
        assert!(counts.windows(2).all(|w| w[0] >= w[1]), "biggest first");
        // Where the drawing puts the biggest place, to its decimal.
        let first = &p[0];
        let cx = format!(
            "cx=\"{:.1}\" cy=\"{:.1}\"",
            first[0].as_f64().expect("x"),
            first[1].as_f64().expect("y")
        );
        assert!(html.contains(&cx), "{cx}");
        assert_eq!(v["w"].as_f64(), Some(MAP_WIDTH));
        let h = v["h"].as_f64().expect("height");
        assert!(html.contains(&format!("viewBox=\"0 0 800 {h}\"")), "{h}");
        // The words of the titles the script writes, as the build writes them.
        assert_eq!(v["group"], "{n} lieux autour de {name}");
        assert_eq!(v["many"], "{n} événements");
        assert_eq!(
            (v["sep"].as_str(), v["from"].as_u64()),
            (Some("\u{202f}"), Some(5))
        );
        let en = with_ctx(Lang::En, |ctx| zoomable_map(ctx, &points, &[])).expect("a map");
        let en: serde_json::Value = serde_json::from_str(&en.1).expect("JSON");
        assert_eq!(
            (en["sep"].as_str(), en["from"].as_u64()),
            (Some(","), Some(4))
        );
        assert_eq!(en["many"], "{n} events");
        // Marks: uncertain, approximate, area.
        use crate::model::CoordinatePrecision as P;
        let mut marked = points[..3].to_vec();
        marked[0].uncertain = true;
        marked[1].precision = Some(P::Approximate);
        marked[2].precision = Some(P::Area);
        marked[0].name.text = "<b>Lieu</b>".into();
        let (_, json) = with_ctx(Lang::Fr, |ctx| zoomable_map(ctx, &marked, &[])).expect("a map");
        let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        let mut marks: Vec<u64> = v["p"]
            .as_array()
            .expect("places")
            .iter()
            .map(|q| q[5].as_u64().expect("marks"))
            .collect();
        marks.sort_unstable();
        assert_eq!(marks, [1, 2, 4]);
        assert!(
            !json.contains('<') && json.contains("\\u003cb\\u003eLieu"),
            "{json}"
        );
        assert!(
            v["p"]
                .as_array()
                .expect("places")
                .iter()
                .any(|q| q[3] == "<b>Lieu</b>")
        );
    }
}
