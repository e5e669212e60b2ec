// The indicator map: areas coloured by decile, from the API's GeoJSON layer. An external file
// so the Content Security Policy needs no inline script; colours come from the same CSS
// classes as the legend. The page's table lists the same values for anyone not using the map.
(function () {
  "use strict";
  var el = document.getElementById("evidence-map");
  if (!el || typeof L === "undefined") {
    return;
  }
  var statusLine = document.getElementById("map-status");
  function say(text) {
    if (statusLine) {
      statusLine.textContent = text;
    }
  }
  var probe = document.createElement("span");
  probe.className = "pw-probe";
  document.body.appendChild(probe);
  var colours = {};
  function colourOf(shade) {
    if (!colours[shade]) {
      probe.className = "pw-probe pw-decile--" + shade;
      colours[shade] = window.getComputedStyle(probe).backgroundColor;
    }
    return colours[shade];
  }
  var map = L.map(el, { zoomSnap: 0.5 });
  map.setView([53.05, -1.35], 9);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, {
      attribution: el.dataset.tileAttribution || "",
      maxZoom: 19,
    }).addTo(map);
  }
  function popup(properties) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.className = "govuk-link";
    link.textContent = properties.name;
    box.appendChild(link);
    var line = document.createElement("div");
    var value = properties.value === null ? "no value" : String(Math.round(properties.value * 1000) / 1000);
    line.textContent = "Value " + value + (properties.decile ? " · class " + properties.decile : "");
    box.appendChild(line);
    return box;
  }
  say("Loading the map…");
  fetch(el.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("the map data answered " + response.status);
      }
      return response.json();
    })
    .then(function (collection) {
      var layer = L.geoJSON(collection, {
        style: function (feature) {
          var shade = feature.properties.shade;
          return {
            color: "#505a5f",
            weight: 0.6,
            fillOpacity: shade ? 0.8 : 0.1,
            fillColor: shade ? colourOf(shade) : "#ffffff",
          };
        },
        onEachFeature: function (feature, featureLayer) {
          featureLayer.bindPopup(function () {
            return popup(feature.properties);
          });
        },
      }).addTo(map);
      if (collection.features.length) {
        map.fitBounds(layer.getBounds(), { padding: [10, 10] });
      }
      say(collection.features.length + " areas shown.");
    })
    .catch(function (error) {
      say("The map could not be loaded (" + error.message + "); the table below has the values.");
    });
})();
