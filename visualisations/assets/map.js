// The map page: draws the network from the JSON in #map-data, then offers search (every match, in
// turn), details on click (dimming everything but the clicked node's neighbours), labels kept apart,
// relationship types when zoomed in, exports of the whole map or the focus, PNG and SVG pictures for a
// report, and saved views. Every name is set with textContent, drawn on a canvas or set as SVG text,
// never parsed as HTML.
(function () {
  "use strict";
  var MAP = JSON.parse(document.getElementById("map-data").textContent);
  var container = document.getElementById("network");
  var statusBox = document.getElementById("status");
  var decoded = decode(MAP);
  var nodes = new vis.DataSet(decoded.nodes);
  var edges = new vis.DataSet(decoded.edges);
  var nodeIds = nodes.getIds();
  var edgeIds = edges.getIds();
  var original = {nodes: {}, edges: {}};
  nodes.forEach(function (n) { original.nodes[n.id] = {color: n.color, font: n.font}; });
  edges.forEach(function (e) { original.edges[e.id] = e.color; });
  var DIM_NODE = {background: "rgba(215,215,215,0.35)", border: "rgba(200,200,200,0.35)"};
  var DIM_EDGE = "rgba(210,210,210,0.12)";
  var state = {ready: false, stabilisedMs: null, focus: null, dimmed: 0, lastClickMs: null,
               nodes: nodeIds.length, edges: edgeIds.length, labels: "always", hover: null, labelsDrawn: 0,
               labelTexts: [], labelBoxes: [], edgeLabelsDrawn: 0, edgeLabelTexts: [], matches: [], match: -1,
               scope: "map", moved: {}, savedApplied: false};
  var keep = null;  // the focused node and its neighbours, whose labels stay
  var illustrative = new Set(MAP.illustrative);
  var ILLUSTRATIVE_COLOUR = "#4c2c92";
  var EDGE_LABEL_SCALE = 1.2;  // relationship types show from this zoom in
  var FONT = "sans-serif";
  window.mapState = state;

  function setStatus(text) { statusBox.textContent = text; }

  // The page sends each distinct string, style and detail row once (render.py's _graph_data); expand them
  // into vis-network's nodes and edges and the lookups the rest of this script reads.
  function decode(map) {
    var S = map.strings;
    function copy(value) { return JSON.parse(JSON.stringify(value)); }
    function row(i) {
      var r = map.detailRows[i];
      return [S[r[0]], Array.isArray(r[1]) ? r[1].map(function (j) { return S[j]; }) : S[r[1]]];
    }
    map.names = {}; map.categories = {}; map.details = {}; map.labels = {};
    var ids = [];
    var out = map.nodes.map(function (n) {
      var node = copy(map.nodeStyles[n[1]]);
      node.id = n[0];
      node.size = n[2];
      node.title = n[3].map(function (j) { return S[j]; }).join("\n");
      if (n[8] !== null) { node.x = n[8]; node.y = n[9]; }
      map.names[n[0]] = S[n[4]];
      map.categories[n[0]] = S[n[5]];
      map.labels[n[0]] = S[n[6]];
      map.details[n[0]] = n[7].map(row);
      ids.push(n[0]);
      return node;
    });
    var links = map.edges.map(function (e) {
      var edge = copy(map.edgeStyles[e[3]]);
      edge.from = ids[e[0]]; edge.to = ids[e[1]]; edge.kind = S[e[2]]; edge.width = e[4]; edge.title = S[e[5]];
      return edge;
    });
    map.labelRank = map.labelRank.map(function (i) { return ids[i]; });
    map.groups = map.groups.map(function (g) { return {name: g.name, members: g.members.map(function (i) { return ids[i]; })}; });
    return {nodes: out, edges: links};
  }

  var network = new vis.Network(container, {nodes: nodes, edges: edges}, MAP.options);
  window.mapNetwork = network;

  // -- drawing: a white background (so PNG exports are not transparent) and the grid's quadrants
  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
    if (MAP.grid) { drawGrid(ctx, MAP.grid); }
  });

  network.on("afterDrawing", function (ctx) { drawOverlay(ctx); });

  // -- labels: drawn here rather than by vis-network, so they can be kept from overlapping
  function kindText(kind) {
    return String(kind).split("+").map(function (k) { return k.toLowerCase().replace(/_/g, " "); }).join(", ");
  }

  function LabelSpace() {  // rectangles already taken, bucketed so a council-size map checks few of them
    this.cells = {};
    this.size = 80;
  }
  LabelSpace.prototype.keys = function (r) {
    var out = [];
    for (var i = Math.floor(r.x / this.size); i <= Math.floor((r.x + r.w) / this.size); i++) {
      for (var j = Math.floor(r.y / this.size); j <= Math.floor((r.y + r.h) / this.size); j++) { out.push(i + "," + j); }
    }
    return out;
  };
  LabelSpace.prototype.free = function (r) {
    var cells = this.cells;
    return this.keys(r).every(function (k) {
      return !(cells[k] || []).some(function (o) {
        return r.x < o.x + o.w && o.x < r.x + r.w && r.y < o.y + o.h && o.y < r.y + r.h;
      });
    });
  };
  LabelSpace.prototype.take = function (r) {
    var cells = this.cells;
    this.keys(r).forEach(function (k) { (cells[k] = cells[k] || []).push(r); });
  };

  // Where a label of width w and height h fits beside a node at (x, y) of radius r: below, above, right, left.
  function placeLabel(space, x, y, r, w, h) {
    var spots = [[x - w / 2, y + r + 2], [x - w / 2, y - r - 2 - h], [x + r + 3, y - h / 2], [x - r - 3 - w, y - h / 2]];
    for (var i = 0; i < spots.length; i++) {
      var box = {x: spots[i][0], y: spots[i][1], w: w, h: h};
      if (space.free(box)) { space.take(box); return box; }
    }
    return null;
  }

  function labelled(id) {
    if (state.labels === "off") { return false; }
    if (state.labels === "hover") { return id === state.hover || id === state.focus; }
    return keep === null || keep.has(id);
  }

  function drawOverlay(ctx) {
    var scale = network.getScale();
    var positions = network.getPositions();
    ctx.save();
    ctx.strokeStyle = ILLUSTRATIVE_COLOUR;  // generated facts: a ring, as in the legend
    ctx.lineWidth = 2.5;
    illustrative.forEach(function (id) {
      var p = positions[id];
      if (!p) { return; }  // hidden in a group: the group is ringed
      ctx.beginPath();
      ctx.arc(p.x, p.y, nodes.get(id).size + 5, 0, 2 * Math.PI);
      ctx.stroke();
    });
    if (state.clustered) {
      clusterMarked.forEach(function (id) {
        var p = positions[id];
        if (!p) { return; }  // hidden
        ctx.beginPath();
        ctx.arc(p.x, p.y, nodes.get(id).size + 5, 0, 2 * Math.PI);
        ctx.stroke();
      });
    }
    ctx.restore();
    var canvas = ctx.canvas, ratio = canvas.width / canvas.clientWidth;
    var width = canvas.clientWidth, height = canvas.clientHeight;
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    var space = new LabelSpace(), texts = [], boxes = [];
    ctx.font = "12px " + FONT;
    (state.clustered ? clusterIds : MAP.labelRank).forEach(function (id) {
      if (!positions[id] || !labelled(id)) { return; }
      var p = network.canvasToDOM(positions[id]);
      if (p.x < -100 || p.y < -40 || p.x > width + 100 || p.y > height + 40) { return; }
      var text = state.clustered ? clusterNames[id] : MAP.labels[id], w = ctx.measureText(text).width;
      var size = nodes.get(id).size;
      var box = placeLabel(space, p.x, p.y, size * scale, w, 14);
      if (!box) { return; }
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.strokeText(text, box.x, box.y + 1);
      ctx.fillStyle = "#222222";
      ctx.fillText(text, box.x, box.y + 1);
      texts.push(text);
      boxes.push(box);
    });
    var edgeTexts = [];
    if (scale >= EDGE_LABEL_SCALE && state.labels !== "off") {  // zoomed in: say what each line is
      ctx.font = "10px " + FONT;
      edges.forEach(function (e) {
        if (keep !== null && !(keep.has(e.from) && keep.has(e.to) && (e.from === state.focus || e.to === state.focus))) { return; }
        if (!e.kind || !positions[e.from] || !positions[e.to]) { return; }  // a group's line, or a hidden node's
        var a = network.canvasToDOM(positions[e.from]), b = network.canvasToDOM(positions[e.to]);
        var x = (a.x + b.x) / 2, y = (a.y + b.y) / 2;
        if (x < 0 || y < 0 || x > width || y > height) { return; }
        var text = kindText(e.kind), w = ctx.measureText(text).width;
        var box = {x: x - w / 2, y: y - 6, w: w, h: 12};
        if (!space.free(box)) { return; }
        space.take(box);
        ctx.lineWidth = 3;
        ctx.strokeStyle = "rgba(255,255,255,0.9)";
        ctx.strokeText(text, box.x, box.y);
        ctx.fillStyle = "#555555";
        ctx.fillText(text, box.x, box.y);
        edgeTexts.push(text);
      });
    }
    ctx.restore();
    state.labelsDrawn = texts.length;
    state.labelTexts = texts;
    state.labelBoxes = boxes;
    state.edgeLabelsDrawn = edgeTexts.length;
    state.edgeLabelTexts = edgeTexts;
  }

  var labelChoice = document.getElementById("labels");
  function setLabels(mode) {
    state.labels = mode;
    labelChoice.value = mode;
    if (mode === "hover") { network.setOptions({interaction: {hover: true}}); }
    network.redraw();
  }
  labelChoice.addEventListener("change", function () { setLabels(labelChoice.value); });
  network.on("hoverNode", function (params) { state.hover = params.node; if (state.labels === "hover") { network.redraw(); } });
  network.on("blurNode", function () { state.hover = null; if (state.labels === "hover") { network.redraw(); } });
  network.on("dragEnd", function (params) {  // a node moved by hand: a saved view keeps where it was put
    params.nodes.forEach(function (id) { state.moved[id] = true; });
  });

  function drawGrid(ctx, g) {
    var xt = g.interest_threshold * g.width, yt = (1 - g.power_threshold) * g.height;
    var areas = [["keep_satisfied", 0, 0, xt, yt], ["manage_closely", xt, 0, g.width, yt],
                 ["monitor", 0, yt, xt, g.height], ["keep_informed", xt, yt, g.width, g.height]];
    ctx.save();
    areas.forEach(function (a) {
      ctx.fillStyle = g.colours[a[0]];
      ctx.fillRect(a[1], a[2], a[3] - a[1], a[4] - a[2]);
      ctx.fillStyle = "rgba(60,60,60,0.55)";
      ctx.font = "bold 22px sans-serif";
      ctx.textAlign = a[1] === 0 ? "left" : "right";
      ctx.fillText(g.quadrants[a[0]], a[1] === 0 ? a[1] + 12 : a[3] - 12, a[2] + 30);
    });
    ctx.strokeStyle = "#999999";
    ctx.lineWidth = 1;
    ctx.strokeRect(0, 0, g.width, g.height);
    ctx.fillStyle = "#333333";
    ctx.font = "16px sans-serif";
    ctx.textAlign = "center";
    ctx.fillText("Interest \u2192", g.width / 2, g.height + 28);
    ctx.translate(-24, g.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText("Power \u2192", 0, 0);
    ctx.restore();
  }

  function fitGrid() {
    var g = MAP.grid, margin = 90;
    var scale = Math.min(container.clientWidth / (g.width + 2 * margin), container.clientHeight / (g.height + 2 * margin));
    network.moveTo({position: {x: g.width / 2, y: g.height / 2}, scale: scale, animation: false});
  }

  function applySaved(saved) {
    expand();
    var moved = saved.positions || {};
    Object.keys(moved).forEach(function (id) {
      if (MAP.names[id] !== undefined) { network.moveNode(id, moved[id][0], moved[id][1]); state.moved[id] = true; }
    });
    if (saved.labels) { setLabels(saved.labels); }
    if (saved.focus && MAP.names[saved.focus] !== undefined) {
      network.selectNodes([saved.focus]);
      focusOn(saved.focus);
    }
    state.savedApplied = true;
  }

  function ready() {
    if (MAP.saved) { applySaved(MAP.saved); }
    state.ready = true;
    state.stabilisedMs = Math.round(performance.now());  // since navigation began (performance.timeOrigin)
    setStatus(state.nodes + " nodes, " + state.edges + " links; ready in " + (state.stabilisedMs / 1000).toFixed(1) + " s");
    if (MAP.bridges) { loadBridges(MAP.bridges); }
  }

  // -- the stakeholder map's bridges between partners: the service's own page, escaped there, taken in once the
  // map is ready (they take longer to compute than the map)
  state.bridges = null;
  function loadBridges(address) {
    var box = document.getElementById("bridges-list");
    fetch(address, {credentials: "same-origin"}).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.text();
    }).then(function (html) {
      var list = new DOMParser().parseFromString(html, "text/html").getElementById("bridges-list");
      box.replaceWith(document.importNode(list, true));
      state.bridges = "shown";
    }).catch(function () { state.bridges = "failed"; });  // the link to the list stays
  }

  // -- a large map's overview: one node per group (a community, the partners linked to no one) and one line per
  // pair of linked groups, so the first sight is not a hairball; zooming in (or clicking a group) shows every
  // node where the layout put it, zooming out again the groups. Anything that needs a node itself (search, a
  // focus, a saved view) shows them first. Hiding and showing are one update each, so they stay quick.
  var overviewed = MAP.large && !MAP.grid && MAP.groups.length > 1;
  var groupOf = {}, clusterIds = [], clusterNames = {}, clusterMarked = new Set(), groupLinks = [], openScale = null;
  MAP.groups.forEach(function (g, i) { g.members.forEach(function (id) { groupOf[id] = i; }); });
  state.clustered = false;

  function commonest(values) {
    var counts = {}, best = null;
    values.forEach(function (v) { counts[v] = (counts[v] || 0) + 1; if (best === null || counts[v] > counts[best]) { best = v; } });
    return best;
  }

  function buildOverview() {
    var fitted = network.getScale(), at = network.getPositions(nodeIds), added = [];
    openScale = fitted * 3;
    MAP.groups.forEach(function (g, i) {
      if (g.members.length < 2) { return; }
      var id = "group:" + i, category = commonest(g.members.map(function (m) { return MAP.categories[m]; }));
      var colour = original.nodes[g.members.find(function (m) { return MAP.categories[m] === category; })].color;
      var marked = g.members.filter(function (m) { return illustrative.has(m); }).length;
      var x = 0, y = 0;
      g.members.forEach(function (m) { x += at[m].x; y += at[m].y; });
      clusterNames[id] = g.name + " (" + g.members.length + ")";
      if (marked) { clusterMarked.add(id); }
      added.push({id: id, x: x / g.members.length, y: y / g.members.length, shape: "dot", color: colour, borderWidth: 2,
                  size: (8 + 1.5 * Math.sqrt(g.members.length)) / fitted, hidden: true, physics: false,
                  title: clusterNames[id] + ": " + category + " mostly" +
                         (marked ? "; " + marked + " illustrative examples (generated sample data)" : "") +
                         ". Click or zoom in to see each node."});
      clusterIds.push(id);
    });
    var grouped = new Set(clusterIds), pairs = {};
    function end(id) { var g = "group:" + groupOf[id]; return grouped.has(g) ? g : id; }
    edges.forEach(function (e) {
      var a = end(e.from), b = end(e.to);
      if (a === b) { return; }
      var key = a < b ? a + "|" + b : b + "|" + a;
      pairs[key] = (pairs[key] || 0) + 1;
    });
    groupLinks = Object.keys(pairs).map(function (key) {
      var ends = key.split("|");
      return {id: "group-link:" + key, from: ends[0], to: ends[1], width: 1 + Math.log2(pairs[key]), color: "#b5b5b5",  /* maps.py's GROUP_LINK */
              hidden: true, title: pairs[key] + " link" + (pairs[key] > 1 ? "s" : "")};
    });
    nodes.add(added);
    edges.add(groupLinks);
  }

  function showGroups(on) {
    var members = [];
    MAP.groups.forEach(function (g, i) {
      if (clusterIds.indexOf("group:" + i) !== -1) { members = members.concat(g.members); }
    });
    nodes.update(members.map(function (id) { return {id: id, hidden: on}; })
      .concat(clusterIds.map(function (id) { return {id: id, hidden: !on}; })));
    edges.update(groupLinks.map(function (e) { return {id: e.id, hidden: !on}; }));
    state.clustered = on;
  }

  function overview() { if (!state.clustered) { showGroups(true); } }
  function expand() { if (state.clustered) { showGroups(false); } }

  network.on("zoom", function () {
    if (!overviewed || openScale === null) { return; }
    var scale = network.getScale();
    if (state.clustered && scale >= openScale) { expand(); } else if (!state.clustered && state.focus === null && scale < openScale / 1.5) { overview(); }
  });

  // -- layout: physics only until the layout settles, then off so large maps stay responsive; a map with an
  // overview keeps the layout it came with (render.py), as its groups are what shows first
  if (MAP.grid) {
    network.once("afterDrawing", function () { fitGrid(); ready(); });
  } else if (!nodeIds.length) {
    ready();
  } else if (overviewed) {
    network.once("afterDrawing", function () {
      network.fit({animation: false});
      buildOverview();
      overview();
      ready();
    });
  } else {
    network.on("stabilizationProgress", function (p) {
      setStatus("Laying out the map: " + Math.round(100 * p.iterations / p.total) + "%");
    });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      network.fit({animation: false});
      ready();
    });
  }

  // -- details and dimming
  function showDetails(id) {
    var box = document.getElementById("details");
    box.replaceChildren();
    var heading = document.createElement("h2");
    heading.textContent = MAP.names[id];
    var category = document.createElement("p");
    category.className = "category";
    category.textContent = MAP.categories[id];
    box.append(heading, category);
    var list = document.createElement("dl");
    (MAP.details[id] || []).forEach(function (row) {
      var dt = document.createElement("dt");
      dt.textContent = row[0];
      var dd = document.createElement("dd");
      if (Array.isArray(row[1])) {
        var ul = document.createElement("ul");
        row[1].forEach(function (item) { var li = document.createElement("li"); li.textContent = item; ul.append(li); });
        dd.append(ul);
      } else {
        dd.textContent = row[1];
      }
      list.append(dt, dd);
    });
    box.append(list);
    var touching = edges.get().filter(function (e) { return e.from === id || e.to === id; });
    if (touching.length) {
      var heading2 = document.createElement("h3");
      heading2.textContent = "Relationships (" + touching.length + ")";
      var rels = document.createElement("ul");
      rels.className = "relationships";
      touching.forEach(function (e) {
        var li = document.createElement("li");
        var other = e.from === id ? e.to : e.from;
        var arrow = !MAP.directed ? "" : (e.from === id ? "\u2192 " : "\u2190 ");
        li.textContent = kindText(e.kind) + ": " + arrow + MAP.names[other];
        rels.append(li);
      });
      box.append(heading2, rels);
    }
    if (MAP.served) {
      var link = document.createElement("a");  // from a diff map, the ego view compares the same dates
      link.href = "/maps/ego/" + encodeURIComponent(id) + (MAP.egoQuery ? "?" + MAP.egoQuery : "");
      link.textContent = "Open the ego view of this node" + (MAP.egoQuery ? ": what changed" : "");
      box.append(link);
    }
  }

  function focusOn(id) {
    expand();
    keep = new Set(network.getConnectedNodes(id));
    keep.add(id);
    var touching = new Set(network.getConnectedEdges(id));
    nodes.update(nodeIds.map(function (n) {
      return keep.has(n) ? {id: n, color: original.nodes[n].color, font: {color: "#222222"}}
                         : {id: n, color: DIM_NODE, font: {color: "rgba(0,0,0,0.18)"}};
    }));
    edges.update(edgeIds.map(function (e) {
      return {id: e, color: touching.has(e) ? original.edges[e] : DIM_EDGE};
    }));
    state.focus = id;
    state.dimmed = nodeIds.length - keep.size;
    showDetails(id);
    setScope("focus");
  }

  function showAll() {
    nodes.update(nodeIds.map(function (n) { return {id: n, color: original.nodes[n].color, font: {color: "#222222"}}; }));
    edges.update(edgeIds.map(function (e) { return {id: e, color: original.edges[e]}; }));
    network.unselectAll();
    state.focus = null;
    state.dimmed = 0;
    keep = null;
    setScope("map");
  }

  network.on("click", function (params) {
    var t0 = performance.now();
    if (params.nodes.length && clusterNames[params.nodes[0]] !== undefined) {  // open the overview where it was clicked
      var at = network.getPosition(params.nodes[0]);
      expand();
      network.moveTo({position: at, scale: openScale * 1.2, animation: false});
    } else if (params.nodes.length) { focusOn(params.nodes[0]); } else if (state.focus !== null) { showAll(); }
    state.lastClickMs = Math.round(performance.now() - t0);
  });
  document.getElementById("reset").addEventListener("click", showAll);

  // -- search by name
  var names = document.getElementById("node-names");
  Object.keys(MAP.names).map(function (id) { return MAP.names[id]; }).sort().forEach(function (name) {
    var option = document.createElement("option");
    option.value = name;
    names.append(option);
  });
  var matchList = document.getElementById("matches");
  var previous = document.getElementById("search-prev"), next = document.getElementById("search-next");

  function showMatch(index) {
    var id = state.matches[index];
    expand();
    state.match = index;
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.3), animation: false});
    focusOn(id);
    matchList.querySelectorAll("li").forEach(function (li, i) { li.classList.toggle("current", i === index); });
    previous.disabled = next.disabled = state.matches.length < 2;
    setStatus("Match " + (index + 1) + " of " + state.matches.length + ": " + MAP.names[id]);
  }

  document.getElementById("search").addEventListener("submit", function (event) {
    event.preventDefault();
    var wanted = document.getElementById("search-input").value.trim().toLowerCase();
    if (!wanted) { return; }
    var ids = Object.keys(MAP.names);
    var exact = ids.filter(function (id) { return MAP.names[id].toLowerCase() === wanted || id.toLowerCase() === wanted; });
    var partial = ids.filter(function (id) {
      return exact.indexOf(id) === -1 && MAP.names[id].toLowerCase().indexOf(wanted) !== -1;
    }).sort(function (a, b) { return MAP.names[a].localeCompare(MAP.names[b]); });
    state.matches = exact.concat(partial);
    matchList.replaceChildren();
    document.getElementById("matches-box").hidden = state.matches.length === 0;
    if (!state.matches.length) {
      previous.disabled = next.disabled = true;
      setStatus("Nothing on this map is called \u201c" + wanted + "\u201d");
      return;
    }
    state.matches.forEach(function (id, i) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = MAP.names[id];
      button.addEventListener("click", function () { showMatch(i); });
      li.append(button);
      matchList.append(li);
    });
    showMatch(0);
  });
  next.addEventListener("click", function () { showMatch((state.match + 1) % state.matches.length); });
  previous.addEventListener("click", function () {
    showMatch((state.match - 1 + state.matches.length) % state.matches.length);
  });

  // -- the filter form (served pages): leave out filters set to "all" so the address stays readable
  var filterForm = document.querySelector("form.filters");
  if (filterForm) {
    filterForm.addEventListener("submit", function () {
      filterForm.querySelectorAll("select, input").forEach(function (field) { field.disabled = field.value === ""; });
    });
    window.addEventListener("pageshow", function () {  // coming back to the page: the fields work again
      filterForm.querySelectorAll("select, input").forEach(function (field) { field.disabled = false; });
    });
  }

  // -- exports: the whole map or the focus (the clicked or found node and its neighbours), said beside them
  var scopeChoice = document.getElementById("export-scope");
  var holds = document.getElementById("export-holds");

  function scopeIds(scope) {
    return scope === "focus" && state.focus !== null ? [state.focus].concat(network.getConnectedNodes(state.focus)) : nodeIds;
  }

  function holdsText(scope) {
    if (scope === "focus" && state.focus !== null) {
      var n = scopeIds("focus").length;
      return "the focus: " + MAP.names[state.focus] + " and its " + (n - 1) + " neighbour" + (n === 2 ? "" : "s") +
             " (" + n + " of " + nodeIds.length + " nodes)";
    }
    return "the whole map (" + nodeIds.length + " nodes, " + edgeIds.length + " links)";
  }

  function setScope(scope) {
    var focusOption = scopeChoice.querySelector("option[value=focus]");
    focusOption.disabled = state.focus === null;
    focusOption.textContent = state.focus === null ? "the focus (click or find a node)" : "the focus: " + MAP.names[state.focus];
    state.scope = state.focus === null ? "map" : scope;
    scopeChoice.value = state.scope;
    holds.textContent = "Exports hold " + holdsText(state.scope) + ".";
  }
  scopeChoice.addEventListener("change", function () { setScope(scopeChoice.value); });
  setScope("map");

  function currentView(scope) {
    var ids = scopeIds(scope);
    var shown = new Set(ids);
    var positions = network.getPositions(ids);
    return {
      kind: MAP.kind, title: MAP.title, holds: holdsText(scope), when: MAP.when, filters: MAP.filters,
      nodes: ids.map(function (id) {
        return {id: id, name: MAP.names[id], category: MAP.categories[id], size: nodes.get(id).size,
                x: Math.round(positions[id].x), y: Math.round(positions[id].y), illustrative: illustrative.has(id)};
      }),
      edges: edges.get().filter(function (e) { return shown.has(e.from) && shown.has(e.to); })
                  .map(function (e) { return {from: e.from, to: e.to, kind: e.kind}; })
    };
  }

  function csvCell(value) {
    var text = value === undefined || value === null ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }  // a spreadsheet must show it, not run it
    return '"' + text.replace(/"/g, '""') + '"';
  }

  function toCsv(view) {
    var rows = [["record", "id", "name", "category", "size", "x", "y", "from", "to", "kind"]];
    view.nodes.forEach(function (n) { rows.push(["node", n.id, n.name, n.category, n.size, n.x, n.y, "", "", ""]); });
    view.edges.forEach(function (e) { rows.push(["edge", "", "", "", "", "", "", e.from, e.to, e.kind]); });
    return rows.map(function (r) { return r.map(csvCell).join(","); }).join("\n") + "\n";
  }

  function xmlDocument(ns, rootName) { return document.implementation.createDocument(ns, rootName, null); }
  function serialise(doc) { return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(doc); }

  function toGraphml(view) {
    var NS = "http://graphml.graphdrawing.org/xmlns";
    var doc = xmlDocument(NS, "graphml");
    var root = doc.documentElement;
    [["name", "node", "string"], ["category", "node", "string"], ["size", "node", "double"], ["x", "node", "double"],
     ["y", "node", "double"], ["kind", "edge", "string"]].forEach(function (k) {
      var key = doc.createElementNS(NS, "key");
      key.setAttribute("id", k[0]); key.setAttribute("for", k[1]);
      key.setAttribute("attr.name", k[0]); key.setAttribute("attr.type", k[2]);
      root.append(key);
    });
    var graph = doc.createElementNS(NS, "graph");
    graph.setAttribute("edgedefault", MAP.directed ? "directed" : "undirected");
    root.append(graph);
    function data(element, key, value) {
      var d = doc.createElementNS(NS, "data");
      d.setAttribute("key", key);
      d.textContent = value === undefined || value === null ? "" : String(value);
      element.append(d);
    }
    view.nodes.forEach(function (n) {
      var node = doc.createElementNS(NS, "node");
      node.setAttribute("id", n.id);
      ["name", "category", "size", "x", "y"].forEach(function (k) { data(node, k, n[k]); });
      graph.append(node);
    });
    view.edges.forEach(function (e) {
      var edge = doc.createElementNS(NS, "edge");
      edge.setAttribute("source", e.from); edge.setAttribute("target", e.to);
      data(edge, "kind", e.kind);
      graph.append(edge);
    });
    return serialise(doc);
  }

  function toGexf(view) {
    var NS = "http://gexf.net/1.3", VIZ = "http://gexf.net/1.3/viz";
    var doc = xmlDocument(NS, "gexf");
    var root = doc.documentElement;
    root.setAttribute("version", "1.3");
    root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:viz", VIZ);
    var graph = doc.createElementNS(NS, "graph");
    graph.setAttribute("defaultedgetype", MAP.directed ? "directed" : "undirected");
    root.append(graph);
    function attributes(cls, list) {
      var block = doc.createElementNS(NS, "attributes");
      block.setAttribute("class", cls);
      list.forEach(function (a) {
        var attr = doc.createElementNS(NS, "attribute");
        attr.setAttribute("id", a[0]); attr.setAttribute("title", a[0]); attr.setAttribute("type", a[1]);
        block.append(attr);
      });
      graph.append(block);
    }
    attributes("node", [["category", "string"]]);
    attributes("edge", [["kind", "string"]]);
    function attvalue(element, key, value) {
      var values = doc.createElementNS(NS, "attvalues");
      var v = doc.createElementNS(NS, "attvalue");
      v.setAttribute("for", key); v.setAttribute("value", value === undefined || value === null ? "" : String(value));
      values.append(v);
      element.append(values);
    }
    var nodeList = doc.createElementNS(NS, "nodes");
    view.nodes.forEach(function (n) {
      var node = doc.createElementNS(NS, "node");
      node.setAttribute("id", n.id); node.setAttribute("label", n.name);
      attvalue(node, "category", n.category);
      var size = doc.createElementNS(VIZ, "viz:size");
      size.setAttribute("value", String(n.size));
      var position = doc.createElementNS(VIZ, "viz:position");
      position.setAttribute("x", String(n.x)); position.setAttribute("y", String(-n.y));
      node.append(size, position);
      nodeList.append(node);
    });
    var edgeList = doc.createElementNS(NS, "edges");
    view.edges.forEach(function (e, i) {
      var edge = doc.createElementNS(NS, "edge");
      edge.setAttribute("id", String(i)); edge.setAttribute("source", e.from); edge.setAttribute("target", e.to);
      attvalue(edge, "kind", e.kind);
      edgeList.append(edge);
    });
    graph.append(nodeList, edgeList);
    return serialise(doc);
  }

  function download(filename, href) {
    var a = document.createElement("a");
    a.href = href;
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
  }

  function downloadText(filename, type, text) {
    var url = URL.createObjectURL(new Blob([text], {type: type}));
    download(filename, url);
    setTimeout(function () { URL.revokeObjectURL(url); }, 2000);
  }

  var EXPORTS = {
    json: ["application/json", function (v) { return JSON.stringify(v, null, 1); }],
    csv: ["text/csv", toCsv],
    graphml: ["application/graphml+xml", toGraphml],
    gexf: ["application/gexf+xml", toGexf]
  };
  function fileName(format) { return MAP.exportName + (state.scope === "focus" ? "-focus" : "") + "." + format; }

  document.querySelectorAll("[data-export]").forEach(function (button) {
    button.addEventListener("click", function () {
      var format = button.getAttribute("data-export");
      downloadText(fileName(format), EXPORTS[format][0], EXPORTS[format][1](currentView(state.scope)));
    });
  });

  // -- pictures for a report: one scene (title, dates, filters, what it holds, the map, legend, notes,
  // source) drawn either on a canvas (PNG) or as SVG, so both say the same
  var W = 1600, M = 40;
  var measurer = document.createElement("canvas").getContext("2d");
  function font(size, bold) { return (bold ? "bold " : "") + size + "px " + FONT; }
  function measure(text, size, bold) { measurer.font = font(size, bold); return measurer.measureText(text).width; }

  function wrap(text, size, bold, width) {
    var lines = [], line = "";
    String(text).split(/\s+/).forEach(function (word) {
      var tried = line ? line + " " + word : word;
      if (line && measure(tried, size, bold) > width) { lines.push(line); line = word; } else { line = tried; }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  function colourOf(value, part) {
    if (!value) { return "#999999"; }
    if (typeof value === "string") { return value; }
    return value[part] || value.background || value.color || "#999999";
  }

  function shapePoints(shape, x, y, r) {
    var points = [], i;
    if (shape === "square") { return [[x - r, y - r], [x + r, y - r], [x + r, y + r], [x - r, y + r]]; }
    if (shape === "diamond") { return [[x, y - r * 1.2], [x + r * 1.2, y], [x, y + r * 1.2], [x - r * 1.2, y]]; }
    if (shape === "triangle") { return [[x, y - r * 1.2], [x + r * 1.1, y + r * 0.8], [x - r * 1.1, y + r * 0.8]]; }
    if (shape === "hexagon") {
      for (i = 0; i < 6; i++) { points.push([x + r * Math.cos(i * Math.PI / 3), y + r * Math.sin(i * Math.PI / 3)]); }
      return points;
    }
    if (shape === "star") {
      for (i = 0; i < 10; i++) {
        var a = -Math.PI / 2 + i * Math.PI / 5, d = i % 2 ? r * 0.45 : r * 1.2;
        points.push([x + d * Math.cos(a), y + d * Math.sin(a)]);
      }
      return points;
    }
    return null;  // a dot
  }

  function scene(scope) {
    var items = [], report = {legend: [], swatches: [], labels: 0, texts: []};
    var y = M;
    function text(t, x, yy, size, opts) {
      opts = opts || {};
      items.push({t: "text", text: t, x: x, y: yy, size: size, bold: !!opts.bold, fill: opts.fill || "#222222",
                  align: opts.align || "left", halo: !!opts.halo});
      report.texts.push(t);
    }
    function paragraph(t, size, opts) {
      wrap(t, size, opts && opts.bold, W - 2 * M).forEach(function (line) { y += size * 1.35; text(line, M, y, size, opts); });
    }
    paragraph(MAP.title, 30, {bold: true});
    y += 4;
    if (MAP.when) { paragraph(MAP.when, 18, {bold: true}); }
    paragraph(MAP.filters, 16);
    paragraph("This picture holds " + holdsText(scope) + ".", 16);
    y += 16;

    // the map, fitted into the width
    var ids = scopeIds(scope), shown = new Set(ids), positions = network.getPositions(ids);
    var xs = ids.map(function (id) { return positions[id].x; }), ys = ids.map(function (id) { return positions[id].y; });
    var box = MAP.grid && scope === "map" ? {x0: -40, y0: 0, x1: MAP.grid.width, y1: MAP.grid.height + 40}
      : {x0: Math.min.apply(null, xs), y0: Math.min.apply(null, ys), x1: Math.max.apply(null, xs), y1: Math.max.apply(null, ys)};
    var bw = Math.max(box.x1 - box.x0, 1), bh = Math.max(box.y1 - box.y0, 1), pad = 60;
    var areaW = W - 2 * M, areaH = Math.min(Math.max(areaW * bh / bw, 420), 1300);
    var k = Math.min((areaW - 2 * pad) / bw, (areaH - 2 * pad) / bh, 2.5);
    var ox = M + (areaW - bw * k) / 2, oy = y + (areaH - bh * k) / 2;
    function at(p) { return [ox + (p.x - box.x0) * k, oy + (p.y - box.y0) * k]; }
    items.push({t: "rect", x: M, y: y, w: areaW, h: areaH, fill: "#ffffff", stroke: "#cccccc"});
    if (MAP.grid) {
      var g = MAP.grid, xt = g.interest_threshold * g.width, yt = (1 - g.power_threshold) * g.height;
      [["keep_satisfied", 0, 0, xt, yt], ["manage_closely", xt, 0, g.width, yt], ["monitor", 0, yt, xt, g.height],
       ["keep_informed", xt, yt, g.width, g.height]].forEach(function (a) {
        var p = at({x: a[1], y: a[2]}), q = at({x: a[3], y: a[4]});
        items.push({t: "rect", x: p[0], y: p[1], w: q[0] - p[0], h: q[1] - p[1], fill: g.colours[a[0]], stroke: "#999999"});
        text(g.quadrants[a[0]], a[1] === 0 ? p[0] + 10 : q[0] - 10, p[1] + 24, 16,
             {bold: true, fill: "#555555", align: a[1] === 0 ? "left" : "right"});
      });
      var bottom = at({x: g.width / 2, y: g.height});
      text("Interest \u2192 (across); power \u2192 (up)", bottom[0], bottom[1] + 24, 14, {align: "center"});
    }
    edges.get().forEach(function (e) {
      if (!shown.has(e.from) || !shown.has(e.to)) { return; }
      var a = at(positions[e.from]), b = at(positions[e.to]);
      items.push({t: "line", x1: a[0], y1: a[1], x2: b[0], y2: b[1], stroke: colourOf(original.edges[e.id], "color"),
                  width: Math.min(Math.max((e.width || 1) * Math.min(k, 1), 0.6), 6), dash: !!e.dashes});
    });
    var space = new LabelSpace(), placedNodes = [];
    ids.forEach(function (id) {
      var n = nodes.get(id), p = at(positions[id]), r = Math.min(Math.max(n.size * k, 2.5), 40);
      var colour = original.nodes[id].color;
      items.push({t: "shape", shape: n.shape, x: p[0], y: p[1], r: r, fill: colourOf(colour, "background"),
                  stroke: colourOf(colour, "border"), width: n.borderWidth || 1});
      if (illustrative.has(id)) {
        items.push({t: "shape", shape: "ring", x: p[0], y: p[1], r: r + 4, fill: "none", stroke: ILLUSTRATIVE_COLOUR, width: 2.5});
      }
      space.take({x: p[0] - r, y: p[1] - r, w: 2 * r, h: 2 * r});
      placedNodes.push([id, p, r]);
    });
    var rank = {};
    MAP.labelRank.forEach(function (id, i) { rank[id] = i; });
    placedNodes.sort(function (a, b) { return rank[a[0]] - rank[b[0]]; }).forEach(function (entry) {
      var t = MAP.labels[entry[0]], w = measure(t, 12);
      var placed = placeLabel(space, entry[1][0], entry[1][1], entry[2], w, 14);
      if (placed) { text(t, placed.x, placed.y + 11, 12, {halo: true}); report.labels++; }
    });
    y += areaH + 30;

    // the legend: the same entries as the page's
    text("Legend", M, y, 20, {bold: true});
    y += 12;
    var column = (W - 2 * M) / 2, rowsY = [y, y];
    MAP.legend.forEach(function (entry) {
      var c = rowsY[0] <= rowsY[1] ? 0 : 1;
      var x = M + c * column, top = rowsY[c], lines = wrap(entry.text, 14, false, column - 60);
      var sy = top + 14, sx = x + 14, s = Math.min(Math.max(entry.size / 2, 4), 12);
      var swatch = entry.swatch;
      if (swatch === "line" || swatch === "dashed") {
        items.push({t: "line", x1: x, y1: sy, x2: x + 28, y2: sy, stroke: entry.colour, width: 3, dash: swatch === "dashed"});
      } else if (swatch === "area") {
        items.push({t: "rect", x: x + 3, y: sy - 8, w: 22, h: 16, fill: entry.colour, stroke: "#bbbbbb"});
      } else if (swatch === "ring" || swatch === "dashed-ring") {
        items.push({t: "shape", shape: "ring", x: sx, y: sy, r: 7, fill: "#ffffff", stroke: entry.colour, width: swatch === "ring" ? 4 : 2,
                    dash: swatch === "dashed-ring"});
      } else if (swatch !== "text") {
        items.push({t: "shape", shape: swatch, x: sx, y: sy, r: s, fill: entry.colour, stroke: entry.colour, width: 1});
      }
      if (swatch !== "text") { report.swatches.push({x: Math.round(sx), y: Math.round(sy), colour: entry.colour, swatch: swatch}); }
      lines.forEach(function (line, j) { text(line, x + 40, top + 19 + j * 19, 14); });
      report.legend.push(entry.text);
      rowsY[c] = top + Math.max(lines.length, 1) * 19 + 8;
    });
    y = Math.max(rowsY[0], rowsY[1]) + 10;
    MAP.notes.forEach(function (note) { paragraph(note, 14, {fill: "#444444"}); });
    y += 10;
    paragraph(MAP.source, 13, {fill: "#555555"});
    return {width: W, height: Math.ceil(y + M), items: items, report: report};
  }

  function toCanvas(s) {
    var canvas = document.createElement("canvas");
    canvas.width = s.width;
    canvas.height = s.height;
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, s.width, s.height);
    s.items.forEach(function (it) {
      ctx.save();
      if (it.t === "rect") {
        ctx.fillStyle = it.fill;
        ctx.fillRect(it.x, it.y, it.w, it.h);
        if (it.stroke) { ctx.strokeStyle = it.stroke; ctx.strokeRect(it.x, it.y, it.w, it.h); }
      } else if (it.t === "line") {
        ctx.strokeStyle = it.stroke;
        ctx.lineWidth = it.width;
        if (it.dash) { ctx.setLineDash([6, 4]); }
        ctx.beginPath(); ctx.moveTo(it.x1, it.y1); ctx.lineTo(it.x2, it.y2); ctx.stroke();
      } else if (it.t === "shape") {
        var points = shapePoints(it.shape, it.x, it.y, it.r);
        ctx.beginPath();
        if (points) {
          points.forEach(function (p, i) { if (i) { ctx.lineTo(p[0], p[1]); } else { ctx.moveTo(p[0], p[1]); } });
          ctx.closePath();
        } else {
          ctx.arc(it.x, it.y, it.r, 0, 2 * Math.PI);
        }
        if (it.fill !== "none") { ctx.fillStyle = it.fill; ctx.fill(); }
        if (it.dash) { ctx.setLineDash([3, 2]); }
        ctx.strokeStyle = it.stroke; ctx.lineWidth = it.width; ctx.stroke();
      } else {
        ctx.font = font(it.size, it.bold);
        ctx.textAlign = it.align;
        if (it.halo) { ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.strokeText(it.text, it.x, it.y); }
        ctx.fillStyle = it.fill;
        ctx.fillText(it.text, it.x, it.y);
      }
      ctx.restore();
    });
    return canvas;
  }

  function toSvg(s) {
    var NS = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("width", String(s.width)); svg.setAttribute("height", String(s.height));
    svg.setAttribute("viewBox", "0 0 " + s.width + " " + s.height);
    var title = document.createElementNS(NS, "title");
    title.textContent = MAP.title;
    svg.append(title);
    function element(name, attrs) {
      var el = document.createElementNS(NS, name);
      Object.keys(attrs).forEach(function (a) { el.setAttribute(a, String(attrs[a])); });
      svg.append(el);
      return el;
    }
    element("rect", {x: 0, y: 0, width: s.width, height: s.height, fill: "#ffffff"});
    var round = function (v) { return Math.round(v * 10) / 10; };
    s.items.forEach(function (it) {
      if (it.t === "rect") {
        element("rect", {x: round(it.x), y: round(it.y), width: round(it.w), height: round(it.h), fill: it.fill, stroke: it.stroke || "none"});
      } else if (it.t === "line") {
        var line = element("line", {x1: round(it.x1), y1: round(it.y1), x2: round(it.x2), y2: round(it.y2), stroke: it.stroke,
                                    "stroke-width": round(it.width)});
        if (it.dash) { line.setAttribute("stroke-dasharray", "6 4"); }
      } else if (it.t === "shape") {
        var points = shapePoints(it.shape, it.x, it.y, it.r);
        var attrs = {fill: it.fill, stroke: it.stroke, "stroke-width": it.width};
        if (points) {
          attrs.points = points.map(function (p) { return round(p[0]) + "," + round(p[1]); }).join(" ");
        } else {
          attrs.cx = round(it.x); attrs.cy = round(it.y); attrs.r = round(it.r);
        }
        var shape = element(points ? "polygon" : "circle", attrs);
        if (it.dash) { shape.setAttribute("stroke-dasharray", "3 2"); }
      } else {
        var t = element("text", {x: round(it.x), y: round(it.y), "font-family": FONT, "font-size": it.size, fill: it.fill,
                                 "text-anchor": {left: "start", center: "middle", right: "end"}[it.align]});
        if (it.bold) { t.setAttribute("font-weight", "bold"); }
        if (it.halo) { t.setAttribute("stroke", "#ffffff"); t.setAttribute("stroke-width", "3"); t.setAttribute("paint-order", "stroke"); }
        t.textContent = it.text;
      }
    });
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg);
  }

  // The page's own export functions, which the buttons use; each says what it drew.
  window.mapExport = {
    png: function (scope) {
      var s = scene(scope || state.scope), canvas = toCanvas(s);
      return {url: canvas.toDataURL("image/png"), width: s.width, height: s.height, holds: holdsText(scope || state.scope),
              legend: s.report.legend, swatches: s.report.swatches, labels: s.report.labels, texts: s.report.texts};
    },
    svg: function (scope) {
      var s = scene(scope || state.scope);
      return {text: toSvg(s), width: s.width, height: s.height, holds: holdsText(scope || state.scope), legend: s.report.legend,
              texts: s.report.texts};
    }
  };
  document.getElementById("export-png").addEventListener("click", function () {
    download(fileName("png"), window.mapExport.png(state.scope).url);
  });
  document.getElementById("export-svg").addEventListener("click", function () {
    downloadText(fileName("svg"), "image/svg+xml", window.mapExport.svg(state.scope).text);
  });

  // -- saving the view (an editor's page): what the address does not hold, filled in as it is sent
  var saveForm = document.getElementById("save-view");
  if (saveForm) {
    saveForm.addEventListener("submit", function () {
      var moved = Object.keys(state.moved), at = network.getPositions(moved), positions = {};
      moved.forEach(function (id) { positions[id] = [Math.round(at[id].x), Math.round(at[id].y)]; });
      saveForm.elements.focus.value = state.focus === null ? "" : state.focus;
      saveForm.elements.positions.value = moved.length ? JSON.stringify(positions) : "";
      saveForm.elements.labels.value = state.labels;
    });
  }
}());
