/* annalist filter.js: filters and searches the chronology in the reader's browser.
 * Progressive enhancement: without this script every page reads completely, and the
 * pages per actor, place, type and year do the filtering. The script reveals the
 * filter form of a list page, loads data/search.json when the reader first uses the
 * form (or opens a filtered address), and lists the matching events of the whole
 * chronology, newest first, 100 at a time. The filters live in the address
 * (?actor=jnim&year=2025), so a filtered view can be shared and Back works.
 * No dependencies; nothing is requested from another site. */
(function () {
  'use strict';
  var form = document.querySelector('form.filter');
  if (!form || !window.fetch || !window.history || !history.pushState) return;
  var D = form.dataset;
  var FIELDS = ['q', 'actor', 'location', 'type', 'status', 'year', 'from', 'to'];
  var PAGE = 100;
  var FIRST = 8;
  var level = +D.level || 2;
  var root = D.root || '';
  var results = document.querySelector('.filter-results');
  var count = form.querySelector('.filter-count');
  var hideWhenFiltering = document.querySelectorAll('[data-unfiltered]');
  var ix = null; // the prepared index
  var loading = null;
  var failed = false;
  var matches = null; // event positions, newest first
  var limit = PAGE;
  var last = null; // the state `matches` was computed for
  var typing = false;

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

  // ---------------------------------------------------------------- the index

  function load() {
    if (ix || failed) return Promise.resolve();
    if (!loading) {
      say(D.loading);
      loading = fetch(D.index)
        .then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        })
        .then(prepare)
        .catch(function () {
          // Opened from a file, or offline: the links to the lists are the way.
          failed = true;
          say(D.failed);
          Array.prototype.forEach.call(document.querySelectorAll('.filter-fallback'), function (p) {
            p.hidden = false;
          });
        });
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
    var fold = folder(j.f);
    var tags = function (html) {
      return html
        .replace(/<[^>]*>/g, ' ')
        .replace(/&(amp|lt|gt|quot|#39);/g, function (m, n) {
          return { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" }[n];
        });
    };
    var byId = function (list) {
      var m = {};
      list.forEach(function (x, i) {
        m[x[0]] = i;
      });
      return m;
    };
    // The events' own texts, folded, end to end in one string (a token never holds a
    // line break, so no match spans two events): one scan per word typed. And for
    // each actor, place and tag, the events whose page or list holds it.
    var n = j.e.length;
    var texts = [];
    var off = new Int32Array(n + 1);
    var at = 0;
    var lists = function (size) {
      var l = [];
      for (var i = 0; i < size; i++) l.push([]);
      return l;
    };
    ix = {
      j: j,
      fold: fold,
      actor: byId(j.a),
      place: byId(j.l),
      type: byId(j.t),
      status: byId(j.s),
      tag: {},
      byActor: lists(j.a.length),
      byPlace: lists(j.l.length),
      byTag: lists(j.g.length),
      off: off,
      cache: [],
      masks: new Map(),
      // Made once: the first number format of a page is slow to make.
      number: new Intl.NumberFormat(document.documentElement.lang || undefined),
    };
    j.e.forEach(function (r, k) {
      var t = fold(r[8] + ' ' + tags(r[10])) + ' | ' + r[18] + '\n';
      texts.push(t);
      off[k] = at;
      at += t.length;
      [r[13], r[14]].forEach(function (l) {
        l.forEach(function (a) {
          ix.byActor[a].push(k);
        });
      });
      [r[15], r[16]].forEach(function (l) {
        l.forEach(function (p) {
          ix.byPlace[p].push(k);
        });
      });
      r[17].forEach(function (g) {
        ix.byTag[g].push(k);
      });
    });
    off[n] = at;
    ix.all = texts.join('');
    j.g.forEach(function (t, i) {
      ix.tag[t] = i;
    });
    // Run the search and the cards once, so that the reader's first letter does not
    // wait for the script engine to compile them.
    var empty = {};
    FIELDS.forEach(function (f) {
      empty[f] = '';
    });
    ['e', 'a', 'i'].forEach(function (q) {
      empty.q = q;
      compute(empty);
    });
    if (j.a.length) compute({ q: '', actor: j.a[0][0], location: '', type: j.t[0][0], status: '', year: '', from: '', to: '' });
    ix.cache = [];
    ix.masks.clear();
    var warm = '';
    for (var k = 0; k < Math.min(n, FIRST); k++) warm += card(j.e[k]);
    if (results.hidden) {
      results.innerHTML = '<section class="year"><section class="month"><ol class="events">' + warm + '</ol></section></section>';
      results.textContent = '';
    }
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
          return x < y ? -1 : x > y ? 1 : 0;
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
      var walk = function (i, depth) {
        var l = j.l[i];
        addOption(place, l[0], new Array(depth * 3 + 1).join('\u00a0') + l[1], l[2]);
        if (depth < 32) (children[i] || []).forEach(function (c) {
          walk(c, depth + 1);
        });
      };
      (children[-1] || []).forEach(function (i) {
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

  function writeForm(s) {
    FIELDS.forEach(function (f) {
      form.elements[f].value = s[f] || '';
    });
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

  function same(a, b, except) {
    return FIELDS.every(function (f) {
      return f === except || a[f] === b[f];
    });
  }

  // ---------------------------------------------------------------- filtering

  // Marks in `out` the events whose own text holds `t`.
  function markText(t, out) {
    var n = ix.j.e.length;
    var off = ix.off;
    var all = ix.all;
    var p = all.indexOf(t);
    while (p >= 0) {
      var lo = 0;
      var hi = n - 1;
      while (lo < hi) {
        var mid = (lo + hi + 1) >> 1;
        if (off[mid] <= p) lo = mid;
        else hi = mid - 1;
      }
      out[lo] = 1;
      p = all.indexOf(t, off[lo + 1]);
    }
  }

  // Marks in `out` the events of every list `lists[i]` for which `pick(i)` holds.
  function markLists(lists, pick, out) {
    for (var i = 0; i < lists.length; i++) {
      if (!pick(i)) continue;
      var l = lists[i];
      for (var q = 0; q < l.length; q++) out[l[q]] = 1;
    }
  }

  // The events a word finds, in their text or in the names of their actors and
  // places, as a mask over every event; the last few are kept.
  function wordMask(t) {
    var m = ix.masks.get(t);
    if (m) return m;
    var j = ix.j;
    m = new Uint8Array(j.e.length);
    markText(t, m);
    markLists(ix.byActor, function (i) {
      return j.a[i][3].indexOf(t) >= 0;
    }, m);
    markLists(ix.byPlace, function (i) {
      return j.l[i][4].indexOf(t) >= 0;
    }, m);
    ix.masks.set(t, m);
    if (ix.masks.size > 16) ix.masks.delete(ix.masks.keys().next().value);
    return m;
  }

  // The same, as a test of one event at a time, for a few events.
  function wordTest(t) {
    var j = ix.j;
    var a = j.a.map(function (x) {
      return x[3].indexOf(t) >= 0;
    });
    var l = j.l.map(function (x) {
      return x[4].indexOf(t) >= 0;
    });
    var any = function (list, hit) {
      for (var i = 0; i < list.length; i++) if (hit[list[i]]) return true;
      return false;
    };
    return function (k) {
      var r = j.e[k];
      return ix.all.substring(ix.off[k], ix.off[k + 1]).indexOf(t) >= 0 || any(r[13], a) || any(r[14], a) || any(r[15], l) || any(r[16], l);
    };
  }

  // The actor and the place whose "possibly linked" notes the cards show: the ones
  // chosen in the form, else the page's own subject (-1: none).
  var noteActor = -1;
  var notePlace = -1;

  // The positions of the matching events, newest first.
  function compute(s) {
    var scopeOf = (D.scope || '').split(':');
    var chosen = function (v, kind, map) {
      var id = v || (scopeOf[0] === kind ? scopeOf.slice(1).join(':') : '');
      var i = id ? map[id] : undefined;
      return i === undefined ? -1 : i;
    };
    noteActor = chosen(s.actor, 'a', ix.actor);
    notePlace = chosen(s.location, 'l', ix.place);
    var j = ix.j;
    var n = j.e.length;
    var key = JSON.stringify(s);
    for (var c = 0; c < ix.cache.length; c++) if (ix.cache[c].key === key) return ix.cache[c].matches;
    // Typing more letters only narrows the previous matches.
    var base = last && matches && last.q && same(last, s, 'q') && ix.fold(s.q).indexOf(ix.fold(last.q)) === 0 ? matches : null;
    // Each word, each actor or place chosen, and the page's own subject, is a mask
    // of the events that pass it (an unknown id matches nothing), or, for a new word
    // among few events, a test of each.
    var masks = [];
    var tests = [];
    ix.fold(s.q)
      .split(/\s+/)
      .filter(Boolean)
      .forEach(function (t) {
        if (base && base.length < n / 2 && !ix.masks.has(t)) tests.push(wordTest(t));
        else masks.push(wordMask(t));
      });
    var only = function (lists, i) {
      var m = new Uint8Array(n);
      if (i !== undefined) markLists(lists, function (x) {
        return x === i;
      }, m);
      masks.push(m);
    };
    var scope = (D.scope || '').split(':');
    var sk = scope[0];
    var sv = scope.slice(1).join(':');
    if (s.actor) only(ix.byActor, ix.actor[s.actor]);
    if (s.location) only(ix.byPlace, ix.place[s.location]);
    if (sk === 'a') only(ix.byActor, ix.actor[sv]);
    if (sk === 'l') only(ix.byPlace, ix.place[sv]);
    if (sk === 'g') only(ix.byTag, ix.tag[sv]);
    var type = s.type ? ix.type[s.type] : -1;
    var scopeType = sk === 't' ? ix.type[sv] : -1;
    var status = s.status ? ix.status[s.status] : -1;
    var scopeStatus = sk === 's' ? ix.status[sv] : -1;
    if (type === undefined || status === undefined || scopeType === undefined || scopeStatus === undefined) return [];
    var year = s.year ? +s.year || -1 : 0;
    var scopeYear = sk === 'y' ? +sv : 0;
    var from = s.from ? +s.from.replace(/-/g, '') || 0 : 0;
    var to = s.to ? +s.to.replace(/-/g, '') || 0 : 0;
    var events = j.e;
    // All masks in one, so that the loop below reads one array.
    var all = null;
    if (masks.length) {
      all = masks.length === 1 ? masks[0] : masks[0].slice();
      for (var x = 1; x < masks.length; x++) {
        var mx = masks[x];
        for (var i = 0; i < n; i++) all[i] &= mx[i];
      }
    }
    var rest = tests.length || type >= 0 || scopeType >= 0 || status >= 0 || scopeStatus >= 0 || year || scopeYear || from || to;
    var test = function (k) {
      for (var x = 0; x < tests.length; x++) if (!tests[x](k)) return false;
      var r = events[k];
      if (type >= 0 && r[6] !== type) return false;
      if (scopeType >= 0 && r[6] !== scopeType) return false;
      if (status >= 0 && r[7] !== status) return false;
      if (scopeStatus >= 0 && r[7] !== scopeStatus) return false;
      if (year && Math.floor(r[1] / 10000) !== year) return false;
      if (scopeYear && Math.floor(r[1] / 10000) !== scopeYear) return false;
      if (from && r[2] < from) return false;
      if (to && r[1] > to) return false;
      return true;
    };
    var out = [];
    var k;
    if (base) {
      for (var b = 0; b < base.length; b++) {
        k = base[b];
        if ((!all || all[k]) && (!rest || test(k))) out.push(k);
      }
    } else if (all && !rest) {
      for (k = n - 1; k >= 0; k--) if (all[k]) out.push(k);
    } else {
      for (k = n - 1; k >= 0; k--) if ((!all || all[k]) && (!rest || test(k))) out.push(k);
    }
    // Deleting letters goes back to results already computed.
    ix.cache.unshift({ key: key, matches: out });
    ix.cache.length = Math.min(ix.cache.length, 20);
    return out;
  }

  // ---------------------------------------------------------------- rendering

  function heading(n, text) {
    return '<h' + n + '>' + esc(text) + '</h' + n + '>';
  }

  function card(r) {
    var j = ix.j;
    var type = j.t[r[6]];
    var status = j.s[r[7]][0];
    var h = 'h' + (level + 2);
    // The notices of the row (see src/render/search.rs): those of every page, and
    // those of the chosen actor's or place's page, as that page shows them.
    var notices = r[20] || [];
    var notice = function (kind, i) {
      for (var k = 0; k < notices.length; k++) if (notices[k][0] === kind && notices[k][1] === i) return notices[k];
      return null;
    };
    var noteOf = function (l) {
      return l && j.i[l] ? '<p class="fallback-note">' + esc(j.i[l]) + '</p>' : '';
    };
    // The chosen actor's roles, when its page lists the event directly.
    var roles = '';
    if (noteActor >= 0 && r[19]) {
      var codes = r[19].split(' ');
      var pos = r[13].indexOf(noteActor);
      if (pos < 0 && r[14].indexOf(noteActor) >= 0) pos = r[13].length + r[14].indexOf(noteActor);
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
      '<li><article class="event status-' + esc(status) + '"><p class="meta"><time datetime="' + esc(r[4]) + '">' +
      esc(r[3]) + '</time>' + (r[5] ? ' · ' + esc(r[5]) : '') + ' · <a href="' + esc(root + 'types/' + type[0] + '/index.html') +
      '">' + esc(type[1]) + '</a></p><' + h + ' class="event-title"><a href="' + esc(url) + '"' +
      lang(r[9]) + '>' + esc(r[8]) + '</a></' + h + '>' + noteOf(r[9]) + '<p class="status"><a class="badge status-' + esc(status) + '" href="' +
      esc(root + 'methodology/index.html#status-' + status) + '">' + esc(j.s[r[7]][1]) + '</a>' + (r[12] ? ' <span class="claim-note">' + esc(r[12]) + '</span>' : '') + roles + '</p>';
    if (notice(2, 0)) html += '<p class="notice no-source">' + esc(j.n) + '</p>';
    if (via) html += '<p class="via">' + esc(j.p[via[2]]) + '</p>';
    if (linkNote) html += '<p class="link-note">' + esc(linkNote[2]) + '</p>';
    // The summary is HTML the build made safe, as on the pages.
    if (r[10]) html += '<p class="summary"' + lang(r[11]) + '>' + r[10] + '</p>' + noteOf(r[11]);
    if (notice(5, 0)) html += '<p class="tolls"><a href="' + esc(url) + '#casualties">' + esc(j.k) + '</a></p>';
    // Names as they were at the event's date, where the row gives them.
    var link = function (dir, x, kind, i) {
      var at = notice(kind, i);
      var name = at ? at[2] : x[1];
      var l = at ? at[3] || '' : x[2];
      return '<a href="' + esc(root + dir + '/' + x[0] + '/index.html') + '"' + lang(l) + '>' + esc(name) + '</a>';
    };
    var places = r[15].map(function (i) {
      return link('locations', j.l[i], 7, i) + (notice(4, i) ? ' <span class="uncertain">(' + esc(j.u) + ')</span>' : '');
    });
    var actors = r[13].map(function (i) {
      return link('actors', j.a[i], 6, i);
    });
    html += '<p class="where">' + places.join(', ') + (actors.length ? ' · ' + actors.join(', ') : '') + '</p></article></li>';
    return html;
  }

  // Cards drawn so far, and the year and month of the last one: more cards are
  // appended where they belong (the last month's list, the last year, or new years).
  var drawn = 0;
  var lastYear = null;
  var lastMonth = null;
  var later = 0;
  var generation = 0;

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
    for (var i = drawn; i < n; i++) {
      var r = ix.j.e[matches[i]];
      var y = r[4].slice(0, 4);
      var m = r[4].slice(0, 7);
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
    drawn = Math.max(drawn, n);
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
        draw(limit);
        tellCount();
        var links = results.querySelectorAll('.event-title a');
        if (links[from]) links[from].focus();
      });
    }
  }

  function tellCount() {
    var fmt = function (v) {
      return ix.number.format(v);
    };
    var n = matches.length;
    var text = n === 0 ? D.countNone : n === 1 ? D.countOne : D.countMany.replace('{n}', fmt(n));
    if (n > limit) text += ' ' + D.shown.replace('{n}', fmt(limit));
    say(text);
  }

  // A new list: the first cards at once, the rest of the first hundred once the
  // reader sees them (the next keystroke cancels it).
  function render() {
    results.textContent = '';
    drawn = 0;
    lastYear = null;
    lastMonth = null;
    clearTimeout(later);
    draw(Math.min(limit, FIRST));
    tellCount();
    var g = ++generation;
    results.removeAttribute('aria-busy');
    if (drawn < Math.min(limit, matches.length)) {
      results.setAttribute('aria-busy', 'true');
      requestAnimationFrame(function () {
        later = setTimeout(function () {
          if (g !== generation) return;
          draw(limit);
          results.removeAttribute('aria-busy');
        });
      });
    }
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
      show(false);
      say('');
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
    if (last && matches && same(last, s)) return;
    matches = compute(s);
    last = s;
    limit = PAGE;
    render();
    show(true);
  }

  // ---------------------------------------------------------------- events

  form.addEventListener('focusin', load);
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
