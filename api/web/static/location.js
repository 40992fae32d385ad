// "用手机定位" on the registration and profile pages (templates/register.html). The box is hidden in the
// page and shown here only when the phone can locate itself, so without script the form is the town
// picker alone. Nothing is read before the worker ticks the consent box and presses the button, and the
// position is snapped to 0.001° (~100 m) here already; the server snaps it again before storing it.
(function () {
  var box = document.getElementById('location-box');
  if (!box || !navigator.geolocation) { return; }
  box.hidden = false;
  var consent = document.getElementById('share_location');
  var btn = document.getElementById('locate-btn');
  var lat = document.getElementById('loc_lat');
  var lng = document.getElementById('loc_lng');
  var status = document.getElementById('loc-status');
  function snap(v) { return (Math.round(v * 1000) / 1000).toFixed(3); }
  function locate() {
    if (!consent.checked) { consent.checked = true; }
    status.textContent = '正在定位……';
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = snap(pos.coords.latitude);
      lng.value = snap(pos.coords.longitude);
      status.textContent = '已取到手机位置（约 100 米），保存后按它算距离。';
    }, function () {
      status.textContent = '没有取到位置：请在手机设置里允许本网页定位，或不勾选，只按乡镇算。';
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
  }
  btn.addEventListener('click', locate);
  consent.addEventListener('change', function () {
    if (consent.checked && !lat.value) { locate(); }
    if (!consent.checked) { lat.value = ''; lng.value = ''; status.textContent = ''; }
  });
})();
