// The estate map: assets by kind and owner (or ranked opportunities) over the need of the
// place's neighbourhoods. An external file so the Content Security Policy needs no inline
// script; the map, the need layer and the colours (read from the CSS classes the legends use)
// come from web/maps.js. The page's table lists the same assets for anyone who cannot use it.
(function () {
  "use strict";
  var el = document.getElementById("estate-map");
  var maps = window.Placeworks && window.Placeworks.maps;
  if (!el || !maps) {
    return;
  }
  var say = maps.statusLine();
  var text = maps.text;
  function colourForKind(kind) {
    return maps.colourOf("pw-kind--" + kind);
  }

  var map = maps.create(el);

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

  // Neighbourhoods coloured by need, behind the assets.
  var areasReady = maps.loadNeed(map, el, {
    fillOpacity: 0.55,
    onError: function (error) {
      say("Area boundaries could not be loaded: " + error.message);
    },
  });

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
    work = maps.getJSON(el.dataset.opportunitiesUrl).then(showOpportunities);
  } else if (el.dataset.assetsUrl) {
    work = maps.getJSON(el.dataset.assetsUrl).then(showAssets);
  } else {
    work = Promise.resolve(null);
  }
  Promise.all([work, areasReady]).then(
    function (layers) {
      var markers = layers[0];
      var fitOptions = { padding: [20, 20], maxZoom: 16 };
      if (markers && markers.getLayers().length) {
        maps.fit(map, [markers], fitOptions);
      } else {
        maps.fit(map, [layers[1]], fitOptions);
      }
      el.setAttribute("data-ready", "true");
    },
    function (error) {
      say("The map could not be loaded: " + error.message);
      el.setAttribute("data-ready", "error");
    }
  );
})();
