// The web display board for smart TVs: plain JS, no build step.
// Reads the device token from the URL (?token=…), keeps the last event id and resumes from it
// after a reconnect, so no call is missed or shown twice. Numbers only, never names.
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);
  var token = params.get("token") || "";
  var lastId = null;
  var counters = {};   // number -> {number, name, open, current}
  var recent = [];     // latest calls, newest first
  var retry = 1000;
  var CALL_KINDS = { "ticket.called": 1, "ticket.recalled": 1 };

  function $(id) { return document.getElementById(id); }
  function text(el, value) { el.textContent = value == null ? "" : String(value); }

  function tick() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    text($("time"), pad(now.getHours()) + ":" + pad(now.getMinutes()));
    var days = ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];
    text($("date"), days[now.getDay()] + ", " + pad(now.getDate()) + "/" + pad(now.getMonth() + 1) + "/" + now.getFullYear());
  }

  function renderCounters() {
    var list = $("counters");
    list.textContent = "";
    var numbers = Object.keys(counters).map(Number).sort(function (a, b) { return a - b; });
    // Up to 6 counters in one column; more in two or three, so every counter stays on screen.
    var cols = numbers.length > 12 ? 3 : numbers.length > 6 ? 2 : 1;
    var rows = Math.max(5, Math.ceil(numbers.length / cols));
    list.style.setProperty("--cols", cols);
    list.style.setProperty("--rows", rows);
    list.style.setProperty("--scale", Math.min(1, 6 / rows) * (cols > 1 ? 0.85 : 1));
    numbers.forEach(function (n) {
      var c = counters[n];
      var li = document.createElement("li");
      li.className = (c.open === false ? "closed" : "") + (c.current ? " active" : "");
      var name = document.createElement("div"); name.className = "name";
      text(name, "Quầy " + n);
      if (c.name && c.name !== "Quầy " + n) {
        var small = document.createElement("small"); text(small, c.name); name.appendChild(small);
      }
      var num = document.createElement("div"); num.className = "num";
      text(num, c.current ? c.current : "—");
      li.appendChild(name); li.appendChild(num); list.appendChild(li);
    });
  }

  function renderRecent() {
    var list = $("recent");
    list.textContent = "";
    recent.slice(0, 6).forEach(function (r) {
      var li = document.createElement("li");
      text(li, r.number);
      var small = document.createElement("small"); text(small, "→ quầy " + r.counter);
      li.appendChild(small); list.appendChild(li);
    });
  }

  function showLatest(number, counter, flash) {
    text($("latest-number"), number);
    text($("latest-where"), "mời đến quầy số " + counter);
    if (flash) {
      var el = $("latest");
      el.classList.remove("flash"); void el.offsetWidth; el.classList.add("flash");
    }
  }

  function applySnapshot(snap) {
    counters = {};
    (snap.counters || []).forEach(function (c) {
      var info = c.counter || c;
      counters[info.number] = { number: info.number, name: info.name, open: info.open,
        current: c.current ? c.current.display_number : null };
    });
    recent = (snap.last_calls || []).map(function (e) {
      return { number: e.ticket ? e.ticket.display_number : "", counter: e.counter_number };
    });
    // No call yet (a new day, or a restored backup from before any call): show none, never a
    // call from before the snapshot that the office no longer has.
    if (recent.length) { showLatest(recent[0].number, recent[0].counter, false); }
    else { text($("latest-number"), "—"); text($("latest-where"), "\u00a0"); }
    renderCounters(); renderRecent();
  }

  // The admin changed the office (kiosk/hub/office_routes.py): name, notice and counters now.
  function applyOffice(d) {
    if (d.office_name) { text($("office"), d.office_name); }
    if (d.notice) { text($("notice"), d.notice); }
    if (d.counters) {
      var kept = {};
      d.counters.forEach(function (c) {
        var old = counters[c.number] || {};
        kept[c.number] = { number: c.number, name: c.name, open: old.open !== false,
          current: old.current || null };
      });
      counters = kept;
      renderCounters();
    }
  }

  function applyEvent(e) {
    if (e.kind === "office.changed") { applyOffice(e.details || {}); return; }
    var t = e.ticket || {};
    var n = e.counter_number;
    if (CALL_KINDS[e.kind] && n != null) {
      if (!counters[n]) { counters[n] = { number: n, name: "", open: true, current: null }; }
      counters[n].current = t.display_number;
      recent = [{ number: t.display_number, counter: n }].concat(recent).slice(0, 12);
      showLatest(t.display_number, n, true);
      say(t.display_number, n, e.kind === "ticket.recalled" ? (t.recalls || 1) : 0);
    } else if (n != null && counters[n] && counters[n].current === t.display_number &&
               t.status && t.status !== "called" && t.status !== "serving") {
      counters[n].current = null;
    }
    renderCounters(); renderRecent();
  }

  // The voice (kiosk/hub/voice_routes.py): browsers allow sound only after a gesture, so the
  // board speaks once someone has pressed "Bật âm thanh". Calls are spoken in arrival order,
  // one at a time; each call's audio comes from the hub, rendered in the office's voice.
  var soundOn = false;
  var voiceQueue = [];
  var speaking = false;
  var PAUSE_MS = 600;

  function speakNext() {
    if (speaking || !voiceQueue.length) { return; }
    speaking = true;
    var call = voiceQueue.shift();
    var finished = false;
    var safety = null;
    function done() {
      if (finished) { return; }
      finished = true;
      clearTimeout(safety);
      setTimeout(function () { speaking = false; speakNext(); }, PAUSE_MS);
    }
    var url = "/api/voice/call.wav?number=" + encodeURIComponent(call.number) +
      "&counter=" + encodeURIComponent(call.counter) + "&recall=" + (call.recall || 0);
    fetch(url, { headers: { "Authorization": "Bearer " + token } })
      .then(function (r) { if (!r.ok) { throw new Error("voice " + r.status); } return r.blob(); })
      .then(function (blob) {
        var audio = new Audio(URL.createObjectURL(blob));
        audio.onended = done;
        audio.onerror = done;
        audio.onloadedmetadata = function () {
          clearTimeout(safety);
          safety = setTimeout(done, (audio.duration || 10) * 1000 + 2000);
        };
        safety = setTimeout(done, 15000);
        var playing = audio.play();
        if (playing && playing.catch) { playing.catch(done); }
      })
      .catch(done);
  }

  function say(number, counter, recall) {
    if (!soundOn || !number || counter == null) { return; }
    voiceQueue.push({ number: number, counter: counter, recall: recall });
    speakNext();
  }

  $("sound").addEventListener("click", function () {
    soundOn = !soundOn;
    if (!soundOn) { voiceQueue = []; }
    $("sound").setAttribute("aria-pressed", soundOn ? "true" : "false");
    text($("sound"), soundOn ? "🔊 Đang bật âm thanh" : "🔈 Bật âm thanh");
  });

  function connect() {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    var url = proto + location.host + "/api/events?token=" + encodeURIComponent(token);
    if (lastId !== null) { url += "&after=" + lastId; }
    var ws = new WebSocket(url);
    ws.onopen = function () { $("offline").hidden = true; retry = 1000; };
    ws.onmessage = function (msg) {
      var data = JSON.parse(msg.data);
      if (data.type === "snapshot") { applySnapshot(data.snapshot); }
      else if (data.type === "event") { applyEvent(data.event); }
      if (data.id != null) { lastId = data.id; }
    };
    ws.onclose = function (event) {
      if (event.code === 4002) {
        // The hub's database was restored: ids seen before mean nothing now. Start over from
        // a snapshot (as the Qt board does), and at once.
        lastId = null;
        retry = 1000;
      }
      $("offline-title").textContent = event.code === 4401
        ? "Bảng hiển thị chưa được cấp quyền"
        : "Mất kết nối với máy chủ văn phòng";
      $("offline").hidden = false;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 15000);
    };
  }

  fetch("/api/health").then(function (r) { return r.json(); }).then(function (h) {
    if (h.office) { text($("office"), h.office); }
    if (h.notice) { text($("notice"), h.notice); }
  }).catch(function () {});
  tick(); setInterval(tick, 1000);
  connect();
})();
