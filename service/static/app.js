// mercury-kg query UI: YASGUI (from npm) wired to /sparql, with the named queries as examples,
// labels and local links in result tables, and a shareable link. Our own code; no CDN.
(function () {
  "use strict";
  const DATA = "https://w3id.org/mercury-kg/id/";
  // The service predeclares its prefixes (/prefixes); the editor's SPARQL mode is told of them,
  // so that "gmp:Project" without a PREFIX line is not marked as an error.
  const PREDECLARED = JSON.parse(document.getElementById("yasgui").dataset.prefixes || "{}");
  const sparql11 = Yasgui.Yasqe.modes && Yasgui.Yasqe.modes.sparql11;
  if (sparql11) {
    Yasgui.Yasqe.defineMode("sparql11", function (config, parserConfig) {
      const mode = sparql11(config, parserConfig);
      const start = mode.startState;
      mode.startState = function () {
        const state = start.apply(this, arguments);
        Object.assign(state.prefixes, PREDECLARED);
        return state;
      };
      return mode;
    });
  }
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: "/sparql", method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: () => [{ endpoint: "/sparql" }] },
    persistenceId: null,
    populateFromUrl: true,
    // No "prefixes" autocompleter: it fetches prefix.cc; ours are predeclared (see /prefixes).
    yasqe: { autocompleters: ["variables"], value: document.getElementById("yasgui").dataset.defaultQuery },
    yasr: { pluginOrder: ["table", "response"], defaultPlugin: "table" },
  });
  // The named queries, fetched once; an example chosen before they arrive runs when they do.
  const catalogue = fetch("/api/queries").then((r) => r.json()).then((doc) => {
    const byName = {};
    for (const q of doc.queries) byName[q.name] = q;
    return byName;
  });

  function tab() { return yasgui.getTab(); }

  async function runExample(name) {
    const q = (await catalogue)[name];
    if (!q) return;
    let text = q.sparql.split("\n").filter((l) => !l.startsWith("#+")).join("\n");
    const values = q.params.map((p) => `VALUES ?${p.name} { ${literal(p)} }`).join(" ");
    if (values) text = text.replace(/WHERE\s*\{/i, (m) => `${m} ${values}`);
    tab().setQuery(`# ${q.title}\n${text}`);
    tab().query();
  }

  function literal(p) {
    if (p.type === "iri") {
      if (/^https?:\/\//.test(p.example)) return `<${p.example}>`;
      if (p.example.includes(":")) return p.example;
      return `<${DATA}${p.example}>`;
    }
    if (p.type === "date") return `"${p.example}"^^<http://www.w3.org/2001/XMLSchema#date>`;
    if (p.type === "integer" || p.type === "decimal") return p.example;
    return JSON.stringify(p.example);
  }

  // Result tables: show labels instead of IRIs and link our resources to their local pages.
  async function relabel() {
    const anchors = Array.from(document.querySelectorAll(".yasr a[href]"));
    const iris = [...new Set(anchors.map((a) => a.getAttribute("href")).filter((h) => /^https?:/.test(h)))];
    if (!iris.length) return;
    const response = await fetch("/api/labels", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(iris.slice(0, 1000)),
    });
    if (!response.ok) return;
    const info = await response.json();
    for (const a of anchors) {
      const entry = info[a.getAttribute("href")];
      if (!entry) continue;
      if (entry.href && entry.href.startsWith("/")) a.setAttribute("href", entry.href);
      if (entry.label) { a.title = a.getAttribute("title") || a.textContent; a.textContent = entry.label; }
      a.target = "_self";  // our own pages open in place; YASR sets _blank on every link
      trimBrackets(a);
    }
  }

  // YASR writes <iri> with the brackets as text around the link; a label needs none.
  function trimBrackets(a) {
    const before = a.previousSibling, after = a.nextSibling;
    if (before && before.nodeType === 3 && before.textContent.endsWith("<")) before.textContent = before.textContent.slice(0, -1);
    if (after && after.nodeType === 3 && after.textContent.startsWith(">")) after.textContent = after.textContent.slice(1);
  }

  yasgui.on("queryResponse", () => setTimeout(relabel, 50));
  document.addEventListener("click", (e) => {
    if (e.target.closest(".yasr .tableControls, .yasr_btnGroup, .yasr_header")) setTimeout(relabel, 50);
  });
  new MutationObserver(() => { clearTimeout(relabel.t); relabel.t = setTimeout(relabel, 100); })
    .observe(document.getElementById("yasgui"), { childList: true, subtree: true });

  // Links to our own pages open in place (the table otherwise swallows the click).
  document.addEventListener("click", (e) => {
    const a = e.target.closest && e.target.closest(".yasr a.iri");
    if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const target = a.getAttribute("href") || "";
    if (!target.startsWith("/")) return;
    e.preventDefault();
    e.stopPropagation();
    window.location.assign(target);
  }, true);

  document.getElementById("examples").addEventListener("change", (e) => runExample(e.target.value));
  document.getElementById("share").addEventListener("click", async () => {
    const link = tab().getShareableLink(window.location.origin + "/query");
    const status = document.getElementById("share-status");
    history.replaceState(null, "", link);
    status.textContent = "This page's address now reopens the query.";
    try { await navigator.clipboard.writeText(link); status.textContent = "Link copied."; }
    catch (err) { /* no clipboard permission: the address bar holds the link */ }
  });

  // Results with two columns of IRIs (?s ?p ?o, ?funder ?area, ...) open in the network view.
  const RELATION = /^(p|pred|predicate|property|relation|role|link)$/i;
  function asNetwork() {
    const status = document.getElementById("share-status");
    const yasr = tab().getYasr();
    const results = yasr && yasr.results;
    if (!results || typeof results.getBindings !== "function" || !results.getBindings()) {
      status.textContent = "Run a SELECT query first."; return;
    }
    const vars = results.getVariables(), rows = results.getBindings();
    const iris = vars.filter((v) => rows.some((r) => r[v] && r[v].type === "uri"));
    if (iris.length < 2) { status.textContent = "A network needs two columns of IRIs, such as ?s ?p ?o."; return; }
    const named = vars.find((v) => RELATION.test(v));
    const ends = iris.filter((v) => v !== named);
    const [source, target] = ends.length >= 2 ? ends : iris;
    const relation = named && named !== source && named !== target ? named : null;
    const word = (term) => (term.type === "uri" ? term.value.replace(/^.*[/#]/, "") : term.value);
    const seen = new Map();  // the same link on several rows becomes one, weighted by the rows
    for (const r of rows) {
      if (!r[source] || !r[target] || r[source].type !== "uri" || r[target].type !== "uri") continue;
      const edge = { source: r[source].value, target: r[target].value, relation: relation && r[relation] ? word(r[relation]) : target };
      const key = JSON.stringify([edge.source, edge.relation, edge.target]);
      if (seen.has(key)) seen.get(key).weight += 1;
      else if (seen.size < 5000) seen.set(key, Object.assign(edge, { weight: 1 }));
    }
    const edges = [...seen.values()];
    if (!edges.length) { status.textContent = "No row links two IRIs."; return; }
    const first = tab().getQuery().split("\n")[0];
    const title = first.startsWith("#") ? first.replace(/^#\s*/, "") : "Query results";
    sessionStorage.setItem("mercury-kg-results", JSON.stringify({ nodes: [], edges, title: title.slice(0, 200) }));
    window.location.assign("/network?source=results");
  }
  document.getElementById("as-network").addEventListener("click", asNetwork);

  const wanted = new URLSearchParams(window.location.search).get("example");
  if (wanted) { document.getElementById("examples").value = wanted; runExample(wanted); }
})();
