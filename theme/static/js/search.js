/* The search box in the header: Pagefind's UI over the index that the build writes to
   /pagefind/. pagefind-ui.js finds the index (and the site's base URL for result links) from
   its own address, so this works with relative and absolute URLs alike. Until this script
   shows the box, the header offers links to the indexes instead (#search-fallback): without
   JavaScript, and from file://, where browsers refuse to fetch the index.

   An address with ?q=words opens with the results for those words, and the address follows
   what is typed, so a search can be shared. */
(function () {
  "use strict";
  var box = document.getElementById("site-search");
  // Pagefind fetches its index, which browsers refuse for pages opened as files.
  if (!box || typeof window.PagefindUI !== "function" || window.location.protocol === "file:") {
    return;
  }
  var fallback = document.getElementById("search-fallback");
  if (fallback) {
    fallback.hidden = true;
  }
  box.hidden = false;
  var TYPES = {source: "Source", briefing: "Briefing note", organization: "Organization",
               person: "Person", country: "Country", territory: "Territory", treaty: "Treaty"};
  var ui = new window.PagefindUI({
    element: "#site-search",
    showSubResults: true,
    showImages: false,
    showEmptyFilters: false,
    // The type filter stays open: folded, a reader would not see it is there.
    openFilters: ["type"],
    excerptLength: 20,
    // Pagefind's default (pageLength 0.75) ranks short pages far above long ones, so the
    // 900-word article came 6th to 9th for "missile defence", behind entity pages that only
    // mention it. Our long pages are the documents a reader is looking for.
    ranking: {pageLength: 0.1},
    // Each result names its type (shown by Pagefind as a tag under the title).
    processResult: function (result) {
      var type = result.filters && result.filters.type && result.filters.type[0];
      if (type) {
        result.meta = result.meta || {};
        result.meta.type = TYPES[type] || type;
      }
      return result;
    },
    translations: {placeholder: box.getAttribute("data-placeholder") || "Search"}
  });
  var field = box.querySelector("input");
  // Pagefind names its input only by title= (axe: label-title-only); give it a real name.
  if (field && !field.hasAttribute("aria-label")) {
    field.setAttribute("aria-label", box.getAttribute("data-placeholder") || "Search");
  }
  // ?q= in the address: search for it now; keep the address in step with the box.
  var params = new URLSearchParams(window.location.search);
  var query = params.get("q");
  if (query && field) {
    field.value = query;
    ui.triggerSearch(query);
  }
  var timer = null;
  box.addEventListener("input", function (event) {
    if (!event.target.matches("input[type=text], input[type=search]")) {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var url = new URL(window.location.href);
      var value = event.target.value.trim();
      if (value) {
        url.searchParams.set("q", value);
      } else {
        url.searchParams.delete("q");
      }
      window.history.replaceState(window.history.state, "", url.toString());
    }, 400);
  });
  // Escape empties the box, which closes the results.
  box.addEventListener("keydown", function (event) {
    var input = box.querySelector("input[type=text], input[type=search]");
    if (event.key === "Escape" && input && input.value) {
      input.value = "";
      input.dispatchEvent(new Event("input", {bubbles: true}));
    }
  });
}());
