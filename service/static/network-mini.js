// mercury-kg resource pages: the resource's direct links as a small network (hidden when the
// resource is not a node of the partnership network). Our own code; Cytoscape.js from npm.
(function () {
  "use strict";
  const section = document.getElementById("neighbourhood");
  if (!section || typeof cytoscape !== "function") return;
  const iri = section.dataset.iri;
  const inNetwork = (r) => {
    if (r.ok) return r.json();
    // not a node of the partnership network (a document, a funding flow...): its RDF links
    document.getElementById("neighbourhood-open").hidden = true;
    return fetch(`/api/network/links?iri=${encodeURIComponent(iri)}`).then((r2) => (r2.ok ? r2.json() : null));
  };
  fetch(`/api/network?focus=${encodeURIComponent(iri)}&depth=1`)
    .then(inNetwork)
    .then((doc) => {
      if (!doc || doc.meta.nodes < 2) return;
      section.hidden = false;
      const net = window.MercuryNetwork;
      const cy = cytoscape({
        container: document.getElementById("mini-network"),
        elements: net.prepare(doc.elements, "degree", 14, 34),
        style: net.style(doc.meta.kinds, { font: 11, landmark: 11, width: 120 }),
        layout: { name: "breadthfirst", roots: [iri], directed: false, spacingFactor: 1.1, animate: false, padding: 24 },
        maxZoom: 1.6,
      });
      cy.getElementById(iri).addClass("focus");
      net.highlightOnHover(cy);
      net.clickThrough(cy);
      section.dataset.ready = "true";
    })
    .catch(() => { /* no network for this resource: the section stays hidden */ });
})();
