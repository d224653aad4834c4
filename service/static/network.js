// mercury-kg /network: the partnership network with Cytoscape.js (from npm). Positions come from
// the server (a seeded force layout, so the view appears at once and is the same for everyone);
// "Re-run force layout" runs Cytoscape's CoSE in the browser. Filters (kind, area, role, date),
// search, hover highlight, click through, export (PNG/SVG here, GEXF/GraphML by the server).
(function () {
  "use strict";
  const net = window.MercuryNetwork;
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(window.location.search);
  let cy = null;
  let doc = null;
  let posted = null;  // the edges a query result posted, when the page shows one

  function load() {
    const view = $("net-view").value;
    $("net-status").textContent = "Loading…";
    let request;
    if (params.get("source") === "results" && sessionStorage.getItem("mercury-kg-results")) {
      posted = JSON.parse(sessionStorage.getItem("mercury-kg-results"));
      const option = new Option("Query results", "results", true, true);
      option.disabled = true;
      $("net-view").add(option);
      request = fetch("/api/network/graph", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(posted),
      });
    } else {
      const q = new URLSearchParams({ view });
      if (params.get("focus")) { q.set("focus", params.get("focus")); q.set("depth", params.get("depth") || "1"); }
      if (params.get("as_of")) q.set("as_of", params.get("as_of"));
      request = fetch(`/api/network?${q}`);
    }
    request.then(async (r) => {
      if (!r.ok) throw new Error((await r.json()).error || r.statusText);
      return r.json();
    }).then(draw).catch((err) => { $("net-status").textContent = `Could not load the network: ${err.message}`; });
  }

  function draw(data) {
    doc = data;
    if (params.get("layout") === "cose") data.elements.nodes.forEach((n) => { delete n.position; });
    if (cy) cy.destroy();
    cy = cytoscape({
      container: $("cy"),
      elements: net.prepare(data.elements, $("net-size").value, 10, 56),
      style: net.style(data.meta.kinds),
      layout: data.elements.nodes.every((n) => n.position) ? { name: "preset", fit: true, padding: 24 } : { name: "cose", animate: false },
      minZoom: 0.05,
      maxZoom: 4,
    });
    window.cy = cy;  // for the console and the browser tests
    net.landmarks(cy, 14);
    if ($("net-colour").value !== "kind") net.colourBy(cy, $("net-colour").value);
    net.highlightOnHover(cy, info);
    net.clickThrough(cy);
    controls(data.meta);
    applyFilters();
    const ms = Math.round(performance.now());  // since the navigation started
    document.body.dataset.networkReady = String(ms);
    $("net-status").textContent = `${data.meta.title}: ${status()} (drawn in ${ms} ms)`;
    const found = params.get("find");
    if (found) { $("net-search").value = found; search(); }
  }

  function status() {
    const nodes = cy.nodes().not(".hidden").length, edges = cy.edges().not(".hidden").length;
    return `${nodes} nodes, ${edges} links shown`;
  }

  function checkboxes(box, items, name, swatch) {
    box.replaceChildren();
    for (const item of items) {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox"; input.checked = true; input.value = item.value; input.name = name;
      input.addEventListener("change", applyFilters);
      label.append(input);
      if (swatch) {
        const dot = document.createElement("span");
        dot.className = "swatch"; dot.style.background = item.colour;
        label.append(dot);
      }
      label.append(document.createTextNode(item.value));
      box.append(label);
    }
  }

  function controls(meta) {
    checkboxes($("net-kinds"), meta.kinds.map((k) => ({ value: k.kind, colour: k.colour })), "kind", true);
    checkboxes($("net-relations"), meta.relations.map((r) => ({ value: r })), "relation", false);
    const list = $("net-labels");
    list.replaceChildren();
    const labels = [...new Set(cy.nodes().map((n) => n.data("label")))].sort();
    for (const label of labels) { const o = document.createElement("option"); o.value = label; list.append(o); }
  }

  function checked(name) {
    return new Set([...document.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value));
  }

  function holds(edge, day) {
    if (!day) return true;
    const start = edge.data("start"), end = edge.data("end");
    return !(start && start > day) && !(end && end < day);
  }

  function applyFilters() {
    if (!cy) return;
    const kinds = checked("kind"), relations = checked("relation");
    const day = $("net-date").value, area = $("net-area").value;
    cy.batch(() => {
      cy.elements().removeClass("hidden found");
      cy.nodes().filter((n) => !kinds.has(n.data("kind"))).addClass("hidden");
      cy.edges().filter((e) => !relations.has(e.data("relation")) || !holds(e, day)).addClass("hidden");
      const visible = cy.elements().not(".hidden");
      const centre = cy.getElementById(area);
      if (area && centre.nonempty()) {
        // the area, what links to it, and what links to those (not through another area)
        const first = centre.closedNeighborhood().intersection(visible).nodes();
        const second = first.filter((n) => n.data("kind") !== "area").neighborhood().intersection(visible).nodes()
          .filter((n) => n.data("kind") !== "area");
        cy.nodes().not(first.union(second).union(centre)).addClass("hidden");
      }
      cy.edges().filter((e) => e.source().hasClass("hidden") || e.target().hasClass("hidden")).addClass("hidden");
    });
    if (doc) $("net-status").textContent = `${doc.meta.title}: ${status()}`;
  }

  function info(node) {
    const box = $("net-info");
    box.replaceChildren();
    const d = node.data();
    const strong = document.createElement("strong");
    strong.textContent = d.label;
    box.append(strong, document.createTextNode(` · ${d.kind} · ${d.degree} link${d.degree === 1 ? "" : "s"} · betweenness ${Number(d.betweenness).toFixed(3)} `));
    if (d.href) {
      const a = document.createElement("a");
      a.href = d.href; a.textContent = "Open its page"; a.id = "net-open";
      box.append(a);
    }
  }

  function search() {
    const wanted = $("net-search").value.trim().toLowerCase();
    if (!wanted || !cy) return;
    const candidates = cy.nodes().not(".hidden");
    const exact = candidates.filter((n) => String(n.data("label")).toLowerCase() === wanted);
    const hits = exact.nonempty() ? exact : candidates.filter((n) => String(n.data("label")).toLowerCase().includes(wanted));
    cy.nodes().removeClass("found");
    if (hits.empty()) { $("net-search-status").textContent = "Not among the nodes shown."; return; }
    hits.addClass("found");
    $("net-search-status").textContent = hits.length === 1 ? "Found." : `${hits.length} found.`;
    cy.animate({ center: { eles: hits }, zoom: Math.max(cy.zoom(), 1.1) }, { duration: 250 });
    info(hits[0]);
  }

  function visibleGraph() {
    const nodes = cy.nodes().not(".hidden").map((n) => n.id());
    const edges = cy.edges().not(".hidden").map((e) => {
      const d = e.data();
      return { source: d.source, target: d.target, relation: d.relation || "", fact: d.fact || d.facts || null,
        amount: d.amount ?? null, weight: d.weight ?? null, start: d.start || null, end: d.end || null };
    });
    return { nodes, edges, title: doc.meta.title };
  }

  function save(blob, name) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob); a.download = name;
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  async function exportView(fmt) {
    const name = `mercury-kg-network.${fmt}`;
    if (fmt === "png") return save(cy.png({ full: true, scale: 2, bg: "#ffffff", output: "blob" }), name);
    if (fmt === "svg") return save(new Blob([cy.svg({ full: true, bg: "#ffffff" })], { type: "image/svg+xml" }), name);
    const r = await fetch(`/api/network/graph?format=${fmt}`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(visibleGraph()),
    });
    if (r.ok) save(await r.blob(), name);
    else $("net-status").textContent = `Export failed: ${(await r.json()).error}`;
  }

  $("net-view").value = ["full", "donors", "coinvolvement"].includes(params.get("view")) ? params.get("view") : "full";
  $("net-view").addEventListener("change", () => {
    params.delete("source");
    $("net-view").querySelector("option[value=results]")?.remove();
    load();
  });
  $("net-colour").addEventListener("change", () => net.colourBy(cy, $("net-colour").value));
  $("net-area").addEventListener("change", () => {
    applyFilters();
    cy.animate({ fit: { eles: cy.elements().not(".hidden"), padding: 40 } }, { duration: 200 });
  });
  $("net-date").addEventListener("change", applyFilters);
  $("net-size").addEventListener("change", () => { net.sizeBy(cy, $("net-size").value, 10, 56); net.landmarks(cy, 14); });
  $("net-search-form").addEventListener("submit", (e) => { e.preventDefault(); search(); });
  $("net-layout").addEventListener("click", () => {
    cy.elements().not(".hidden").layout({ name: "cose", animate: false, randomize: false, nodeRepulsion: () => 8000, idealEdgeLength: () => 60, padding: 24 }).run();
  });
  $("net-reset").addEventListener("click", () => {
    $("net-area").value = ""; $("net-date").value = ""; $("net-search").value = "";
    document.querySelectorAll(".network-controls input[type=checkbox]").forEach((i) => { i.checked = true; });
    applyFilters(); cy.fit(undefined, 24);
  });
  document.querySelectorAll("[data-export]").forEach((b) => b.addEventListener("click", () => exportView(b.dataset.export)));
  if (params.get("as_of")) $("net-date").value = params.get("as_of");
  load();
})();
