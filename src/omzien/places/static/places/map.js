/* The map of the meeting places (places/map.py): markers from the page's JSON data
   block, each with a link to the place's page, on the tiles when there are any.
   The page is complete without it: the map only shows once it is drawn. */
(function () {
  "use strict";

  var dataBlock = document.getElementById("places-map-data");
  var container = document.getElementById("places-map");
  if (!dataBlock || !container || typeof window.L === "undefined") {
    return;
  }
  var data = JSON.parse(dataBlock.textContent);
  if (!data.places.length) {
    return;
  }
  var section = container.closest("section") || container;
  section.hidden = false;

  // Scrolling the page must not zoom the map: most visitors scroll past it.
  var map = L.map(container, { scrollWheelZoom: false });
  map.attributionControl.setPrefix(false);
  if (data.tiles) {
    L.tileLayer(data.tiles, {
      attribution: data.attribution,
      minZoom: 6,
      maxZoom: 19,
    }).addTo(map);
  }

  function popupFor(place) {
    // Built from DOM nodes, so a name is always text, never markup.
    var popup = document.createElement("div");
    var link = document.createElement("a");
    link.href = place.url;
    link.textContent = place.name;
    popup.appendChild(link);
    var where = document.createElement("div");
    where.textContent = place.village;
    if (typeof place.distance_km === "number") {
      where.textContent += " · " + place.distance_km.toLocaleString(document.documentElement.lang) + " km";
    }
    popup.appendChild(where);
    return popup;
  }

  // Leaflet's own marker, by the image URLs the page names (hashed in production).
  var icon = L.icon({
    iconUrl: data.images.icon,
    iconRetinaUrl: data.images.icon_2x,
    shadowUrl: data.images.shadow,
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    popupAnchor: [1, -34],
    tooltipAnchor: [16, -28],
    shadowSize: [41, 41],
  });

  var points = data.places.map(function (place) {
    var point = [place.lat, place.lon];
    L.marker(point, { icon: icon, title: place.name, alt: place.name, keyboard: true })
      .bindPopup(popupFor(place))
      .addTo(map);
    return point;
  });

  if (data.village) {
    var home = [data.village.lat, data.village.lon];
    L.circleMarker(home, { radius: 8, color: "#1a5fb4", weight: 3, fillOpacity: 0.3 })
      .bindTooltip(data.village.name)
      .addTo(map);
    points.push(home);
  }

  if (points.length === 1) {
    map.setView(points[0], data.zoom);
  } else {
    map.fitBounds(points, { padding: [30, 30], maxZoom: data.zoom });
  }
  container.dataset.markers = String(data.places.length);
})();
