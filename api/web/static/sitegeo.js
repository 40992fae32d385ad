// "分享位置" on the check-in page /a/{code} (templates/attendance.html). The box is hidden in the page and
// shown here only when the phone can locate itself; without script the page checks in without a
// location. Nothing is read before the worker ticks the consent box; the server uses the point once to
// compute the distance from the site and keeps only that distance.
(function () {
  var box = document.getElementById('geo-box');
  if (!box || !navigator.geolocation) { return; }
  box.hidden = false;
  var consent = document.getElementById('share_location');
  var lat = document.getElementById('lat');
  var lng = document.getElementById('lng');
  var status = document.getElementById('geo-status');
  consent.addEventListener('change', function () {
    lat.value = ''; lng.value = ''; status.textContent = '';
    if (!consent.checked) { return; }
    status.textContent = '正在定位……';
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(5);
      lng.value = pos.coords.longitude.toFixed(5);
      status.textContent = '已取到位置，只用来算离工地多远。';
    }, function () {
      consent.checked = false;
      status.textContent = '没有取到位置，不分享也能签到。';
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
