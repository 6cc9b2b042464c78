//! Country outlines for the maps, embedded in the binary: Natural Earth's 1:50m
//! countries (public domain), simplified to about 2 km and rounded to 1/100 degree by
//! `assets/geo/convert.mjs` into `assets/geo/countries.bin` (format described there;
//! licence in `assets/geo/LICENSE.md`). Decoded once, on first use. The maps draw
//! them, and `check` tests that a place's point lies inside its country.

use std::sync::OnceLock;

static DATA: &[u8] = include_bytes!("../assets/geo/countries.bin");

/// Units of the stored coordinates per degree.
const UNITS: f64 = 100.0;

/// A country: its Natural Earth name, its bounding box and its rings (outer rings and
/// holes alike), in degrees.
#[derive(Debug)]
pub struct Country {
    pub name: String,
    /// ISO 3166-1 numeric code, 0 when Natural Earth gives none.
    pub iso: u16,
    /// Min lon, min lat, max lon, max lat.
    pub bbox: [f64; 4],
    pub rings: Vec<Vec<(f64, f64)>>,
}

/// Every country of the embedded data, sorted by name.
pub fn countries() -> &'static [Country] {
    static ALL: OnceLock<Vec<Country>> = OnceLock::new();
    ALL.get_or_init(|| decode(DATA).unwrap_or_default())
}

/// `s` folded (case, accents), white space as single spaces.
fn fold(s: &str) -> String {
    crate::fold::fold(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The country Natural Earth calls `name` (accents and case aside), if any.
pub fn find(name: &str) -> Option<&'static Country> {
    let wanted = fold(name);
    if wanted.is_empty() {
        return None;
    }
    countries().iter().find(|c| fold(&c.name) == wanted)
}

/// The country of Natural Earth a place of kind `country` stands for, by any of its
/// names.
pub fn for_place(l: &crate::model::LocationFile) -> Option<&'static Country> {
    if l.kind != crate::model::LocationKind::Country {
        return None;
    }
    l.name
        .all()
        .into_iter()
        .chain(l.aliases.iter().map(|a| a.0.as_str()))
        .find_map(find)
}

/// How far outside its outline a point may lie and still count as inside, in degrees
/// (about 10 km): the outlines are simplified to about 2 km and rounded.
const SLACK: f64 = 0.1;

impl Country {
    /// Whether the point lies inside the country's outline, or within [`SLACK`] of it.
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        let [w, s, e, n] = self.bbox;
        if lon < w - SLACK || lon > e + SLACK || lat < s - SLACK || lat > n + SLACK {
            return false;
        }
        // Even-odd rule over every ring: holes flip the answer back.
        let mut inside = false;
        for ring in &self.rings {
            for (i, &(x1, y1)) in ring.iter().enumerate() {
                let (x0, y0) = ring[(i + ring.len() - 1) % ring.len()];
                if (y0 > lat) != (y1 > lat) && lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0) {
                    inside = !inside;
                }
            }
        }
        inside || self.near_edge(lat, lon)
    }

    /// Whether the point is within [`SLACK`] of an edge of an outline.
    fn near_edge(&self, lat: f64, lon: f64) -> bool {
        let k = lat.to_radians().cos().max(0.1);
        self.rings.iter().any(|ring| {
            ring.iter().enumerate().any(|(i, &(x1, y1))| {
                let (x0, y0) = ring[(i + ring.len() - 1) % ring.len()];
                let (ax, ay, bx, by) = ((x0 - lon) * k, y0 - lat, (x1 - lon) * k, y1 - lat);
                let (dx, dy) = (bx - ax, by - ay);
                let len = dx * dx + dy * dy;
                let t = if len == 0.0 {
                    0.0
                } else {
                    (-(ax * dx + ay * dy) / len).clamp(0.0, 1.0)
                };
                let (px, py) = (ax + t * dx, ay + t * dy);
                px * px + py * py <= SLACK * SLACK
            })
        })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn u8(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from(self.u8()?) | (u16::from(self.u8()?) << 8))
    }

    fn i16(&mut self) -> Option<i16> {
        Some(self.u16()? as i16)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn zigzag(&mut self) -> Option<i64> {
        let v = self.varint()?;
        Some(((v >> 1) as i64) ^ -((v & 1) as i64))
    }
}

fn decode(bytes: &[u8]) -> Option<Vec<Country>> {
    let mut r = Reader { bytes, at: 0 };
    if bytes.get(..4)? != b"AGEO" {
        return None;
    }
    r.at = 4;
    if r.u8()? != 1 || r.u8()? != 2 {
        return None;
    }
    let n = r.u16()?;
    let mut out = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let len = r.u8()? as usize;
        let name = std::str::from_utf8(bytes.get(r.at..r.at + len)?)
            .ok()?
            .to_string();
        r.at += len;
        let iso = r.u16()?;
        let mut bbox = [0f64; 4];
        for b in &mut bbox {
            *b = f64::from(r.i16()?) / UNITS;
        }
        let rings_n = r.varint()? as usize;
        let mut rings = Vec::with_capacity(rings_n.min(4096));
        for _ in 0..rings_n {
            let points = r.varint()? as usize;
            let mut ring = Vec::with_capacity(points.min(1 << 16));
            let (mut x, mut y) = (0i64, 0i64);
            for _ in 0..points {
                x += r.zigzag()?;
                y += r.zigzag()?;
                ring.push((x as f64 / UNITS, y as f64 / UNITS));
            }
            rings.push(ring);
        }
        out.push(Country {
            name,
            iso,
            bbox,
            rings,
        });
    }
    (r.at == bytes.len()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_outlines_decode_whole() {
        let all = countries();
        assert!(all.len() > 200, "{} countries", all.len());
        let mali = find("mali").expect("Mali");
        assert_eq!(mali.iso, 466);
        // Mali spans roughly 12°W–4°E and 10°N–25°N.
        let [w, s, e, n] = mali.bbox;
        assert!(
            (-13.0..-11.0).contains(&w) && (3.5..5.0).contains(&e),
            "{w} {e}"
        );
        assert!(
            (10.0..11.0).contains(&s) && (24.5..25.5).contains(&n),
            "{s} {n}"
        );
        assert!(mali.rings.iter().map(Vec::len).sum::<usize>() > 100);
        assert!(find("Côte d'Ivoire").is_some());
        assert!(find("Atlantis").is_none());
    }

    #[test]
    fn points_inside_and_outside_an_outline() {
        let mali = find("Mali").expect("Mali");
        // Tessalit, Bamako, Mopti: inside.
        assert!(mali.contains(20.2, 1.01));
        assert!(mali.contains(12.64, -8.0));
        assert!(mali.contains(14.49, -4.2));
        // Mopti with the sign of the longitude lost: in Niger.
        assert!(!mali.contains(14.49, 4.2));
        // Far away, and just outside the bounding box.
        assert!(!mali.contains(48.85, 2.35));
        assert!(!mali.contains(9.0, -8.0));
    }

    #[test]
    fn broken_data_decodes_to_nothing() {
        assert!(decode(b"AGEO").is_none());
        assert!(decode(&DATA[..DATA.len() - 1]).is_none());
        assert!(decode(b"XXXX\x01\x02\x00\x00").is_none());
    }
}
