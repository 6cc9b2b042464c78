/* annalist filter.js: filters and searches the chronology in the reader's browser.
 * Progressive enhancement: without this script every page reads completely, and the
 * pages per actor, place, type and year do the filtering. The script reveals the
 * filter form of a list page and, when the reader first uses it (or opens a filtered
 * address), loads the small head of the index, data/search/index.json: the names of
 * the actors and places for the form, the words' shards and the strings of the cards.
 * Then each word typed fetches the one shard of words that holds it (w/…), each filter
 * the list of its events (f/…), and the cards drawn the few files of cards they stand
 * in (c/…): a search costs a reader kilobytes whatever the chronology's size.
 * See src/render/search.rs for the files. The matching events are listed newest
 * first, PAGE at a time. The filters live in the address (?actor=jnim&year=2025), so
 * a filtered view can be shared and Back works.
 * No dependencies; nothing is requested from another site. */
(function () {
  'use strict';
  var form = document.querySelector('form.filter');
  if (!form || !window.fetch || !window.history || !history.pushState || !window.Promise || !window.Int32Array) return;
  var D = form.dataset;
  var FIELDS = ['q', 'actor', 'location', 'type', 'status', 'year', 'from', 'to'];
  var PAGE = 20;
  // A word shorter than the split of its shards would need this many more files: it
  // matches then only as a whole word, and the count says so.
  var FANOUT = 6;
  var level = +D.level || 2;
  var root = D.root || '';
  var base = D.index.replace(/[^/]*$/, '');
  var results = document.querySelector('.filter-results');
  var count = form.querySelector('.filter-count');
  var hideWhenFiltering = document.querySelectorAll('[data-unfiltered]');
  var ix = null; // the head of the index, prepared
  var loading = null;
  var failed = false;
  var matches = null; // event numbers (0 the newest), in order
  var partial = []; // words matched whole only
  var limit = PAGE;
  var last = null; // the state `matches` was computed for
  var typing = false;
  var generation = 0;

  form.hidden = false;
  Array.prototype.forEach.call(document.querySelectorAll('.filter-fallback'), function (p) {
    p.hidden = true;
  });

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return '&#' + c.charCodeAt(0) + ';';
    });
  }

  function lang(l) {
    return l ? ' lang="' + esc(l) + '"' : '';
  }

  function say(text) {
    count.textContent = text;
  }

  function fallback() {
    // Opened from a file, or offline: the links to the lists are the way.
    failed = true;
    say(D.failed);
    Array.prototype.forEach.call(document.querySelectorAll('.filter-fallback'), function (p) {
      p.hidden = false;
    });
  }

  // ---------------------------------------------------------------- files

  // Each file once: its promise is kept, a failed one forgotten (to be asked again).
  var files = new Map();
  function get(path) {
    var p = files.get(path);
    if (!p) {
      p = fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(r.status + ' ' + path);
        return r.json();
      });
      p.catch(function () {
        files.delete(path);
      });
      files.set(path, p);
    }
    return p;
  }

  // `[first, gap, gap, …]` (src/render/search.rs `push_gaps`) as the numbers.
  function gaps(g) {
    var out = new Int32Array(g.length);
    var x = 0;
    for (var i = 0; i < g.length; i++) out[i] = x += g[i];
    return out;
  }

  function load() {
    if (ix || failed) return Promise.resolve();
    if (!loading) {
      say(D.loading);
      loading = get('index.json')
        .then(prepare)
        .catch(fallback);
    }
    return loading;
  }

  // The fold of the build (src/fold.rs), so that the reader's words meet the index's
  // folded text: each character through normalize('NFKD'), without its marks, in
  // lowercase, except the characters of `f`, whose fold the index gives. The fold of
  // each character is remembered. src/fold.rs runs this function under Node and
  // compares it with its own, character by character (keep the markers).
  // fold:begin
  function folder(f) {
    var known = Object.create(null);
    f.split(' ').forEach(function (e) {
      if (!e) return;
      var c = String.fromCodePoint(e.codePointAt(0));
      known[c] = e.slice(c.length);
    });
    var marks;
    try {
      marks = new RegExp('\\p{M}', 'gu');
    } catch (x) {
      marks = /[\u0300-\u036f]/g; // an engine without Unicode classes
    }
    var one = function (c) {
      var r = known[c];
      if (r === undefined) r = known[c] = c.normalize('NFKD').replace(marks, '').toLowerCase();
      return r;
    };
    return function (s) {
      // Every fold of a character is lowercase already: this lowercases the ASCII.
      return s.replace(/[\ud800-\udbff][\udc00-\udfff]|[^\0-\x7f]/g, one).toLowerCase();
    };
  }
  // fold:end

  function prepare(j) {
    var byId = function (list) {
      var m = {};
      list.forEach(function (x, i) {
        m[x[0]] = i;
      });
      return m;
    };
    var marks;
    try {
      marks = new RegExp('[^\\p{L}\\p{N}]+', 'u');
    } catch (x) {
      marks = /[^0-9a-z\u00aa-\uffff]+/; // an engine without Unicode classes
    }
    ix = {
      j: j,
      fold: folder(j.f),
      split: marks,
      keys: new Set(j.w),
      actor: byId(j.a),
      place: byId(j.l),
      type: byId(j.t),
      status: byId(j.s),
      tag: {},
      words: new Map(),
      // Made once: the first number format of a page is slow to make.
      number: new Intl.NumberFormat(document.documentElement.lang || undefined),
    };
    j.g.forEach(function (t, i) {
      ix.tag[t] = i;
    });
    if (!active(readForm())) say('');
    fillSelects();
  }

  // Selects left empty by the build (large chronologies) are filled from the index.
  function fillSelects() {
    var j = ix.j;
    var actor = form.elements.actor;
    if (actor.options.length <= 1 && j.a.length) {
      j.a
        .slice()
        .sort(function (a, b) {
          var x = ix.fold(a[1]);
          var y = ix.fold(b[1]);
          return x < y ? -1 : x > y ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : 1;
        })
        .forEach(function (a) {
          addOption(actor, a[0], a[1], a[2]);
        });
    }
    var place = form.elements.location;
    if (place.options.length <= 1 && j.l.length) {
      var children = {};
      j.l.forEach(function (l, i) {
        (children[l[3]] = children[l[3]] || []).push(i);
      });
      var byName = function (a, b) {
        var x = ix.fold(j.l[a][1]);
        var y = ix.fold(j.l[b][1]);
        return x < y ? -1 : x > y ? 1 : 0;
      };
      var walk = function (i, depth) {
        var l = j.l[i];
        addOption(place, l[0], new Array(depth * 3 + 1).join('\u00a0') + l[1], l[2]);
        if (depth < 32) (children[i] || []).sort(byName).forEach(function (c) {
          walk(c, depth + 1);
        });
      };
      (children[-1] || []).sort(byName).forEach(function (i) {
        walk(i, 0);
      });
    }
    // An address opened with ?actor=… could not choose an option that did not exist yet.
    var want = stateFromURL();
    if (!actor.value && want.actor) actor.value = want.actor;
    if (!place.value && want.location) place.value = want.location;
  }

  function addOption(select, value, label, l) {
    var o = document.createElement('option');
    o.value = value;
    o.textContent = label;
    if (l) o.lang = l;
    select.appendChild(o);
  }

  // ---------------------------------------------------------------- state

  function readForm() {
    var s = {};
    FIELDS.forEach(function (f) {
      s[f] = (form.elements[f].value || '').trim();
    });
    return s;
  }

  // The folded filters open when one of them is set, so that the reader sees it.
  var folded = document.getElementById('filter-more');
  function writeForm(s) {
    FIELDS.forEach(function (f) {
      form.elements[f].value = s[f] || '';
    });
    if (folded && FIELDS.some(function (f) {
      return f !== 'q' && s[f];
    })) folded.open = true;
  }

  function stateFromURL() {
    var p = new URLSearchParams(location.search);
    var s = {};
    FIELDS.forEach(function (f) {
      s[f] = (p.get(f) || '').trim();
    });
    return s;
  }

  function active(s) {
    return FIELDS.some(function (f) {
      return s[f];
    });
  }

  function urlOf(s) {
    var p = new URLSearchParams();
    FIELDS.forEach(function (f) {
      if (s[f]) p.set(f, s[f]);
    });
    var q = p.toString();
    return q ? '?' + q : location.pathname;
  }

  function same(a, b) {
    return FIELDS.every(function (f) {
      return a[f] === b[f];
    });
  }

  // ---------------------------------------------------------------- matching

  // The reader's words as the index cut them: folded, split at what is not a letter
  // or a digit, two characters at least, MAX_WORD at most (src/render/search.rs
  // `words_of`).
  function words(q) {
    var out = [];
    ix.fold(q)
      .split(ix.split)
      .forEach(function (w) {
        var cs = Array.from(w);
        if (cs.length < 2) return;
        w = cs.slice(0, ix.j.max_word).join('');
        if (out.indexOf(w) < 0) out.push(w);
      });
    return out;
  }

  // The file of a shard (src/render/search.rs `shard_file`).
  function shardFile(key) {
    if (/^[a-z0-9]+$/.test(key)) return 'w/w' + key + '.json';
    var hex = '';
    new TextEncoder().encode(key).forEach(function (b) {
      hex += (b < 16 ? '0' : '') + b.toString(16);
    });
    return 'w/x' + hex + '.json';
  }

  // The events of the words that start with `w`: the shard of its longest prefix, and
  // the shards that split the words starting with `w` further (unless too many: then
  // `w` whole only). `{list, whole}`, the list sorted.
  function wordList(w) {
    var known = ix.words.get(w);
    if (known) return known;
    var cs = Array.from(w);
    var head = null;
    for (var n = Math.min(cs.length, 6); n >= 2 && !head; n--) {
      var k = cs.slice(0, n).join('');
      if (ix.keys.has(k)) head = k;
    }
    // A few thousand keys at most: a scan, in which the build's order (by code point)
    // and the script's (by UTF-16 unit) need not agree.
    var deeper = ix.j.w.filter(function (k) {
      return k !== w && k.lastIndexOf(w, 0) === 0;
    });
    var whole = deeper.length > FANOUT;
    var shards = (head ? [head] : []).concat(whole ? [] : deeper);
    var p = Promise.all(shards.map(function (k) {
      return get(shardFile(k));
    })).then(function (all) {
      var n = ix.j.count;
      var hit = new Uint8Array(n);
      var found = 0;
      all.forEach(function (shard) {
        Object.keys(shard).forEach(function (t) {
          if (whole ? t !== w : t.lastIndexOf(w, 0) !== 0) return;
          var g = shard[t];
          var x = 0;
          for (var i = 0; i < g.length; i++) {
            x += g[i];
            if (!hit[x]) {
              hit[x] = 1;
              found++;
            }
          }
        });
      });
      var list = new Int32Array(found);
      for (var e = 0, q = 0; e < n; e++) if (hit[e]) list[q++] = e;
      return { list: list, whole: whole && deeper.length > 0 };
    });
    p.catch(function () {
      ix.words.delete(w);
    });
    ix.words.set(w, p);
    if (ix.words.size > 64) ix.words.delete(ix.words.keys().next().value);
    return p;
  }

  // The events of a filter's list (`a12`, `l3`, `t0`, `s1`, `y2024`, `g5`); an id
  // the index does not know matches nothing.
  function facet(name) {
    if (name === null) return Promise.resolve(new Int32Array(0));
    return get('f/' + name + '.json').then(gaps);
  }

  // The first and last day each event allows, as days since 1970.
  function dates() {
    return get('dates.json').then(function (d) {
      if (!ix.dates) {
        var n = d[0].length;
        var first = new Int32Array(n);
        var end = new Int32Array(n);
        var x = 0;
        for (var i = 0; i < n; i++) {
          first[i] = x += d[0][i];
          end[i] = x + d[1][i];
        }
        ix.dates = { first: first, end: end };
      }
      return ix.dates;
    });
  }

  function day(v) {
    var m = /^(\d{1,6})-(\d\d)-(\d\d)$/.exec(v);
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / 864e5 : NaN;
  }

  // The numbers in every sorted list of `lists`.
  function intersect(lists) {
    lists.sort(function (a, b) {
      return a.length - b.length;
    });
    var out = lists[0];
    for (var l = 1; l < lists.length && out.length; l++) {
      var other = lists[l];
      var kept = [];
      var j = 0;
      for (var i = 0; i < out.length; i++) {
        var x = out[i];
        while (j < other.length && other[j] < x) j++;
        if (j < other.length && other[j] === x) kept.push(x);
      }
      out = Int32Array.from(kept);
    }
    return out;
  }

  // The actor and the place whose "possibly linked" notes the cards show: the ones
  // chosen in the form, else the page's own subject (-1: none).
  var noteActor = -1;
  var notePlace = -1;

  // The matching events of state `s`: a promise of `{matches, partial}`.
  function compute(s) {
    var j = ix.j;
    var scope = (D.scope || '').split(':');
    var sk = scope[0];
    var sv = scope.slice(1).join(':');
    var index = function (map, id) {
      var i = map[id];
      return i === undefined ? -1 : i;
    };
    noteActor = index(ix.actor, s.actor || (sk === 'a' ? sv : ''));
    notePlace = index(ix.place, s.location || (sk === 'l' ? sv : ''));
    var asked = [];
    var named = function (prefix, map, id) {
      var i = map[id];
      asked.push(facet(i === undefined ? null : prefix + i));
    };
    var ws = words(s.q);
    var lists = ws.map(wordList);
    if (s.actor) named('a', ix.actor, s.actor);
    if (s.location) named('l', ix.place, s.location);
    if (s.type) named('t', ix.type, s.type);
    if (s.status) named('s', ix.status, s.status);
    if (s.year) asked.push(/^-?\d{1,6}$/.test(s.year) && j.y.indexOf(+s.year) >= 0 ? facet('y' + +s.year) : facet(null));
    if (sk === 'a') named('a', ix.actor, sv);
    if (sk === 'l') named('l', ix.place, sv);
    if (sk === 't') named('t', ix.type, sv);
    if (sk === 's') named('s', ix.status, sv);
    if (sk === 'g') named('g', ix.tag, sv);
    if (sk === 'y') asked.push(facet('y' + +sv));
    var from = s.from ? day(s.from) : NaN;
    var to = s.to ? day(s.to) : NaN;
    var byDate = !isNaN(from) || !isNaN(to);
    return Promise.all([Promise.all(lists), Promise.all(asked), byDate ? dates() : null]).then(function (got) {
      var all = got[0]
        .map(function (w) {
          return w.list;
        })
        .concat(got[1]);
      var out;
      if (all.length) out = intersect(all);
      else {
        out = new Int32Array(j.count);
        for (var e = 0; e < j.count; e++) out[e] = e;
      }
      if (byDate) {
        var d = got[2];
        out = out.filter(function (e) {
          return !(d.end[e] < from) && !(d.first[e] > to);
        });
      }
      return {
        matches: out,
        partial: ws.filter(function (w, i) {
          return got[0][i].whole;
        }),
      };
    });
  }

  // ---------------------------------------------------------------- rendering

  function heading(n, text) {
    return '<h' + n + '>' + esc(text) + '</h' + n + '>';
  }

  // The card of row `r` of a file of cards (src/render/search.rs `EventRow`).
  function card(r) {
    var j = ix.j;
    var type = j.t[r[4]];
    var status = j.s[r[5]][0];
    var h = 'h' + (level + 2);
    // The notices of the row (see src/render/search.rs): those of every page, and
    // those of the chosen actor's or place's page, as that page shows them.
    var notices = r[15] || [];
    var notice = function (kind, i) {
      for (var k = 0; k < notices.length; k++) if (notices[k][0] === kind && notices[k][1] === i) return notices[k];
      return null;
    };
    var noteOf = function (l) {
      return l && j.i[l] ? '<p class="fallback-note">' + esc(j.i[l]) + '</p>' : '';
    };
    // The chosen actor's roles, when its page lists the event directly.
    var roles = '';
    if (noteActor >= 0 && r[14]) {
      var codes = r[14].split(' ');
      var pos = r[11].indexOf(noteActor);
      if (pos < 0 && r[12].indexOf(noteActor) >= 0) pos = r[11].length + r[12].indexOf(noteActor);
      if (pos >= 0 && codes[pos]) {
        roles = ' <span class="roles">(' + codes[pos].split('').map(function (c) {
          return esc(j.o[c.charCodeAt(0) - 97]);
        }).join(', ') + ')</span>';
      }
    }
    var via = noteActor >= 0 ? notice(3, noteActor) : null;
    var linkNote = (noteActor >= 0 && notice(0, noteActor)) || (notePlace >= 0 && notice(1, notePlace));
    var url = root + 'events/' + r[0] + '/index.html';
    var html =
      '<li><article class="event status-' + esc(status) + '"><p class="meta"><time datetime="' + esc(r[2]) + '">' +
      esc(r[1]) + '</time>' + (r[3] ? ' · ' + esc(r[3]) : '') + ' · <a href="' + esc(root + 'types/' + type[0] + '/index.html') +
      '">' + esc(type[1]) + '</a></p><' + h + ' class="event-title"><a href="' + esc(url) + '"' +
      lang(r[7]) + '>' + esc(r[6]) + '</a></' + h + '>' + noteOf(r[7]) + '<p class="status"><a class="badge status-' + esc(status) + '" href="' +
      esc(root + 'methodology/index.html#status-' + status) + '">' + esc(j.s[r[5]][1]) + '</a>' + (r[10] ? ' <span class="claim-note">' + esc(r[10]) + '</span>' : '') + roles + '</p>';
    if (notice(2, 0)) html += '<p class="notice no-source">' + esc(j.n) + '</p>';
    if (via) html += '<p class="via">' + esc(j.p[via[2]]) + '</p>';
    if (linkNote) html += '<p class="link-note">' + esc(linkNote[2]) + '</p>';
    // The summary is HTML the build made safe, as on the pages.
    if (r[8]) html += '<p class="summary"' + lang(r[9]) + '>' + r[8] + '</p>' + noteOf(r[9]);
    if (notice(5, 0)) html += '<p class="tolls"><a href="' + esc(url) + '#casualties">' + esc(j.k) + '</a></p>';
    // Names as they were at the event's date, where the row gives them.
    var link = function (dir, x, kind, i) {
      var at = notice(kind, i);
      var name = at ? at[2] : x[1];
      var l = at ? at[3] || '' : x[2];
      return '<a href="' + esc(root + dir + '/' + x[0] + '/index.html') + '"' + lang(l) + '>' + esc(name) + '</a>';
    };
    var places = r[13].map(function (i) {
      return link('locations', j.l[i], 7, i) + (notice(4, i) ? ' <span class="uncertain">(' + esc(j.u) + ')</span>' : '');
    });
    var actors = r[11].map(function (i) {
      return link('actors', j.a[i], 6, i);
    });
    html += '<p class="where">' + places.join(', ') + (actors.length ? ' · ' + actors.join(', ') : '') + '</p></article></li>';
    return html;
  }

  // The rows of the cards, by event number, as their files arrive.
  var rows = new Map();
  function fetchRows(from, to) {
    var need = [];
    for (var i = from; i < Math.min(to, matches.length); i++) {
      var c = Math.floor(matches[i] / ix.j.chunk);
      if (need.indexOf(c) < 0 && !rows.has(matches[i])) need.push(c);
    }
    return need.map(function (c) {
      return get('c/' + c + '.json').then(function (list) {
        list.forEach(function (r, i) {
          rows.set(c * ix.j.chunk + i, r);
        });
      });
    });
  }

  // Cards drawn so far, and the year and month of the last one: more cards are
  // appended where they belong (the last month's list, the last year, or new years).
  var drawn = 0;
  var lastYear = null;
  var lastMonth = null;

  // Draws the cards up to `to`, or up to the first whose row has not arrived.
  function draw(to) {
    var j = ix.j;
    var parts = ['', '', ''];
    var mode = 0; // 0: into the last list, 1: months of the last year, 2: new years
    var open = 0; // tags to close in the current part: 2 (ol, month) or 3 (+ year)
    var close = function () {
      parts[mode] += open === 3 ? '</ol></section></section>' : open === 2 ? '</ol></section>' : '';
    };
    if (drawn === 0) mode = 2;
    var n = Math.min(matches.length, to);
    var i;
    for (i = drawn; i < n; i++) {
      var r = rows.get(matches[i]);
      if (!r) break;
      var y = r[2].slice(0, 4);
      var m = r[2].slice(0, 7);
      if (y !== lastYear) {
        close();
        mode = 2;
        parts[2] += '<section class="year">' + heading(level, y);
        open = 1;
        lastYear = y;
        lastMonth = null;
      }
      if (m !== lastMonth) {
        if (open >= 2) parts[mode] += '</ol></section>';
        if (mode === 0) mode = 1;
        parts[mode] += '<section class="month">' + heading(level + 1, j.m[m] || m) + '<ol class="events">';
        open = mode === 2 ? 3 : 2;
        lastMonth = m;
      }
      parts[mode] += card(r);
    }
    close();
    drawn = i;
    var old = results.querySelector('.more');
    if (old) old.remove();
    var lists = results.querySelectorAll('ol.events');
    var years = results.querySelectorAll('section.year');
    if (parts[0]) lists[lists.length - 1].insertAdjacentHTML('beforeend', parts[0]);
    if (parts[1]) years[years.length - 1].insertAdjacentHTML('beforeend', parts[1]);
    if (parts[2]) results.insertAdjacentHTML('beforeend', parts[2]);
    var rest = matches.length - Math.min(matches.length, limit);
    if (rest > 0 && drawn >= limit) {
      results.insertAdjacentHTML(
        'beforeend',
        '<p class="more"><button type="button">' + esc(D.more.replace('{n}', Math.min(rest, PAGE))) + '</button></p>',
      );
      results.querySelector('.more button').addEventListener('click', function () {
        var from = drawn;
        limit += PAGE;
        // Once: the next button comes with the cards.
        this.disabled = true;
        more(generation, from);
      });
    }
  }

  // Draws the cards from `from` to `limit` as their files arrive, then focuses the
  // first new one when `focus` is given.
  function more(g, focus) {
    var from = drawn;
    results.setAttribute('aria-busy', 'true');
    var waits = fetchRows(from, limit);
    var step = function () {
      if (g !== generation) return;
      draw(limit);
      if (drawn >= Math.min(limit, matches.length)) {
        results.removeAttribute('aria-busy');
        tellCount();
        if (focus !== undefined) {
          var links = results.querySelectorAll('.event-title a');
          if (links[focus]) links[focus].focus();
        }
      }
    };
    if (!waits.length) step();
    waits.forEach(function (w) {
      w.then(step, function () {
        if (g === generation) fallback();
      });
    });
  }

  function tellCount() {
    var fmt = function (v) {
      return ix.number.format(v);
    };
    var n = matches.length;
    var text = n === 0 ? D.countNone : n === 1 ? D.countOne : D.countMany.replace('{n}', fmt(n));
    if (n > limit) text += ' ' + D.shown.replace('{n}', fmt(limit));
    if (partial.length && D.whole) text += ' ' + D.whole.replace('{w}', partial.join(', '));
    say(text);
  }

  // A new list, drawn as its first cards arrive.
  function render(g) {
    results.textContent = '';
    drawn = 0;
    lastYear = null;
    lastMonth = null;
    tellCount();
    more(g);
  }

  function show(filtering) {
    results.hidden = !filtering;
    Array.prototype.forEach.call(hideWhenFiltering, function (el) {
      el.hidden = filtering;
    });
  }

  // Applies the form; `mode` records it in the history ('push', 'replace') or not;
  // `lazy` when the reader is typing.
  // The address follows the form, off the reader's way: after the list is drawn,
  // or once typing pauses (one entry in the history per word typed).
  var pending = null;
  var timer = 0;

  function flush() {
    clearTimeout(timer);
    if (!pending) return;
    var h = pending;
    pending = null;
    try {
      if (h.url !== urlOf(stateFromURL())) history[h.mode === 'push' ? 'pushState' : 'replaceState'](null, '', h.url);
    } catch (e) {
      // A page opened from a file may not change its address; the filter still works.
    }
  }

  function record(mode, url, lazy) {
    if (pending && pending.mode === 'replace' && mode === 'push') flush();
    else if (pending && pending.mode === 'push') mode = 'push';
    pending = { mode: mode, url: url };
    clearTimeout(timer);
    if (lazy) timer = setTimeout(flush, 400);
    else {
      requestAnimationFrame(function () {
        timer = setTimeout(flush);
      });
    }
  }

  function apply(mode, lazy) {
    var s = readForm();
    if (mode) record(mode, urlOf(s), lazy);
    if (!active(s)) {
      generation++;
      results.removeAttribute('aria-busy');
      show(false);
      say(failed ? D.failed : '');
      last = null;
      matches = null;
      return;
    }
    if (!ix) {
      load().then(function () {
        if (ix) apply(null);
      });
      return;
    }
    if (last && same(last, s)) return;
    last = s;
    var g = ++generation;
    // Until the new list is drawn, the one shown is not its answer.
    results.setAttribute('aria-busy', 'true');
    // Files on their way: say so if they are slow.
    var slow = setTimeout(function () {
      if (g === generation) say(D.loading);
    }, 300);
    compute(s).then(
      function (r) {
        clearTimeout(slow);
        if (g !== generation) return;
        matches = r.matches;
        partial = r.partial;
        limit = PAGE;
        render(g);
        show(true);
      },
      function () {
        clearTimeout(slow);
        if (g === generation) {
          last = null;
          results.removeAttribute('aria-busy');
          fallback();
        }
      },
    );
  }

  // ---------------------------------------------------------------- events

  form.addEventListener('focusin', load);
  form.addEventListener('pointerdown', load);
  form.addEventListener('input', function (e) {
    if (e.target !== form.elements.q) return;
    apply(typing ? 'replace' : 'push', true);
    typing = true;
  });
  form.addEventListener('change', function (e) {
    if (e.target === form.elements.q) return;
    typing = false;
    apply('push');
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    typing = false;
    apply('push');
  });
  form.addEventListener('reset', function () {
    setTimeout(function () {
      typing = false;
      apply('push');
    });
  });
  // Leaving by a link, or the page: the address must be up to date first.
  document.addEventListener('click', flush, true);
  document.addEventListener('visibilitychange', flush);
  window.addEventListener('popstate', function () {
    clearTimeout(timer);
    pending = null;
    typing = false;
    writeForm(stateFromURL());
    apply(null);
  });
  if (active(stateFromURL())) {
    writeForm(stateFromURL());
    apply(null);
  }
})();
