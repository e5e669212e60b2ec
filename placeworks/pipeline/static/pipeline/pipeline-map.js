// The pipeline map: projects as markers coloured by stage, over the need of the place's
// neighbourhoods when the places and evidence apps provide it. An external file so the Content
// Security Policy needs no inline script; colours come from the legend's CSS classes. The table
// on the page lists the same projects for anyone who cannot use the map.
(function () {
  "use strict";
  var el = document.getElementById("pipeline-map");
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
  document.body.appendChild(probe);
  function colourOf(className) {
    probe.className = "pw-probe " + className;
    return window.getComputedStyle(probe).backgroundColor;
  }
  var stageColour = {};
  function colourForStage(stage) {
    if (!stageColour[stage]) {
      stageColour[stage] = colourOf("pw-stage--" + stage);
    }
    return stageColour[stage];
  }
  var needColour = {};
  for (var d = 1; d <= 10; d++) {
    needColour[d] = colourOf("pw-need--" + d);
  }

  var map = L.map(el, { zoomSnap: 0.5 });
  map.setView([53.05, -1.35], 9);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, {
      attribution: el.dataset.tileAttribution || "",
      maxZoom: 19,
    }).addTo(map);
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
      function (response) {
        if (!response.ok) {
          throw new Error(url + " answered " + response.status);
        }
        return response.json();
      }
    );
  }

  function text(tag, content, className) {
    var node = document.createElement(tag);
    node.textContent = content;
    if (className) {
      node.className = className;
    }
    return node;
  }

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

  function needByCode(data) {
    var found = {};
    var items = data && (data.areas || data.results || data.features || data);
    if (items && typeof items === "object" && !Array.isArray(items)) {
      Object.keys(items).forEach(function (code) {
        var entry = items[code];
        var decile = entry && (entry.decile || (typeof entry.value === "number"
          ? Math.min(10, Math.max(1, Math.ceil((1 - entry.value) * 10 + 1e-9))) : null));
        found[code] = decile || null;
      });
    } else if (Array.isArray(items)) {
      items.forEach(function (item) {
        var props = item.properties || item;
        if (props.code) {
          found[props.code] = props.decile || null;
        }
      });
    }
    return found;
  }

  var layers = [];
  var areasReady = Promise.resolve(null);
  if (el.dataset.boundariesUrl) {
    var needPromise = el.dataset.needUrl
      ? getJSON(el.dataset.needUrl).then(needByCode, function () {
          return null;
        })
      : Promise.resolve(null);
    areasReady = Promise.all([getJSON(el.dataset.boundariesUrl), needPromise]).then(
      function (results) {
        var need = results[1];
        var layer = L.geoJSON(results[0], {
          style: function (feature) {
            var decile = need ? need[feature.properties.code] : null;
            return {
              color: "#505a5f",
              weight: 0.6,
              fillColor: decile ? needColour[decile] : "#ffffff",
              fillOpacity: decile ? 0.5 : 0.05,
            };
          },
          onEachFeature: function (feature, shape) {
            var props = feature.properties || {};
            var decile = need ? need[props.code] : null;
            shape.bindTooltip(
              (props.name || props.code || "") + (decile ? " — need decile " + decile : ""),
              { sticky: true }
            );
          },
        }).addTo(map);
        layers.push(layer);
        return layer;
      },
      function () {
        return null;
      }
    );
  }

  var projectsReady = getJSON(el.dataset.projectsUrl).then(function (collection) {
    var features = (collection.features || []).filter(function (f) {
      return f.geometry;
    });
    var layer = L.geoJSON(
      { type: "FeatureCollection", features: features },
      {
        pointToLayer: function (feature, latlng) {
          var colour = colourForStage(feature.properties.stage_code);
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
    layers.push(layer);
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
    .then(function () {
      var bounds = null;
      layers.forEach(function (layer) {
        var b = layer.getBounds && layer.getBounds();
        if (b && b.isValid()) {
          bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
        }
      });
      if (bounds) {
        map.fitBounds(bounds.pad(0.1), { maxZoom: 13, animate: false });
      }
    })
    .catch(function (error) {
      say("The map could not be loaded: " + error.message + ". The table below lists the projects.");
    })
    .finally(function () {
      el.dataset.ready = "true";
    });
})();
