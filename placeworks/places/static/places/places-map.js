// Maps of places: a place with the areas inside it, or a choropleth of one type of area.
// An external file so the Content Security Policy needs no inline script. Each map element
// lists its GeoJSON layers (from the areas API) in data attributes; colours come from the CSS
// classes the legend uses, read through web/maps.js. Every map has a table or list beside it
// with the same areas.
(function () {
  "use strict";
  var maps = window.Placeworks && window.Placeworks.maps;
  if (!maps) {
    return;
  }
  var BUCKETS = [6, 9, 12];

  function bucketFor(zoom) {
    var chosen = BUCKETS[0];
    BUCKETS.forEach(function (b) {
      if (zoom >= b) {
        chosen = b;
      }
    });
    return chosen;
  }

  function parse(text, fallback) {
    try {
      return text ? JSON.parse(text) : fallback;
    } catch (e) {
      return fallback;
    }
  }

  function withZoom(url, zoom) {
    return url + (url.indexOf("?") >= 0 ? "&" : "?") + "zoom=" + zoom;
  }

  function formatNumber(value, measure) {
    if (value === null || value === undefined) {
      return "no figure";
    }
    if (measure === "density") {
      return value.toFixed(1) + " people per hectare";
    }
    return Math.round(value).toLocaleString("en-GB") + " people";
  }

  function setup(el) {
    var layers = parse(el.dataset.layers, []);
    var bbox = parse(el.dataset.bbox, null);
    var breaks = parse(el.dataset.breaks, []);
    var measure = el.dataset.measure || "";
    var say = maps.statusLine();

    // Without tiles there is nothing to attribute. A bounding box sets the first view (no
    // default view before it), so the first layers are fetched for the zoom that fits it.
    var options = { attributionControl: !!el.dataset.tileUrl, zoom: 8 };
    if (bbox) {
      options.center = null;
    }
    var map = maps.create(el, options);
    if (bbox) {
      map.fitBounds(
        [
          [bbox[1], bbox[0]],
          [bbox[3], bbox[2]],
        ],
        { padding: [8, 8] }
      );
    }

    var colours = breaks.map(function (_, i) {
      return maps.colourOf("pw-choro--" + i);
    });
    var noData = maps.colourOf("pw-choro--none");
    var childFill = maps.colourOf("pw-children-fill");
    var outlineStroke = maps.colourOf("pw-outline-stroke");

    function classOf(value) {
      if (value === null || value === undefined) {
        return null;
      }
      for (var i = 0; i < breaks.length; i++) {
        if (value <= breaks[i]) {
          return i;
        }
      }
      return breaks.length ? breaks.length - 1 : null;
    }

    function styleFor(role) {
      return function (feature) {
        if (role === "outline") {
          return { color: outlineStroke, weight: 3, fill: false };
        }
        if (role === "choropleth") {
          var value = feature.properties[measure === "density" ? "density" : "population"];
          var k = classOf(value);
          return {
            color: "#505a5f",
            weight: 0.3,
            opacity: 0.7,
            fillColor: k === null ? noData : colours[k],
            fillOpacity: 0.9,
          };
        }
        return { color: "#1d70b8", weight: 1, fillColor: childFill, fillOpacity: 0.25 };
      };
    }

    function describe(feature) {
      var p = feature.properties;
      var text = p.name + " (" + p.code + ")";
      if (measure) {
        text += ": " + formatNumber(measure === "density" ? p.density : p.population, measure);
      }
      return text;
    }

    var drawn = {};
    var loadedBucket = {};
    var anyBounds = null;

    function draw(layer, index, zoom) {
      var bucket = bucketFor(zoom);
      if (loadedBucket[index] === bucket) {
        return Promise.resolve();
      }
      loadedBucket[index] = bucket;
      return maps.getJSON(withZoom(layer.url, bucket), "application/geo+json").then(function (data) {
        if (drawn[index]) {
          map.removeLayer(drawn[index]);
        }
        var geo = L.geoJSON(data, {
          style: styleFor(layer.role),
          interactive: layer.role !== "outline",
          onEachFeature: function (feature, item) {
            if (layer.role === "outline") {
              return;
            }
            item.bindTooltip(describe(feature), { sticky: true, className: "pw-tooltip" });
            item.on("click", function () {
              window.location.href = feature.properties.url;
            });
            item.on("mouseover", function () {
              item.setStyle({ weight: 3, opacity: 1 });
            });
            item.on("mouseout", function () {
              geo.resetStyle(item);
            });
          },
        }).addTo(map);
        if (layer.role === "outline") {
          geo.bringToFront();
        } else {
          geo.bringToBack();
        }
        drawn[index] = geo;
        var count = data.features ? data.features.length : 0;
        if (count && !bbox) {
          var b = geo.getBounds();
          anyBounds = anyBounds ? anyBounds.extend(b) : b;
        }
        el.dataset[layer.role + "Count"] = String(count);
        return count;
      });
    }

    function drawAll() {
      var zoom = map.getZoom();
      return Promise.all(
        layers.map(function (layer, index) {
          return draw(layer, index, zoom);
        })
      );
    }

    drawAll()
      .then(function (counts) {
        if (!bbox && anyBounds) {
          map.fitBounds(anyBounds, { padding: [8, 8] });
        }
        var total = (counts || []).reduce(function (a, b) {
          return a + (b || 0);
        }, 0);
        el.dataset.loaded = "true";
        say(
          total
            ? "Map drawn: " +
                total.toLocaleString("en-GB") +
                " area" +
                (total === 1 ? "" : "s") +
                ". Select an area to open it."
            : "No boundaries to draw."
        );
      })
      .catch(function (err) {
        el.dataset.loaded = "error";
        say("The map could not be drawn (" + err.message + "); the table lists the same areas.");
      });

    map.on("zoomend", function () {
      drawAll().catch(function () {});
    });
  }

  var elements = document.querySelectorAll(".pw-places-map");
  for (var i = 0; i < elements.length; i++) {
    setup(elements[i]);
  }
})();
