/* The search page: start Pagefind's default UI on the index the build wrote beside the page,
   or say plainly that search is not available (the page already says what to do without
   JavaScript). Nothing else on the site uses JavaScript. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) {
    return;
  }
  if (typeof window.PagefindUI !== "function") {
    document.getElementById("search-unavailable").hidden = false;
    return;
  }
  // Results link to pages by their address from the site root; the root is the way up
  // the page gives (one folder above /search/, two above /es/search/), found from this
  // page's own address, so the same output works under a sub-path
  // (https://example.org/city-plans/) and at the root of any host.
  var root = new URL(box.getAttribute("data-root") || "../", window.location.href).pathname;
  var ui = new window.PagefindUI({
    element: "#search",
    baseUrl: root,
    showImages: false,
    showSubResults: true,
    excerptLength: 24,
    // A plan's words are spread over a long page and a short page's title holds them all:
    // a title's match counts less and a long page is held back less than by default, so
    // that "safety plan" lists every plan before a convening named "Safety in …".
    ranking: { metaWeights: { title: 1 }, termSaturation: 2, pageLength: 0.3 },
    translations: { placeholder: box.getAttribute("data-placeholder") || "Plans, places, people, topics…" }
  });
  // A visible label tied to the search box (Pagefind gives it only a title).
  var input = box.querySelector("input");
  if (input) {
    input.id = "search-input";
    var label = document.createElement("label");
    label.htmlFor = "search-input";
    label.className = "search__label";
    label.textContent = box.getAttribute("data-label") || "Search";
    box.parentNode.insertBefore(label, box);
  }
  // /search/?q=words starts a search, so other pages and bookmarks can link to results.
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
})();
