// The village field suggests the villages of the chosen town: the page comes with those of the town
// already chosen; choosing another town loads the list from GET /api/v1/places (once) and swaps them.
// Used by the registration form and the station desk. Without this script the field is a plain text box the server checks against the town.
(function () {
  var place = document.getElementById('place');
  var list = document.getElementById('village-list');
  if (!place || !list || !window.fetch) { return; }
  var places = null;
  function fill() {
    var parts = place.value.split('/');
    list.innerHTML = '';
    (places || []).forEach(function (d) {
      if (d.name !== parts[0]) { return; }
      d.towns.forEach(function (t) {
        if (t.name !== parts[1]) { return; }
        t.villages.forEach(function (v) {
          var o = document.createElement('option');
          o.value = v.name;
          list.appendChild(o);
        });
      });
    });
  }
  place.addEventListener('change', function () {
    if (places) { fill(); return; }
    fetch('/api/v1/places').then(function (r) { return r.json(); })
      .then(function (body) { places = body.districts; fill(); })
      .catch(function () { /* offline: the box still takes a typed name */ });
  });
})();
