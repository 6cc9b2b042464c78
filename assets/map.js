/* annalist map.js: zoom and pan on the map page (map/index.html).
 * Progressive enhancement: without this script the page shows the map drawn at build
 * time, its places grouped where their discs would overlap, and the table of places.
 * The script reveals the zoom buttons, zooms with the wheel, the keyboard (+, -,
 * arrows, 0 when the map has focus) and two fingers, pans by dragging, and on the
 * first zoom fetches map/points.json (src/render/svg.rs `zoomable_map`) to group the
 * places again at every zoom, by the same rule as the build (`clusters`): a group
 * splits where its places no longer overlap, and merges again when zooming out. Discs
 * and their labels keep their size on the screen.
 * No dependencies; nothing is requested from another site. */
(function () {
  'use strict';
  var tools = document.querySelector('.map-tools');
  var figure = document.querySelector('figure.map');
  var svg = figure && figure.querySelector('svg');
  var layer = svg && svg.querySelector('g.places');
  if (!tools || !layer || !window.fetch) return;
  var box = svg.getAttribute('viewBox').split(' ').map(Number);
  var W = box[2];
  var H = box[3];
  var MAX_ZOOM = 16;
  var labels = figure.querySelectorAll('.map-labels span');
  var view = { k: 1, x: 0, y: 0 }; // the zoom, and the top left corner in SVG units
  var data = null; // map/points.json, once fetched
  var loading = null;
  var levels = {}; // the groups at each zoom level, computed once
  var queued = false;

  // The buttons had their room already: showing them moves nothing. The page is
  // otherwise left as it is until the reader uses the map (a class on the map
  // would restyle its hundreds of discs as the page loads).
  tools.classList.add('on');
  svg.tabIndex = 0;
  svg.setAttribute('aria-describedby', 'map-keys');
  svg.style.touchAction = 'none';
  // How the keys work, shown over the map while it has the keyboard's focus.
  svg.addEventListener(
    'focus',
    function () {
      var keys = document.getElementById('map-keys');
      if (!keys) return;
      keys.className = 'map-keys';
      svg.parentNode.appendChild(keys);
    },
    { once: true },
  );

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return '&#' + c.charCodeAt(0) + ';';
    });
  }

  /** A number as the build writes it (src/lang.rs `format_number`). */
  function number(n) {
    var s = String(n);
    if (s.length < data.from) return s;
    return s.replace(/\B(?=(\d{3})+(?!\d))/g, data.sep);
  }

  function count(n) {
    return n === 1 ? data.one : data.many.replace('{n}', number(n));
  }

  /** The radius of a disc, in SVG units at zoom 1 (src/render/svg.rs `radius`). */
  function radius(n, max) {
    return 5 + 13 * Math.sqrt(n / Math.max(max, 1));
  }

  /** The places grouped so that no two discs overlap at zoom `k`: the rule of
   * src/render/svg.rs `clusters`, on positions spread `k` times. */
  function clusters(k) {
    var p = data.p;
    var groups = p.map(function (q, i) {
      return { x: q[0] * k, y: q[1] * k, sum: q[2], members: [i] };
    });
    for (;;) {
      var max = 0;
      groups.forEach(function (g) {
        if (g.sum > max) max = g.sum;
      });
      max = max || 1;
      var kept = [];
      var merged = false;
      for (var i = 0; i < groups.length; i++) {
        var g = groups[i];
        var r = radius(g.sum, max);
        var near = null;
        for (var j = 0; j < kept.length; j++) {
          var o = kept[j];
          var dx = o.x - g.x;
          var dy = o.y - g.y;
          if (Math.sqrt(dx * dx + dy * dy) < radius(o.sum, max) + r) {
            near = o;
            break;
          }
        }
        if (near) {
          near.sum += g.sum;
          near.members = near.members.concat(g.members);
          merged = true;
        } else kept.push(g);
      }
      kept.sort(function (a, b) {
        return b.sum - a.sum || a.members[0] - b.members[0];
      });
      kept.forEach(function (g) {
        g.members.sort(function (a, b) {
          return a - b;
        });
        g.x = p[g.members[0]][0] * k;
        g.y = p[g.members[0]][1] * k;
      });
      groups = kept;
      if (!merged) return { groups: groups, max: groups.length ? groups[0].sum : 1 };
    }
  }

  /** The groups at zoom `k`, computed at the quarter-octave below it: discs apart
   * there are further apart at `k`. */
  function groupsAt(k) {
    var level = Math.floor(Math.log2(k) * 4 + 1e-9) / 4;
    if (!levels[level]) levels[level] = clusters(Math.pow(2, level));
    return levels[level];
  }

  /** SVG units per screen pixel. */
  function unit() {
    return W / view.k / (svg.getBoundingClientRect().width || W);
  }

  function drawPlaces() {
    var k = view.k;
    var at = groupsAt(k);
    var u = unit();
    var out = [];
    var single = {};
    var grouped = [];
    var alone = [];
    at.groups.forEach(function (g) {
      var q = data.p[g.members[0]];
      var r = radius(g.sum, at.max);
      var x = (g.x / k).toFixed(2);
      var y = (g.y / k).toFixed(2);
      var rr = (r / k).toFixed(2);
      if (g.members.length > 1) {
        var title = data.group.replace('{n}', g.members.length).replace('{name}', q[3]) + data.colon + ' ' + count(g.sum);
        var text = number(g.sum);
        // The count, when it fits inside its disc: 10 pixels, whatever the zoom.
        var label = text.length * 6 + 2 <= (2 * r) / k / u
          ? '<text class="count" x="' + x + '" y="' + y + '" style="font-size:' + (10 * u).toFixed(2) + 'px;stroke-width:' + (3 * u).toFixed(2) + 'px">' + esc(text) + '</text>'
          : '';
        grouped.push('<a href="' + esc(q[4]) + '" tabindex="-1"><title>' + esc(title) + '</title><circle class="place group" cx="' + x + '" cy="' + y + '" r="' + rr + '"/>' + label + '</a>');
        return;
      }
      single[g.members[0]] = r;
      var marks = q[5];
      var t = q[3] + data.colon + ' ' + count(q[2]);
      var spread = '';
      if (marks & 2) {
        t += data.approximate;
        spread = '<circle class="halo" style="fill:var(--link);fill-opacity:0.22;stroke:none" cx="' + x + '" cy="' + y + '" r="' + ((r + 12) / k).toFixed(2) + '"/>';
      } else if (marks & 4) {
        t += data.area;
        spread = '<circle class="area" style="fill:none;stroke:var(--link);stroke-width:' + (1.2 / k).toFixed(3) + ';stroke-dasharray:' + 4 / k + ' ' + 3 / k + '" cx="' + x + '" cy="' + y + '" r="' + ((r + 7) / k).toFixed(2) + '"/>';
      }
      var cls = q[2] === 0 ? 'place empty' : marks & 1 ? 'place uncertain' : 'place';
      var style = marks & 1 && q[2] > 0 ? ' style="fill:var(--bg);fill-opacity:1;stroke-dasharray:' + 3 / k + ' ' + 2 / k + '"' : '';
      alone.push('<a href="' + esc(q[4]) + '" tabindex="-1"><title>' + esc(t) + '</title>' + spread + '<circle class="' + cls + '"' + style + ' cx="' + x + '" cy="' + y + '" r="' + rr + '"/></a>');
    });
    out.push('<g class="grouped">' + grouped.join('') + '</g>', alone.join(''));
    layer.innerHTML = out.join('');
    placeLabels(single);
    announce(at.groups.length);
  }

  /** Says the zoom and how many discs it shows, once the view has settled. */
  var status = tools.querySelector('[data-status]');
  var announced = null;
  function announce(n) {
    if (!status) return;
    clearTimeout(announced);
    announced = setTimeout(function () {
      var k = Math.round(view.k * 10) / 10;
      status.textContent = status.dataset.status.replace('{k}', String(k).replace('.', data.sep === ',' ? '.' : ',')).replace('{n}', number(n));
    }, 500);
  }

  /** The names beside the discs (maps of a few places): moved with the view, hidden
   * when their place is in a group or out of view. */
  function placeLabels(single) {
    if (!labels.length) return;
    if (!data.byName) {
      data.byName = {};
      data.p.forEach(function (q, i) {
        if (!(q[3] in data.byName)) data.byName[q[3]] = i;
      });
    }
    var k = view.k;
    Array.prototype.forEach.call(labels, function (s) {
      var i = data.byName[s.textContent];
      var r = single[i];
      if (i === undefined || r === undefined) {
        s.hidden = true;
        return;
      }
      var q = data.p[i];
      var x = q[0];
      var y = q[1];
      var side = s.className;
      if (side === 'r') x += (r + 3) / k;
      else if (side === 'l') x -= (r + 3) / k;
      else if (side === 't') y -= (r + 2) / k;
      else y += (r + 2) / k;
      var left = ((x - view.x) * k * 100) / W;
      var top = ((y - view.y) * k * 100) / H;
      s.hidden = left < 0 || left > 100 || top < 0 || top > 100;
      s.style.left = left.toFixed(2) + '%';
      s.style.top = top.toFixed(2) + '%';
    });
  }

  function load() {
    if (!loading) {
      loading = fetch('points.json')
        .then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        })
        .then(function (d) {
          data = d;
          figure.classList.add('regrouped');
          draw();
        })
        .catch(function () {
          // The map keeps its groups of the build, drawn larger as it zooms.
          loading = Promise.resolve();
        });
    }
  }

  function draw() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () {
      queued = false;
      svg.setAttribute('viewBox', [view.x, view.y, W / view.k, H / view.k].map(function (v) {
        return +v.toFixed(3);
      }).join(' '));
      svg.style.setProperty('--map-k', 1 / view.k);
      if (data) drawPlaces();
    });
  }

  /** Keeps the view inside the map. */
  function clamp() {
    view.x = Math.min(Math.max(view.x, 0), W - W / view.k);
    view.y = Math.min(Math.max(view.y, 0), H - H / view.k);
  }

  /** Zooms by `f` keeping the point at (`px`, `py`) screen pixels from the map's top
   * left corner where it is. */
  function zoomAt(f, px, py) {
    var u = unit();
    var k = Math.min(Math.max(view.k * f, 1), MAX_ZOOM);
    var ux = view.x + px * u;
    var uy = view.y + py * u;
    view.x = ux - (px * u * view.k) / k;
    view.y = uy - (py * u * view.k) / k;
    view.k = k;
    clamp();
    if (k > 1) load();
    draw();
  }

  function zoomCentre(f) {
    var b = svg.getBoundingClientRect();
    zoomAt(f, b.width / 2, b.height / 2);
  }

  function pan(dx, dy) {
    var u = unit();
    view.x -= dx * u;
    view.y -= dy * u;
    clamp();
    draw();
  }

  function reset() {
    view = { k: 1, x: 0, y: 0 };
    draw();
  }

  tools.addEventListener('click', function (e) {
    var b = e.target.closest('button[data-zoom]');
    if (!b) return;
    var z = b.dataset.zoom;
    if (z === 'in') zoomCentre(2);
    else if (z === 'out') zoomCentre(0.5);
    else reset();
  });

  svg.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var b = svg.getBoundingClientRect();
    var step = { ArrowLeft: [1, 0], ArrowRight: [-1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[e.key];
    if (e.key === '+' || e.key === '=') zoomCentre(2);
    else if (e.key === '-' || e.key === '_') zoomCentre(0.5);
    else if (e.key === '0') reset();
    else if (step) pan((step[0] * b.width) / 5, (step[1] * b.height) / 5);
    else return;
    e.preventDefault();
  });

  svg.addEventListener(
    'wheel',
    function (e) {
      e.preventDefault();
      var b = svg.getBoundingClientRect();
      var d = e.deltaY * (e.deltaMode === 1 ? 20 : e.deltaMode === 2 ? 400 : 1);
      zoomAt(Math.exp(-d * 0.002), e.clientX - b.left, e.clientY - b.top);
    },
    { passive: false },
  );

  // Dragging pans, two fingers zoom. The pointer is captured only once it has moved,
  // so that a click still opens the place under it, and the click after a drag does not.
  var pointers = {};
  var dragged = false;
  function positions() {
    return Object.keys(pointers).map(function (id) {
      return pointers[id];
    });
  }
  svg.addEventListener('pointerdown', function (e) {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY, start: [e.clientX, e.clientY] };
    dragged = false;
  });
  svg.addEventListener('pointermove', function (e) {
    var p = pointers[e.pointerId];
    if (!p) return;
    var before = positions();
    if (!dragged && Math.abs(e.clientX - p.start[0]) + Math.abs(e.clientY - p.start[1]) < 5) return;
    if (!svg.hasPointerCapture(e.pointerId)) svg.setPointerCapture(e.pointerId);
    dragged = true;
    var old = { x: p.x, y: p.y };
    p.x = e.clientX;
    p.y = e.clientY;
    if (before.length === 1) {
      pan(p.x - old.x, p.y - old.y);
    } else if (before.length === 2) {
      var other = before[0] === p ? before[1] : before[0];
      var d0 = Math.hypot(old.x - other.x, old.y - other.y);
      var d1 = Math.hypot(p.x - other.x, p.y - other.y);
      var b = svg.getBoundingClientRect();
      if (d0 > 0) zoomAt(d1 / d0, (p.x + other.x) / 2 - b.left, (p.y + other.y) / 2 - b.top);
      pan((p.x - old.x) / 2, (p.y - old.y) / 2);
    }
  });
  function up(e) {
    delete pointers[e.pointerId];
  }
  svg.addEventListener('pointerup', up);
  svg.addEventListener('pointercancel', up);
  svg.addEventListener(
    'click',
    function (e) {
      if (dragged) {
        e.preventDefault();
        e.stopPropagation();
        dragged = false;
      }
    },
    true,
  );
})();
