/* frontlines: draws places coloured by controller, with status shapes, legend, tooltips and source popups.
 * Text from the data is only ever set with textContent or as attribute values, never as HTML, and only
 * http(s) links are made, so nothing in a table can run as code in the page. */
(function (global) {
  "use strict";
  if (global.frontlines) { return; }

  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\/[^\s<>"']+$/i.test(url) ? url : null;
  }

  /* A date kept at its precision: days since 1970 and 0 (day), 1 (month) or 2 (year). */
  function formatDay(day, precision) {
    return new Date(day * 86400000).toISOString().slice(0, [10, 7, 4][precision]);
  }

  function radius(data, i) { return data.places.radius[i]; }

  function actorName(data, code) { return code >= 0 ? data.actors[code].name : "unknown"; }

  function colour(data, code) { return code >= 0 ? data.actors[code].colour : data.unknownColour; }

  /* Whether place i is drawn as one plain circle (so a restyle can reuse its marker). */
  function isPlain(data, i) {
    return data.statuses[data.places.status[i]] !== "divided" && data.places.besieger[i] < 0;
  }

  /* Style of the circle of place i: fill in the controller's colour (pale when claimed or disputed), a dashed
   * outline in the attacker's colour when contested, a hollow grey circle when unknown. */
  function circleStyle(data, i, renderer) {
    var p = data.places, ctrl = p.controller[i], unknown = ctrl < 0, contested = p.attacker[i] >= 0;
    var confirmed = data.confidences[p.confidence[i]] === "confirmed";
    return {
      renderer: renderer, radius: radius(data, i),
      fillColor: unknown ? "#ffffff" : colour(data, ctrl),
      fillOpacity: unknown ? 0.6 : (confirmed ? 0.9 : 0.35),
      color: contested ? colour(data, p.attacker[i]) : (unknown ? data.unknownColour : "#333333"),
      weight: contested ? 3 : 1, dashArray: contested ? "3 2" : null, opacity: 1
    };
  }

  /* The outer ring of a besieged place i, in the besieger's colour. */
  function ringStyle(data, i, renderer) {
    return {renderer: renderer, radius: radius(data, i) + 4, fill: false, weight: 2.5,
      color: colour(data, data.places.besieger[i]), opacity: 0.95, dashArray: "2 3", interactive: false};
  }

  /* The marker for place i: a circle (held), a split circle (divided), a dashed outline in the attacker's
   * colour (contested), an outer ring in the besieger's colour (besieged), a hollow grey circle (unknown).
   * Claimed or disputed control is drawn with a pale fill. */
  function marker(data, i, renderer) {
    var p = data.places, r = radius(data, i), ctrl = p.controller[i], status = data.statuses[p.status[i]];
    var latlng = [p.lat[i], p.lon[i]];
    var confirmed = data.confidences[p.confidence[i]] === "confirmed";
    var layers = [];
    if (p.besieger[i] >= 0) {
      layers.push(L.circleMarker(latlng, ringStyle(data, i, renderer)));
    }
    if (status === "divided") {
      layers.push(L.marker(latlng, {icon: splitIcon(colour(data, ctrl), colour(data, p.other[i]), r, confirmed),
        keyboard: false}));
    } else {
      layers.push(L.circleMarker(latlng, circleStyle(data, i, renderer)));
    }
    var layer = layers.length === 1 ? layers[0] : L.featureGroup(layers);
    layer.bindTooltip(function () { return tooltip(data, i); }, {sticky: true});
    layer.bindPopup(function () { return popup(data, i); }, {maxWidth: 420, maxHeight: 360});
    layer.frontlinesPlace = i;
    return layer;
  }

  function splitIcon(left, right, r, confirmed) {
    var size = 2 * r + 4, c = size / 2;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", size); svg.setAttribute("height", size);
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);
    var halves = [[left, 0], [right, 1]];
    for (var h = 0; h < 2; h++) {
      var path = document.createElementNS(SVG, "path");
      var sweep = halves[h][1];
      path.setAttribute("d", "M" + c + " " + (c - r) + " A" + r + " " + r + " 0 0 " + (sweep ? 1 : 0) + " " +
        c + " " + (c + r) + " Z");
      path.setAttribute("fill", halves[h][0]);
      path.setAttribute("fill-opacity", confirmed ? "0.95" : "0.45");
      svg.appendChild(path);
    }
    var ring = document.createElementNS(SVG, "circle");
    ring.setAttribute("cx", c); ring.setAttribute("cy", c); ring.setAttribute("r", r);
    ring.setAttribute("fill", "none"); ring.setAttribute("stroke", "#333333"); ring.setAttribute("stroke-width", "1.2");
    svg.appendChild(ring);
    var holder = document.createElement("div");
    holder.appendChild(svg);
    return L.divIcon({html: holder, className: "frontlines-split", iconSize: [size, size],
      iconAnchor: [c, c]});
  }

  function stateWords(data, i) {
    var p = data.places, status = data.statuses[p.status[i]];
    var words = actorName(data, p.controller[i]);
    if (status === "divided") { words += " and " + actorName(data, p.other[i]) + " (divided)"; }
    if (p.attacker[i] >= 0) { words += ", contested by " + actorName(data, p.attacker[i]); }
    if (p.besieger[i] >= 0) { words += ", besieged by " + actorName(data, p.besieger[i]); }
    var confidence = data.confidences[p.confidence[i]];
    if (confidence && confidence !== "confirmed") { words += " [" + confidence + "]"; }
    return words;
  }

  function tooltip(data, i) {
    var p = data.places, box = el("div", "frontlines-tooltip");
    box.appendChild(el("strong", null, p.name[i]));
    box.appendChild(el("div", null, stateWords(data, i)));
    if (p.since[i]) { box.appendChild(el("div", "frontlines-muted", "since " + p.since[i])); }
    return box;
  }

  function popup(data, i) {
    var p = data.places, ev = data.events, box = el("div", "frontlines-popup");
    box.appendChild(el("h4", null, p.name[i]));
    box.appendChild(el("div", null, stateWords(data, i) + (p.since[i] ? " since " + p.since[i] : "")));
    var from = data.eventOffsets[i], to = data.eventOffsets[i + 1];
    if (data.eventsHidden[i] > 0) {
      box.appendChild(el("div", "frontlines-muted", data.eventsHidden[i] + " earlier events not shown"));
    }
    // On a timeline (data.day set) only the events up to the shown date are listed.
    while (data.day !== undefined && to > from && ev.day[to - 1] > data.day) { to--; }
    if (from === to) { box.appendChild(el("div", "frontlines-muted", "No events up to this date.")); }
    var list = el("ol", "frontlines-events");
    for (var k = from; k < to; k++) {
      var item = el("li");
      item.appendChild(el("span", "frontlines-date", formatDay(ev.day[k], ev.precision[k])));
      item.appendChild(document.createTextNode(" " + data.kinds[ev.kind[k]] + " · " + actorName(data, ev.actor[k])));
      var confidence = data.confidences[ev.confidence[k]];
      if (confidence !== "confirmed") { item.appendChild(el("em", null, " (" + confidence + ")")); }
      var source = data.sources[ev.source[k]], url = safeUrl(data.urls[ev.url[k]]);
      var cite = el("div", "frontlines-source");
      if (url) {
        var link = el("a", null, source || url);
        link.href = url; link.target = "_blank"; link.rel = "noopener noreferrer";
        cite.appendChild(link);
      } else {
        cite.textContent = source;
      }
      item.appendChild(cite);
      var note = data.notes[ev.note[k]];
      if (note) { item.appendChild(el("div", "frontlines-note", note)); }
      list.appendChild(item);
    }
    box.appendChild(list);
    return box;
  }

  function swatch(fill, stroke, dashed, split) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16");
    var circle = document.createElementNS(SVG, "circle");
    circle.setAttribute("cx", "8"); circle.setAttribute("cy", "8"); circle.setAttribute("r", "5.5");
    circle.setAttribute("fill", fill); circle.setAttribute("stroke", stroke);
    circle.setAttribute("stroke-width", dashed ? "2" : "1");
    if (dashed) { circle.setAttribute("stroke-dasharray", dashed); }
    svg.appendChild(circle);
    if (split) {
      var half = document.createElementNS(SVG, "path");
      half.setAttribute("d", "M8 2.5 A5.5 5.5 0 0 1 8 13.5 Z");
      half.setAttribute("fill", split);
      svg.appendChild(half);
    }
    return svg;
  }

  /* Legend: each actor's colour and the number of places it controls, then the status shapes. */
  function legend(map, data) {
    var control = L.control({position: "bottomright"});
    control.onAdd = function () {
      var box = el("div", "frontlines-legend leaflet-bar");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      control.box = box;
      control.update(data);
      return box;
    };
    control.update = function (d) {
      var box = control.box, counts = {}, order = [];
      while (box.firstChild) { box.removeChild(box.firstChild); }
      box.appendChild(el("div", "frontlines-legend-title", "Places controlled"));
      for (var i = 0; i < d.places.controller.length; i++) {
        var c = d.places.controller[i];
        if (counts[c] === undefined) { counts[c] = 0; order.push(c); }
        counts[c] += 1;
      }
      order.sort(function (a, b) { return counts[b] - counts[a] || a - b; });
      var table = el("table");
      order.forEach(function (c) {
        var row = el("tr", "frontlines-legend-row");
        row.setAttribute("data-actor", actorName(d, c));
        var cell = el("td");
        cell.appendChild(c >= 0 ? swatch(colour(d, c), "#333333") : swatch("#ffffff", d.unknownColour));
        row.appendChild(cell);
        row.appendChild(el("td", null, actorName(d, c)));
        row.appendChild(el("td", "frontlines-count", counts[c]));
        table.appendChild(row);
      });
      box.appendChild(table);
      var key = el("div", "frontlines-key");
      [["held", swatch("#999999", "#333333")], ["divided", swatch("#ffffff", "#333333", null, "#999999")],
       ["contested (dashed, attacker's colour)", swatch("#999999", "#333333", "3 2")],
       ["besieged (ring, besieger's colour)", swatch("none", "#333333", "1.5 2")],
       ["claimed or disputed (pale)", swatch("#dddddd", "#333333")],
       ["unknown", swatch("#ffffff", d.unknownColour)]].forEach(function (item) {
        var line = el("div", "frontlines-key-row");
        line.appendChild(item[1]);
        line.appendChild(el("span", null, " " + item[0]));
        key.appendChild(line);
      });
      box.appendChild(key);
      control.counts = counts;
    };
    control.addTo(map);
    return control;
  }

  function title(map, text, subtitle) {
    var control = L.control({position: "topright"});
    control.onAdd = function () {
      var box = el("div", "frontlines-title leaflet-bar");
      box.appendChild(el("div", "frontlines-title-main", text));
      if (subtitle) { box.appendChild(el("div", "frontlines-muted", subtitle)); }
      return box;
    };
    control.addTo(map);
    return control;
  }

  /* Many places (data.canvasFrom or more): one canvas drawn in a few batched paths per redraw, with its own
   * hit-testing for tooltips and popups, instead of a Leaflet object per place. The actor layer groups stay
   * (empty) so the layer control still shows and hides actors: a hidden group's places are not drawn. */
  var PlaceCanvas = L.Layer.extend({
    initialize: function (data, groups) {
      var p = data.places, n = p.name.length;
      this._data = data; this._groups = groups;
      // Web Mercator of every place once, as fractions of the world (zoom-independent).
      this._mx = new Float64Array(n); this._my = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        var lat = Math.max(Math.min(p.lat[i], 85.0511), -85.0511) * Math.PI / 180;
        this._mx[i] = (p.lon[i] + 180) / 360;
        this._my[i] = (1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2;
      }
      this._sx = new Float32Array(n); this._sy = new Float32Array(n); this._shown = new Uint8Array(n);
      this._batches = this._makeBatches();
    },
    /* Places grouped by what is drawn for them, so each batch is one path filled or stroked once. */
    _makeBatches: function () {
      var data = this._data, p = data.places, n = p.name.length, batches = {}, order = [];
      function add(key, i, style) {
        if (!batches[key]) { batches[key] = {style: style, places: []}; order.push(key); }
        batches[key].places.push(i);
      }
      // The same styles as the markers (circleStyle, ringStyle), batched by what they draw.
      function outline(style, ring) {
        return {stroke: style.color, width: style.weight, ring: ring,
          dash: style.dashArray ? style.dashArray.split(" ").map(Number) : null};
      }
      for (var i = 0; i < n; i++) {
        var style = circleStyle(data, i), alpha = style.fillOpacity;
        if (data.statuses[p.status[i]] === "divided") {
          var other = colour(data, p.other[i]);
          add("L" + style.fillColor + alpha, i, {fill: style.fillColor, alpha: alpha, half: -1});
          add("R" + other + alpha, i, {fill: other, alpha: alpha, half: 1});
        } else {
          add("F" + style.fillColor + alpha, i, {fill: style.fillColor, alpha: alpha});
        }
        add("O" + style.color + style.weight + style.dashArray, i, outline(style, 0));
        if (p.besieger[i] >= 0) {
          var ring = ringStyle(data, i);
          add("B" + ring.color, i, outline(ring, ring.radius - radius(data, i)));
        }
      }
      return order.map(function (key) { return batches[key]; });
    },
    onAdd: function (map) {
      if (!map.getPane("frontlinesPlaces")) { map.createPane("frontlinesPlaces").style.zIndex = 450; }
      this._canvas = L.DomUtil.create("canvas", "frontlines-canvas", map.getPane("frontlinesPlaces"));
      this._canvas.style.pointerEvents = "none";
      map.on("moveend zoomend resize viewreset overlayadd overlayremove", this._redraw, this);
      map.on("zoomstart", this._hide, this);
      map.on("mousemove", this._hover, this);
      map.on("click", this._click, this);
      this._redraw();
    },
    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      map.off("moveend zoomend resize viewreset overlayadd overlayremove", this._redraw, this);
      map.off("zoomstart", this._hide, this);
      map.off("mousemove", this._hover, this);
      map.off("click", this._click, this);
    },
    _hide: function () { this._canvas.style.visibility = "hidden"; },
    _visible: function (code) {
      var g = this._groups[code >= 0 ? code : this._groups.length - 1];
      return !g || this._map.hasLayer(g);
    },
    _redraw: function () {
      var map = this._map, data = this._data, p = data.places, n = p.name.length;
      var size = map.getSize(), ratio = window.devicePixelRatio || 1, canvas = this._canvas;
      var topLeft = map.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(canvas, topLeft);
      canvas.width = size.x * ratio; canvas.height = size.y * ratio;
      canvas.style.width = size.x + "px"; canvas.style.height = size.y + "px";
      canvas.style.visibility = "visible";
      var scale = 256 * Math.pow(2, map.getZoom()), origin = map.getPixelOrigin();
      var dx = origin.x + topLeft.x, dy = origin.y + topLeft.y, visible = {};
      for (var i = 0; i < n; i++) {
        var c = p.controller[i];
        if (visible[c] === undefined) { visible[c] = this._visible(c); }
        var x = this._mx[i] * scale - dx, y = this._my[i] * scale - dy, r = p.radius[i] + 5;
        this._sx[i] = x; this._sy[i] = y;
        this._shown[i] = visible[c] && x > -r && y > -r && x < size.x + r && y < size.y + r ? 1 : 0;
      }
      var ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      for (var b = 0; b < this._batches.length; b++) { this._drawBatch(ctx, this._batches[b]); }
    },
    _drawBatch: function (ctx, batch) {
      var style = batch.style, list = batch.places, p = this._data.places;
      ctx.beginPath();
      for (var k = 0; k < list.length; k++) {
        var i = list[k];
        if (!this._shown[i]) { continue; }
        var x = this._sx[i], y = this._sy[i], r = p.radius[i] + (style.ring || 0);
        if (style.half) {  // the left (-1) or right (1) half of a divided place
          ctx.moveTo(x, y - r);
          ctx.arc(x, y, r, -Math.PI / 2, Math.PI / 2, style.half < 0);
          ctx.closePath();
        } else {
          ctx.moveTo(x + r, y);
          ctx.arc(x, y, r, 0, 2 * Math.PI);
        }
      }
      if (style.fill) {
        ctx.globalAlpha = style.alpha; ctx.fillStyle = style.fill; ctx.fill(); ctx.globalAlpha = 1;
      } else {
        ctx.setLineDash(style.dash || []); ctx.lineWidth = style.width; ctx.strokeStyle = style.stroke;
        ctx.stroke(); ctx.setLineDash([]);
      }
    },
    /* The drawn place under a container point (the nearest within its radius and 3 pixels), or -1. */
    placeAt: function (point) {
      var p = this._data.places, best = -1, bestD = Infinity, n = p.name.length;
      for (var i = 0; i < n; i++) {
        if (!this._shown[i]) { continue; }
        var ddx = this._sx[i] - point.x, ddy = this._sy[i] - point.y, d = ddx * ddx + ddy * ddy, r = p.radius[i] + 3;
        if (d <= r * r && d < bestD) { best = i; bestD = d; }
      }
      return best;
    },
    _latlng: function (i) { return L.latLng(this._data.places.lat[i], this._data.places.lon[i]); },
    _hover: function (e) {
      var i = this.placeAt(e.containerPoint), map = this._map;
      map.getContainer().style.cursor = i >= 0 ? "pointer" : "";
      if (i === this._hovered) { return; }
      this._hovered = i;
      if (this._tooltip) { map.closeTooltip(this._tooltip); this._tooltip = null; }
      if (i >= 0) {
        this._tooltip = L.tooltip({direction: "top", offset: [0, -6]}).setLatLng(this._latlng(i))
          .setContent(tooltip(this._data, i));
        map.openTooltip(this._tooltip);
      }
    },
    _click: function (e) {
      var i = this.placeAt(e.containerPoint);
      if (i >= 0) {
        this._map.openPopup(L.popup({maxWidth: 420, maxHeight: 360}).setLatLng(this._latlng(i))
          .setContent(popup(this._data, i)));
      }
    }
  });

  /* Add every place to the layer group of its controller (groups[code], unknown last); past data.canvasFrom
   * places, draw them all on one canvas instead. */
  function placeLayer(map, groups, data) {
    if (data.canvasFrom !== undefined && data.places.name.length >= data.canvasFrom) {
      var canvasLayer = new PlaceCanvas(data, groups).addTo(map);
      var fast = {canvas: canvasLayer, markers: [], legend: legend(map, data), data: data};
      registry.push(fast);
      return fast;
    }
    var renderer = L.canvas({padding: 0.3});
    var n = data.places.name.length, markers = new Array(n);
    for (var i = 0; i < n; i++) {
      var c = data.places.controller[i];
      markers[i] = marker(data, i, renderer);
      (c >= 0 ? groups[c] : groups[groups.length - 1]).addLayer(markers[i]);
    }
    var layer = {markers: markers, legend: legend(map, data), data: data};
    registry.push(layer);
    return layer;
  }

  var registry = [];

  global.frontlines = {layers: registry, placeLayer: placeLayer, PlaceCanvas: PlaceCanvas, isPlain: isPlain, circleStyle: circleStyle, legend: legend, title: title, marker: marker,
    popup: popup, tooltip: tooltip, safeUrl: safeUrl, formatDay: formatDay};
})(window);
