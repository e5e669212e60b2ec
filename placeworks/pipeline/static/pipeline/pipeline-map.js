// The pipeline map: projects as markers coloured by stage, over the need of the place's
// neighbourhoods when the places and evidence apps provide it. An external file so the Content
// Security Policy needs no inline script; the map, the need layer and the colours (read from the
// legend's CSS classes) come from web/maps.js. The table on the page lists the same projects
// for anyone who cannot use the map.
(function () {
  "use strict";
  var el = document.getElementById("pipeline-map");
  var maps = window.Placeworks && window.Placeworks.maps;
  if (!el || !maps) {
    return;
  }
  var say = maps.statusLine();
  var text = maps.text;
  var map = maps.create(el);

  function popupFor(p) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = p.url;
    link.className = "govuk-link";
    link.textContent = p.title;
    box.appendChild(link);
    box.appendChild(text("div", p.lead + " · " + p.stage));
    if (p.score !== null && p.score !== undefined) {
      box.appendChild(
        text("div", "Score " + p.score + (p.rank ? " (rank " + p.rank + ")" : " (not ranked)"))
      );
    }
    if (p.sample === true || p.sample === "yes") {
      box.appendChild(text("strong", "Sample data", "govuk-tag govuk-tag--yellow"));
    }
    return box;
  }

  // Neighbourhoods coloured by need, when the places and evidence apps provide them.
  var areasReady = maps.loadNeed(map, el);

  var projectsReady = maps.getJSON(el.dataset.projectsUrl).then(function (collection) {
    var features = (collection.features || []).filter(function (f) {
      return f.geometry;
    });
    var layer = L.geoJSON(
      { type: "FeatureCollection", features: features },
      {
        pointToLayer: function (feature, latlng) {
          var colour = maps.colourOf("pw-stage--" + feature.properties.stage_code);
          return L.circleMarker(latlng, {
            radius: 9,
            color: "#0b0c0c",
            weight: 1.5,
            fillColor: colour,
            fillOpacity: 0.9,
            className: "pw-marker",
          });
        },
        onEachFeature: function (feature, marker) {
          marker.bindPopup(popupFor(feature.properties));
          marker.bindTooltip(feature.properties.title);
        },
      }
    ).addTo(map);
    var total = (collection.features || []).length;
    say(
      features.length +
        " of " +
        total +
        " project" +
        (total === 1 ? "" : "s") +
        " shown on the map" +
        (total > features.length ? " (the others have no location)." : ".")
    );
    return layer;
  });

  Promise.all([areasReady, projectsReady])
    .then(function (layers) {
      maps.fit(map, layers, { maxZoom: 13, animate: false }, 0.1);
    })
    .catch(function (error) {
      say("The map could not be loaded: " + error.message + ". The table below lists the projects.");
    })
    .finally(function () {
      el.dataset.ready = "true";
    });
})();
