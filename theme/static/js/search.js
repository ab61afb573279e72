/* The search box in the header: Pagefind's UI over the index that the build writes to
   /pagefind/. pagefind-ui.js finds the index (and the site's base URL for result links) from
   its own address, so this works with relative and absolute URLs alike. Without JavaScript
   (or opened from file://) the box stays hidden and the site is browsed through the menu. */
(function () {
  "use strict";
  var box = document.getElementById("site-search");
  // Pagefind fetches its index, which browsers refuse for pages opened as files.
  if (!box || typeof window.PagefindUI !== "function" || window.location.protocol === "file:") {
    return;
  }
  box.hidden = false;
  new window.PagefindUI({
    element: "#site-search",
    showSubResults: true,
    showImages: false,
    excerptLength: 20,
    translations: {placeholder: box.getAttribute("data-placeholder") || "Search"}
  });
  // Pagefind names its input only by title= (axe: label-title-only); give it a real name.
  var field = box.querySelector("input");
  if (field && !field.hasAttribute("aria-label")) {
    field.setAttribute("aria-label", box.getAttribute("data-placeholder") || "Search");
  }
  // Escape empties the box, which closes the results.
  box.addEventListener("keydown", function (event) {
    var input = box.querySelector("input[type=text], input[type=search]");
    if (event.key === "Escape" && input && input.value) {
      input.value = "";
      input.dispatchEvent(new Event("input", {bubbles: true}));
    }
  });
}());
