/* frontlines timeline: a Leaflet control that plays control through time.
 * The page holds each place once and, per place, the records of its state changes. For a date the state of
 * a place is found by binary search in its records; moving from one date to another restyles only the places
 * with a record between the two dates. Needs frontlines.js. */
(function (global) {
  "use strict";
  var fl = global.frontlines;
  if (!fl || fl.timeline) { return; }
  var FIELDS = ["controller", "other", "attacker", "besieger", "status", "confidence", "since"];

  /* Index of the last value <= x in the sorted array a within [lo, hi), or lo - 1 if none. */
  function lastAtMost(a, x, lo, hi) {
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (a[mid] <= x) { lo = mid + 1; } else { hi = mid; }
    }
    return lo - 1;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function dayLabel(day, precision) { return fl.formatDay(day, precision); }

  function parseHash(hash) {
    var m = /^#(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(hash || "");
    if (!m) { return null; }
    var t = Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1);
    return isNaN(t) ? null : Math.floor(t / 86400000);
  }

  function timeline(map, groups, data, options) {
    var ch = data.changes, n = data.places.name.length;
    var frames = data.frames.days, renderer = L.canvas({padding: 0.3});
    var unknownGroup = groups[groups.length - 1];
    var current = new Int32Array(n).fill(-1), markers = new Array(n), holder = new Array(n);
    var cells = new Array(n);
    var self = {frame: -1, day: null, playing: false, stepTimes: [], data: data, markers: markers, cells: cells};
    FIELDS.forEach(function (f) { data.places[f] = new Array(n); });

    // Territory cells (optional): shaded in the place's controller's colour, restyled with the place.
    if (data.cells) {
      L.geoJSON(data.cells, {
        renderer: renderer, interactive: false,
        style: function () { return {weight: 0, fillOpacity: 0}; },
        onEachFeature: function (feature, layer) { cells[feature.properties.i] = layer; }
      }).addTo(map);
    }
    function shadeCell(i) {
      if (!cells[i]) { return; }
      var c = data.places.controller[i];
      cells[i].setStyle({fillColor: c >= 0 ? data.actors[c].colour : "#ffffff", fillOpacity: c >= 0 ? 0.22 : 0});
    }

    function apply(i, r) {
      var wasPlain = markers[i] && fl.isPlain(data, i);
      FIELDS.forEach(function (f) { data.places[f][i] = ch[f][r]; });
      current[i] = r;
      shadeCell(i);
      var c = data.places.controller[i], group = c >= 0 ? groups[c] : unknownGroup;
      if (wasPlain && fl.isPlain(data, i)) {
        // Restyle the circle in place; move it only if its controller's layer changed.
        markers[i].setStyle(fl.circleStyle(data, i, renderer));
        if (group !== holder[i]) { holder[i].removeLayer(markers[i]); group.addLayer(markers[i]); holder[i] = group; }
        return;
      }
      if (markers[i]) { holder[i].removeLayer(markers[i]); }
      holder[i] = group;
      markers[i] = fl.marker(data, i, renderer);
      group.addLayer(markers[i]);
    }

    function stateAt(i, day) {
      return lastAtMost(ch.day, day, ch.offsets[i], ch.offsets[i + 1]);
    }

    function setDay(day) {
      var t0 = performance.now(), i;
      if (self.day === null) {
        for (i = 0; i < n; i++) { apply(i, Math.max(stateAt(i, day), ch.offsets[i])); }
      } else if (day !== self.day) {
        // Only places with a record between the old and the new date can have changed.
        var lo = Math.min(day, self.day), hi = Math.max(day, self.day);
        var a = lastAtMost(ch.sortedDays, lo, 0, ch.sortedDays.length) + 1;
        var b = lastAtMost(ch.sortedDays, hi, 0, ch.sortedDays.length) + 1;
        var seen = {};
        for (var k = a; k < b; k++) {
          i = ch.place[ch.byDay[k]];
          if (seen[i]) { continue; }
          seen[i] = true;
          var r = Math.max(stateAt(i, day), ch.offsets[i]);
          if (r !== current[i]) { apply(i, r); }
        }
      }
      self.day = day;
      data.day = day;
      self.legend.update(data);
      self.stepTimes.push(performance.now() - t0);
    }

    function setFrame(f) {
      f = Math.max(0, Math.min(frames.length - 1, f));
      self.frame = f;
      setDay(frames[f]);
      var label = dayLabel(frames[f], data.frames.precision);
      self.label.textContent = label;
      self.slider.value = String(f);
      self.title.textContent = "Control on " + label;
      if (global.history && global.history.replaceState) {
        global.history.replaceState(null, "", "#" + label);
      }
    }

    var timer = null;
    function play() {
      if (timer) { return; }
      self.playing = true;
      self.playButton.textContent = "||";
      self.playButton.title = "Pause (space)";
      timer = global.setInterval(function () {
        if (self.frame >= frames.length - 1) { pause(); return; }
        setFrame(self.frame + 1);
      }, 1000 / (options.fps * Number(self.speed.value)));
    }
    function pause() {
      if (timer) { global.clearInterval(timer); }
      timer = null;
      self.playing = false;
      self.playButton.textContent = "\u25B6";
      self.playButton.title = "Play (space)";
    }

    var control = L.control({position: "bottomleft"});
    control.onAdd = function () {
      var box = el("div", "frontlines-timeline leaflet-bar");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      var back = el("button", null, "\u2039"), forward = el("button", null, "\u203A");
      back.type = forward.type = "button";
      back.title = "Step back (\u2190)"; forward.title = "Step forward (\u2192)";
      self.playButton = el("button", "frontlines-play", "\u25B6");
      self.playButton.type = "button";
      self.slider = el("input", "frontlines-slider");
      self.slider.type = "range"; self.slider.min = "0"; self.slider.max = String(frames.length - 1);
      self.slider.step = "1"; self.slider.setAttribute("aria-label", "Date");
      self.speed = el("select", "frontlines-speed");
      [["0.5", "\u00BD\u00D7"], ["1", "1\u00D7"], ["2", "2\u00D7"], ["4", "4\u00D7"], ["8", "8\u00D7"]]
        .forEach(function (s) {
          var o = el("option", null, s[1]); o.value = s[0]; if (s[0] === "1") { o.selected = true; }
          self.speed.appendChild(o);
        });
      self.speed.title = "Speed";
      self.label = el("span", "frontlines-timeline-label");
      back.onclick = function () { pause(); setFrame(self.frame - 1); };
      forward.onclick = function () { pause(); setFrame(self.frame + 1); };
      self.playButton.onclick = function () { if (self.playing) { pause(); } else { play(); } };
      self.slider.oninput = function () { setFrame(Number(self.slider.value)); };
      self.speed.onchange = function () { if (self.playing) { pause(); play(); } };
      [back, self.playButton, forward, self.slider, self.label, self.speed].forEach(function (c) {
        box.appendChild(c);
      });
      return box;
    };
    control.addTo(map);
    var titleBox = fl.title(map, "Control on", data.subtitle);
    self.title = titleBox.getContainer().querySelector(".frontlines-title-main");
    self.legend = fl.legend(map, data);

    global.document.addEventListener("keydown", function (e) {
      var tag = e.target && e.target.tagName;
      if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") { return; }
      if (e.key === "ArrowLeft") { pause(); setFrame(self.frame - 1); e.preventDefault(); }
      else if (e.key === "ArrowRight") { pause(); setFrame(self.frame + 1); e.preventDefault(); }
      else if (e.key === " ") { if (self.playing) { pause(); } else { play(); } e.preventDefault(); }
    });
    global.addEventListener("hashchange", function () {
      var day = parseHash(global.location.hash);
      if (day !== null && day !== self.day) { setFrame(Math.max(0, lastAtMost(frames, day, 0, frames.length))); }
    });

    var fromHash = parseHash(global.location.hash);
    setFrame(fromHash === null ? options.startFrame : Math.max(0, lastAtMost(frames, fromHash, 0, frames.length)));
    self.setFrame = setFrame; self.setDay = setDay; self.play = play; self.pause = pause;
    fl.timelines.push(self);
    return self;
  }

  fl.timelines = [];
  fl.timeline = timeline;
})(window);
