// Progressive enhancement: without script, "Select all" is a link that reloads the queue with
// every box ticked. With script, it ticks the boxes in place.
(function () {
  function tick(on) {
    return function (event) {
      event.preventDefault();
      document.querySelectorAll("input.pick").forEach(function (box) { box.checked = on; });
    };
  }
  var all = document.getElementById("select-all");
  var none = document.getElementById("select-none");
  if (all) { all.addEventListener("click", tick(true)); }
  if (none) { none.addEventListener("click", tick(false)); }
})();
