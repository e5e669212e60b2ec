// The estate map: assets by kind and owner (or ranked opportunities) over the need of the
// place's neighbourhoods. An external file so the Content Security Policy needs no inline
// script; colours come from the CSS classes the legend uses. The page's table lists the same
// assets for anyone who cannot use the map.
(function () {
  "use strict";
  var el = document.getElementById("estate-map");
  if (!el || typeof L === "undefined") {
    return;
  }
  var statusLine = document.getElementById("map-status");
  function say(text) {
    if (statusLine) {
      statusLine.textContent = text;
    }
  }

  // Colours read from CSS classes (one source for legend and map).
  var probe = document.createElement("span");
  probe.className = "pw-probe";
  document.body.appendChild(probe);
  function colourOf(className) {
    probe.className = "pw-probe " + className;
    return window.getComputedStyle(probe).backgroundColor;
  }
  var kindColour = {};
  function colourForKind(kind) {
    if (!kindColour[kind]) {
      kindColour[kind] = colourOf("pw-kind--" + kind);
    }
    return kindColour[kind];
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
  var boundsLayers = [];

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
    link.href = "/assets/" + p.id + "/";
    link.textContent = p.name;
    link.className = "govuk-link";
    box.appendChild(link);
    box.appendChild(text("div", p.kind_label + " · " + p.owner_name));
    box.appendChild(text("div", "Status: " + p.status_label));
    if (p.is_sample) {
      box.appendChild(text("strong", "Sample data", "govuk-tag govuk-tag--yellow"));
    }
    return box;
  }

  // --- need choropleth -------------------------------------------------------------------
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

  function needByCode(data) {
    var found = {};
    var items = data && (data.features || data.results || data.areas || data);
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

  function drawBoundaries(geojson, need) {
    var layer = L.geoJSON(geojson, {
      style: function (feature) {
        var decile = need ? need[feature.properties.code] : null;
        return {
          color: "#505a5f",
          weight: 0.6,
          fillColor: decile ? needColour[decile] : "#ffffff",
          fillOpacity: decile ? 0.55 : 0.05,
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
    layer.bringToBack();
    boundsLayers.push(layer);
    return layer;
  }

  var areasReady = Promise.resolve(null);
  if (el.dataset.boundariesUrl) {
    var needPromise = el.dataset.needUrl
      ? getJSON(el.dataset.needUrl).then(needByCode, function () {
          return null;
        })
      : Promise.resolve(null);
    areasReady = Promise.all([getJSON(el.dataset.boundariesUrl), needPromise]).then(
      function (results) {
        return drawBoundaries(results[0], results[1]);
      },
      function (error) {
        say("Area boundaries could not be loaded: " + error.message);
        return null;
      }
    );
  }

  function fit(layers) {
    var bounds = null;
    layers.forEach(function (layer) {
      if (layer && layer.getBounds) {
        var b = layer.getBounds();
        if (b.isValid()) {
          bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
        }
      }
    });
    if (bounds) {
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
    }
  }

  // --- assets by kind and owner -------------------------------------------------------------
  function showAssets(collection) {
    var features = collection.features || [];
    var markers = L.featureGroup().addTo(map);
    var kinds = {};
    var owners = {};
    features.forEach(function (f) {
      var p = f.properties;
      kinds[p.kind] = kinds[p.kind] || { label: p.kind_label, count: 0 };
      kinds[p.kind].count += 1;
      owners[p.owner_id] = owners[p.owner_id] || {
        name: p.owner_name,
        sector: p.owner_sector || "Other",
        count: 0,
      };
      owners[p.owner_id].count += 1;
    });
    // Each owner gets its own layer, except in sectors of many small owners (schools, GP
    // practices), whose owners of one or two assets are grouped by sector.
    var ownersInSector = {};
    Object.keys(owners).forEach(function (id) {
      ownersInSector[owners[id].sector] = (ownersInSector[owners[id].sector] || 0) + 1;
    });
    var ownerGroup = {};
    var groups = {};
    Object.keys(owners).forEach(function (id) {
      var o = owners[id];
      var alone = o.count >= 3 || ownersInSector[o.sector] <= 8;
      var key = alone ? "owner:" + id : "sector:" + o.sector;
      ownerGroup[id] = key;
      if (!groups[key]) {
        groups[key] = { label: alone ? o.name : "Other: " + o.sector, count: 0, owners: 0 };
      }
      groups[key].count += o.count;
      groups[key].owners += 1;
    });
    var shownKinds = {};
    var shownGroups = {};
    Object.keys(kinds).forEach(function (k) {
      shownKinds[k] = true;
    });
    Object.keys(groups).forEach(function (g) {
      shownGroups[g] = true;
    });

    function redraw() {
      markers.clearLayers();
      var shown = 0;
      features.forEach(function (f) {
        var p = f.properties;
        if (!shownKinds[p.kind] || !shownGroups[ownerGroup[p.owner_id]]) {
          return;
        }
        var c = f.geometry.coordinates;
        L.circleMarker([c[1], c[0]], {
          radius: p.is_sample ? 7 : 5,
          color: p.is_sample ? "#0b0c0c" : "#ffffff",
          weight: p.is_sample ? 2 : 1,
          fillColor: colourForKind(p.kind),
          fillOpacity: 0.9,
          className: "pw-marker pw-marker--" + p.kind,
        })
          .bindPopup(popupFor(p))
          .bindTooltip(p.name)
          .addTo(markers);
        shown += 1;
      });
      say(shown + " of " + features.length + " assets shown on the map.");
    }

    function control(name, entries, state, title) {
      var overlays = {};
      var byLayer = [];
      Object.keys(entries)
        .sort(function (a, b) {
          return entries[b].count - entries[a].count;
        })
        .forEach(function (key) {
          var dummy = L.layerGroup().addTo(map);
          var label = document.createElement("span");
          label.textContent = entries[key].label + " (" + entries[key].count + ")";
          overlays[label.outerHTML] = dummy;
          byLayer.push([dummy, key]);
        });
      var ctl = L.control.layers(null, overlays, { collapsed: true }).addTo(map);
      var container = ctl.getContainer();
      container.classList.add("pw-layers--" + name);
      var toggle = container.querySelector(".leaflet-control-layers-toggle");
      if (toggle) {
        toggle.setAttribute("title", title);
        toggle.setAttribute("aria-label", title);
        toggle.textContent = name === "kinds" ? "Kinds" : "Owners";
      }
      var list = container.querySelector(".leaflet-control-layers-list");
      if (list) {
        list.insertBefore(text("strong", title), list.firstChild);
      }
      map.on("overlayadd overlayremove", function (event) {
        byLayer.forEach(function (pair) {
          if (pair[0] === event.layer) {
            state[pair[1]] = event.type === "overlayadd";
            redraw();
          }
        });
      });
    }

    var kindEntries = {};
    Object.keys(kinds).forEach(function (k) {
      kindEntries[k] = { label: kinds[k].label, count: kinds[k].count };
    });
    control("kinds", kindEntries, shownKinds, "Show or hide kinds of asset");
    control("owners", groups, shownGroups, "Show or hide owners");
    redraw();
    return markers;
  }

  // --- opportunities ------------------------------------------------------------------------
  function showOpportunities(data) {
    var group = L.featureGroup().addTo(map);
    var results = data.results || [];
    results.forEach(function (o) {
      var anchor = o.assets[0];
      L.circle([anchor.lat, anchor.lon], {
        radius: o.distance_m,
        color: "#1d70b8",
        weight: 1,
        dashArray: "4 4",
        fillOpacity: 0.04,
        interactive: false,
      }).addTo(group);
      o.assets.forEach(function (a) {
        var box = document.createElement("div");
        box.appendChild(text("strong", o.rank + ". " + o.title));
        box.appendChild(text("div", a.name + " — " + a.owner_name));
        if (a.reasons.length) {
          box.appendChild(text("div", a.reasons.join(", ")));
        }
        L.circleMarker([a.lat, a.lon], {
          radius: a.is_anchor ? 8 : 5,
          color: "#0b0c0c",
          weight: a.is_anchor ? 2 : 1,
          fillColor: colourForKind(a.kind),
          fillOpacity: 0.9,
          className: "pw-marker pw-marker--" + a.kind,
        })
          .bindPopup(box)
          .addTo(group);
      });
      L.marker([anchor.lat, anchor.lon], {
        icon: L.divIcon({ className: "pw-rank-label", html: "", iconSize: [0, 0] }),
        interactive: false,
      })
        .bindTooltip(String(o.rank), { permanent: true, direction: "top", offset: [0, -8] })
        .addTo(group);
    });
    say(results.length + " opportunities shown on the map.");
    return group;
  }

  var work;
  if (el.dataset.opportunitiesUrl) {
    work = getJSON(el.dataset.opportunitiesUrl).then(showOpportunities);
  } else if (el.dataset.assetsUrl) {
    work = getJSON(el.dataset.assetsUrl).then(showAssets);
  } else {
    work = Promise.resolve(null);
  }
  Promise.all([work, areasReady]).then(
    function (layers) {
      var markers = layers[0];
      if (markers && markers.getLayers().length) {
        fit([markers]);
      } else {
        fit(boundsLayers);
      }
      el.setAttribute("data-ready", "true");
    },
    function (error) {
      say("The map could not be loaded: " + error.message);
      el.setAttribute("data-ready", "error");
    }
  );
})();
