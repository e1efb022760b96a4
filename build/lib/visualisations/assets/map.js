// The map page: draws the network from the JSON in #map-data, then offers search, details on
// click (dimming everything but the clicked node's neighbours), exports and PNG. Every name is
// set with textContent or drawn on the canvas, never parsed as HTML.
(function () {
  "use strict";
  var MAP = JSON.parse(document.getElementById("map-data").textContent);
  var container = document.getElementById("network");
  var statusBox = document.getElementById("status");
  var nodes = new vis.DataSet(MAP.nodes);
  var edges = new vis.DataSet(MAP.edges);
  var nodeIds = nodes.getIds();
  var edgeIds = edges.getIds();
  var original = {nodes: {}, edges: {}};
  nodes.forEach(function (n) { original.nodes[n.id] = {color: n.color, font: n.font}; });
  edges.forEach(function (e) { original.edges[e.id] = e.color; });
  var DIM_NODE = {background: "rgba(215,215,215,0.35)", border: "rgba(200,200,200,0.35)"};
  var DIM_EDGE = "rgba(210,210,210,0.12)";
  var started = performance.now();
  var state = {ready: false, stabilisedMs: null, focus: null, dimmed: 0, lastClickMs: null,
               nodes: nodeIds.length, edges: edgeIds.length};
  window.mapState = state;

  function setStatus(text) { statusBox.textContent = text; }

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

  function ready() {
    state.ready = true;
    state.stabilisedMs = Math.round(performance.now() - started);
    setStatus(state.nodes + " nodes, " + state.edges + " links; ready in " + (state.stabilisedMs / 1000).toFixed(1) + " s");
  }

  // -- layout: physics only until the layout settles, then off so large maps stay responsive
  if (MAP.grid) {
    network.once("afterDrawing", function () { fitGrid(); ready(); });
  } else if (!nodeIds.length) {
    ready();
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
    if (MAP.served) {
      var link = document.createElement("a");  // from a diff map, the ego view compares the same dates
      link.href = "/maps/ego/" + encodeURIComponent(id) + (MAP.egoQuery ? "?" + MAP.egoQuery : "");
      link.textContent = "Open the ego view of this node" + (MAP.egoQuery ? ": what changed" : "");
      box.append(link);
    }
  }

  function focusOn(id) {
    var keep = new Set(network.getConnectedNodes(id));
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
  }

  function showAll() {
    nodes.update(nodeIds.map(function (n) { return {id: n, color: original.nodes[n].color, font: {color: "#222222"}}; }));
    edges.update(edgeIds.map(function (e) { return {id: e, color: original.edges[e]}; }));
    network.unselectAll();
    state.focus = null;
    state.dimmed = 0;
  }

  network.on("click", function (params) {
    var t0 = performance.now();
    if (params.nodes.length) { focusOn(params.nodes[0]); } else if (state.focus !== null) { showAll(); }
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
  document.getElementById("search").addEventListener("submit", function (event) {
    event.preventDefault();
    var wanted = document.getElementById("search-input").value.trim().toLowerCase();
    if (!wanted) { return; }
    var ids = Object.keys(MAP.names);
    var match = ids.find(function (id) { return MAP.names[id].toLowerCase() === wanted || id.toLowerCase() === wanted; })
             || ids.find(function (id) { return MAP.names[id].toLowerCase().indexOf(wanted) !== -1; });
    if (match === undefined) { setStatus("Nothing on this map is called \u201c" + wanted + "\u201d"); return; }
    network.selectNodes([match]);
    network.focus(match, {scale: 1.3, animation: false});
    focusOn(match);
    setStatus("Found " + MAP.names[match]);
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

  // -- exports of the current view: the focused neighbourhood, or everything
  function currentView() {
    var ids = state.focus === null ? nodeIds : [state.focus].concat(network.getConnectedNodes(state.focus));
    var shown = new Set(ids);
    var positions = network.getPositions(ids);
    return {
      kind: MAP.kind, title: MAP.title,
      nodes: ids.map(function (id) {
        return {id: id, name: MAP.names[id], category: MAP.categories[id], size: nodes.get(id).size,
                x: Math.round(positions[id].x), y: Math.round(positions[id].y)};
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
  document.querySelectorAll("[data-export]").forEach(function (button) {
    button.addEventListener("click", function () {
      var format = button.getAttribute("data-export");
      downloadText(MAP.exportName + "." + format, EXPORTS[format][0], EXPORTS[format][1](currentView()));
    });
  });
  document.getElementById("export-png").addEventListener("click", function () {
    download(MAP.exportName + ".png", container.querySelector("canvas").toDataURL("image/png"));
  });
}());
