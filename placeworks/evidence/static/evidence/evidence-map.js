// The indicator map: areas coloured by decile, from the API's GeoJSON layer. An external file
// so the Content Security Policy needs no inline script; colours come from the same CSS
// classes as the legend (through web/maps.js). The page's table lists the same values for
// anyone not using the map.
(function () {
  "use strict";
  var el = document.getElementById("evidence-map");
  var maps = window.Placeworks && window.Placeworks.maps;
  if (!el || !maps) {
    return;
  }
  var say = maps.statusLine();
  var map = maps.create(el);
  function popup(properties) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.className = "govuk-link";
    link.textContent = properties.name;
    box.appendChild(link);
    var value = properties.value === null ? "no value" : String(Math.round(properties.value * 1000) / 1000);
    box.appendChild(
      maps.text("div", "Value " + value + (properties.decile ? " · class " + properties.decile : ""))
    );
    return box;
  }
  say("Loading the map…");
  maps
    .getJSON(el.dataset.url)
    .then(function (collection) {
      var layer = L.geoJSON(collection, {
        style: function (feature) {
          var shade = feature.properties.shade;
          return {
            color: "#505a5f",
            weight: 0.6,
            fillOpacity: shade ? 0.8 : 0.1,
            fillColor: shade ? maps.colourOf("pw-decile--" + shade) : "#ffffff",
          };
        },
        onEachFeature: function (feature, featureLayer) {
          featureLayer.bindPopup(function () {
            return popup(feature.properties);
          });
        },
      }).addTo(map);
      maps.fit(map, [layer], { padding: [10, 10] });
      say(collection.features.length + " areas shown.");
    })
    .catch(function (error) {
      say("The map could not be loaded (" + error.message + "); the table below has the values.");
    });
})();
