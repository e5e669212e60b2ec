// The pieces every Placeworks map shares, as window.Placeworks.maps: a Leaflet map made from its
// container's data attributes (base tiles and their attribution come from the MAP_TILE_URL and
// MAP_TILE_ATTRIBUTION settings through data-tile-url and data-tile-attribution), JSON fetched
// with one error shape, colours read from CSS classes (so a legend and its map always agree),
// the need-decile choropleth of a place's neighbourhoods, and fitting the view to what is drawn.
// Load it after leaflet.js and before the page's own map script. An external file so the Content
// Security Policy needs no inline script; every map keeps a table or list with the same facts.
(function () {
  "use strict";
  if (typeof L === "undefined") {
    return;
  }
  var DEFAULT_CENTER = [53.05, -1.35];

  // A Leaflet map in `el`, with the base tiles its data attributes name (none: boundaries only,
  // which works offline). `options` are Leaflet map options; the view starts over the East
  // Midlands until the caller fits it to what it draws (`center: null`: no first view, for a
  // caller that sets one at once).
  function create(el, options) {
    var settings = { zoomSnap: 0.5, center: DEFAULT_CENTER, zoom: 9 };
    Object.keys(options || {}).forEach(function (key) {
      settings[key] = options[key];
    });
    var map = L.map(el, settings);
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, {
        attribution: el.dataset.tileAttribution || "",
        maxZoom: 19,
      }).addTo(map);
    }
    return map;
  }

  // A function that writes to the page's live status line (by default #map-status).
  function statusLine(id) {
    var node = document.getElementById(id || "map-status");
    return function (text) {
      if (node) {
        node.textContent = text;
      }
    };
  }

  // JSON from our own API, rejected with "<url> answered <status>" when it is not 2xx.
  function getJSON(url, accept) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: accept || "application/json" },
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(url + " answered " + response.status);
      }
      return response.json();
    });
  }

  // An element holding plain text (popups are built from nodes, never from HTML strings).
  function text(tag, content, className) {
    var node = document.createElement(tag);
    node.textContent = content;
    if (className) {
      node.className = className;
    }
    return node;
  }

  // The background colour a CSS class gives, read from a hidden probe element.
  var probe = null;
  var colours = {};
  function colourOf(className) {
    if (!(className in colours)) {
      if (!probe) {
        probe = document.createElement("span");
        document.body.appendChild(probe);
      }
      probe.className = "pw-probe " + className;
      colours[className] = window.getComputedStyle(probe).backgroundColor;
    }
    return colours[className];
  }

  // --- need deciles (1 = the highest-need tenth of the neighbourhoods compared) ---------------
  function decileOf(entry) {
    if (entry === null || entry === undefined) {
      return null;
    }
    if (typeof entry === "number") {
      return entry;
    }
    var decile = entry.decile || entry.imd_decile || (entry.properties && entry.properties.decile);
    if (!decile && typeof entry.value === "number") {
      decile = Math.min(10, Math.max(1, Math.ceil((1 - entry.value) * 10 + 1e-9)));
    }
    return decile || null;
  }

  // {area code: decile} from the need API ({"areas": {code: {value, decile}}}), or from a list
  // or GeoJSON collection of areas with a code and a decile.
  function needByCode(data) {
    var found = {};
    var items = data && (data.areas || data.results || data.features || data);
    if (Array.isArray(items)) {
      items.forEach(function (item) {
        var props = item.properties || item;
        if (props.code) {
          found[props.code] = decileOf(props);
        }
      });
    } else if (items && typeof items === "object") {
      Object.keys(items).forEach(function (code) {
        found[code] = decileOf(items[code]);
      });
    }
    return found;
  }

  // Boundaries filled by need decile (classes pw-need--1 … pw-need--10), each named in a tooltip.
  function needLayer(geojson, need, fillOpacity) {
    return L.geoJSON(geojson, {
      style: function (feature) {
        var decile = need ? need[feature.properties.code] : null;
        return {
          color: "#505a5f",
          weight: 0.6,
          fillColor: decile ? colourOf("pw-need--" + decile) : "#ffffff",
          fillOpacity: decile ? fillOpacity || 0.5 : 0.05,
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
    });
  }

  // The need layer named by the map's data-boundaries-url and data-need-url, drawn behind
  // everything else. Resolves to the layer, or to null when there are no boundaries or they
  // fail (passed to `onError`); missing need leaves the boundaries uncoloured.
  function loadNeed(map, el, options) {
    options = options || {};
    if (!el.dataset.boundariesUrl) {
      return Promise.resolve(null);
    }
    var need = el.dataset.needUrl
      ? getJSON(el.dataset.needUrl).then(needByCode, function () {
          return null;
        })
      : Promise.resolve(null);
    return Promise.all([getJSON(el.dataset.boundariesUrl), need]).then(
      function (results) {
        var layer = needLayer(results[0], results[1], options.fillOpacity).addTo(map);
        layer.bringToBack();
        return layer;
      },
      function (error) {
        if (options.onError) {
          options.onError(error);
        }
        return null;
      }
    );
  }

  // Fit the view to the layers that have a valid extent (none: leave the view alone).
  // `pad` widens the extent by that fraction of itself; `fitOptions` go to fitBounds.
  function fit(map, layers, fitOptions, pad) {
    var bounds = null;
    layers.forEach(function (layer) {
      var b = layer && layer.getBounds && layer.getBounds();
      if (b && b.isValid()) {
        bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
      }
    });
    if (bounds) {
      map.fitBounds(pad ? bounds.pad(pad) : bounds, fitOptions);
    }
    return bounds;
  }

  window.Placeworks = window.Placeworks || {};
  window.Placeworks.maps = {
    create: create,
    statusLine: statusLine,
    getJSON: getJSON,
    text: text,
    colourOf: colourOf,
    decileOf: decileOf,
    needByCode: needByCode,
    needLayer: needLayer,
    loadNeed: loadNeed,
    fit: fit,
  };
})();
