// mercury-kg network views: the Cytoscape.js style shared by /network and the resource pages'
// small networks, and helpers to load our Cytoscape.js JSON. Our own code; Cytoscape.js from npm.
(function () {
  "use strict";

  function style(kinds, options) {
    const o = Object.assign({ font: 11, landmark: 15, width: 130 }, options || {});
    const rules = [
      { selector: "node", style: {
        "background-color": "#7f7f7f", "label": "data(label)", "font-size": o.font, "color": "#1b2430",
        "text-valign": "bottom", "text-margin-y": 2, "text-wrap": "ellipsis", "text-max-width": o.width,
        "min-zoomed-font-size": 7, "width": "data(size)", "height": "data(size)",
        "border-width": 1, "border-color": "#ffffff",
        "text-background-color": "#ffffff", "text-background-opacity": 0.7, "text-background-padding": 1,
      } },
      { selector: "edge", style: {
        "width": "data(width)", "line-color": "#b8bec6", "curve-style": "bezier",
        "target-arrow-shape": "triangle", "target-arrow-color": "#b8bec6", "arrow-scale": 0.6,
      } },
      { selector: "edge.show-label", style: {
        "label": "data(relation)", "font-size": 8, "color": "#5a6675", "text-rotation": "autorotate",
        "text-background-color": "#ffffff", "text-background-opacity": 0.8,
      } },
      { selector: "node.landmark", style: { "min-zoomed-font-size": 0, "font-size": o.landmark, "text-max-width": 1.6 * o.width } },
      { selector: ".faded", style: { "opacity": 0.12 } },
      { selector: "node.focus", style: { "border-width": 3, "border-color": "#1b2430" } },
      { selector: "node.found", style: { "border-width": 4, "border-color": "#f2b01e" } },
      { selector: ".hidden", style: { "display": "none" } },
    ];
    for (const k of kinds) {
      rules.push({ selector: `node[kind = "${k.kind}"]`, style: { "background-color": k.colour } });
    }
    return rules;
  }

  // Node area grows with the metric (square root: area reads as the value).
  function sizes(values, smallest, largest) {
    const top = Math.max(...values, 0) || 1;
    return values.map((v) => smallest + (largest - smallest) * Math.sqrt(v / top));
  }

  // A new size metric for the nodes already drawn (edge widths do not depend on it).
  function sizeBy(cy, metric, smallest, largest) {
    const nodes = cy.nodes();
    const size = sizes(nodes.map((n) => Number(n.data(metric)) || 0), smallest, largest);
    cy.batch(() => nodes.forEach((n, i) => n.data("size", size[i])));
  }

  // Colour by community (a fixed palette, as Gephi's modularity classes) or back to by kind.
  const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#bab0ac", "#1b9e77", "#d95f02", "#7570b3", "#e7298a"];
  function colourBy(cy, mode) {
    cy.batch(() => {
      cy.nodes().forEach((n) => {
        if (mode === "community" && n.data("community") >= 0) {
          n.style("background-color", PALETTE[n.data("community") % PALETTE.length]);
        } else {
          n.removeStyle("background-color");
        }
      });
    });
  }

  // The largest nodes keep their labels at every zoom.
  function landmarks(cy, count) {
    cy.nodes().removeClass("landmark");
    cy.nodes().sort((a, b) => b.data("size") - a.data("size")).slice(0, count).addClass("landmark");
  }

  // Sizes and edge widths on the raw elements, before Cytoscape.js sees them (its style needs them).
  function prepare(elements, metric, smallest, largest) {
    const size = sizes(elements.nodes.map((n) => Number(n.data[metric]) || 0), smallest, largest);
    elements.nodes.forEach((n, i) => { n.data.size = size[i]; });
    const heaviest = Math.max(...elements.edges.map((e) => Number(e.data.weight) || 1), 1);
    for (const e of elements.edges) {
      e.data.width = heaviest > 1 ? 0.8 + 3.2 * (Number(e.data.weight) || 1) / heaviest : 1;
    }
    return elements;
  }

  // Hovering a node fades everything but its links and neighbours.
  function highlightOnHover(cy, onNode) {
    cy.on("mouseover", "node", (e) => {
      const near = e.target.closedNeighborhood();
      cy.batch(() => {
        cy.elements().not(near).addClass("faded");
        near.edges().addClass("show-label");
        e.target.addClass("focus");
      });
      if (onNode) onNode(e.target);
    });
    cy.on("mouseout", "node", () => {
      cy.batch(() => cy.elements().removeClass("faded show-label focus"));
    });
  }

  // A click on a node opens its page.
  function clickThrough(cy) {
    cy.on("tap", "node", (e) => {
      const href = e.target.data("href");
      if (href) window.location.assign(href);
    });
  }

  window.MercuryNetwork = { style, prepare, sizeBy, landmarks, colourBy, highlightOnHover, clickThrough };
})();
