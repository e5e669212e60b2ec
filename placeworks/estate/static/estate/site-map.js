// A small map of one asset: its point and, when recorded, its site boundary (the map itself
// and its base tiles from web/maps.js).
(function () {
  "use strict";
  var el = document.getElementById("estate-map");
  var maps = window.Placeworks && window.Placeworks.maps;
  if (!el || !maps) {
    return;
  }
  var lat = parseFloat(el.dataset.lat);
  var lon = parseFloat(el.dataset.lon);
  var map = maps.create(el, { zoomSnap: 1, center: [lat, lon], zoom: 15 });
  L.circleMarker([lat, lon], { radius: 8, color: "#0b0c0c", weight: 2, fillColor: "#1d70b8", fillOpacity: 0.9 })
    .bindTooltip(el.dataset.name || "")
    .addTo(map);
  if (el.dataset.boundary) {
    try {
      var boundary = L.geoJSON(JSON.parse(el.dataset.boundary), {
        style: { color: "#1d70b8", weight: 2, fillOpacity: 0.1 },
      }).addTo(map);
      map.fitBounds(boundary.getBounds(), { padding: [20, 20], maxZoom: 18 });
    } catch (error) {
      // A malformed boundary leaves the point on its own.
    }
  }
  el.setAttribute("data-ready", "true");
})();
