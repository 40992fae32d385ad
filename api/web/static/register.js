// Progressive enhancement of the registration form (templates/register.html): keeps a draft of what the
// worker typed in the phone's own storage, so a reload, a dropped connection or a closed tab loses
// nothing. The form works without this script. The draft never holds the ID number or the SMS code, is
// restored only into a form the server sent empty, and is cleared once the card page confirms
// the registration.
(function () {
  var KEY = 'lingong-register-draft';
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  if (!store) { return; }
  if (document.querySelector('[data-clear-draft]')) { store.removeItem(KEY); }
  var form = document.getElementById('profile-form');
  if (!form || form.getAttribute('data-draft') !== '1') { return; }
  var skip = { id_number: 1, id_sealed: 1, csrf: 1, code: 1 };

  function save() {
    var d = {}, els = form.elements;
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (!el.name || skip[el.name]) { continue; }
      if (el.type === 'checkbox') {
        d[el.name] = d[el.name] || [];
        if (el.checked) { d[el.name].push(el.value); }
      } else {
        d[el.name] = el.value;
      }
    }
    try { store.setItem(KEY, JSON.stringify(d)); } catch (e) { /* storage full or private mode */ }
  }

  function restore() {
    var d;
    try { d = JSON.parse(store.getItem(KEY) || 'null'); } catch (e) { d = null; }
    if (!d) { return; }
    var els = form.elements;
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (!el.name || skip[el.name] || !(el.name in d)) { continue; }
      if (el.type === 'checkbox') { el.checked = d[el.name].indexOf(el.value) >= 0; }
      else { el.value = d[el.name]; }
    }
  }

  if (form.getAttribute('data-fresh') === '1') { restore(); }
  form.addEventListener('input', save);
  form.addEventListener('change', save);
})();
