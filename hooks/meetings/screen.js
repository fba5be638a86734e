// The meeting screen: shows the current check-in QR and renews it before it
// expires. It uses the login of whoever opened it on this computer: staff
// logged in to the admin UI (/_/) or the presidium member chairing the
// meeting, logged in to the PWA; the server gives codes only in the
// meeting's check-in window.
(function () {
  "use strict";
  var meeting = document.currentScript.getAttribute("data-meeting");
  var keys = ["__pb_superusers__/_", "pocketbase_auth"];

  function token() {
    for (var i = 0; i < keys.length; i++) {
      try {
        var v = JSON.parse(localStorage.getItem(keys[i]) || "null");
        if (v && v.token) return v.token;
      } catch (e) { /* not ours */ }
    }
    return "";
  }

  function show(err) {
    document.getElementById("error").textContent = err || "";
  }

  function refresh() {
    var t = token();
    if (!t) {
      show("请先在本机登录管理后台（/_/）或以主席团成员身份登录“智慧人大”，再打开本页。");
      setTimeout(refresh, 5000);
      return;
    }
    fetch("/api/meetings/" + encodeURIComponent(meeting) + "/checkin-code", { headers: { Authorization: t }, cache: "no-store" })
      .then(function (res) {
        return res.json().then(function (body) {
          if (!res.ok) throw new Error(body.message || ("错误 " + res.status));
          return body;
        });
      })
      .then(function (c) {
        show("");
        document.getElementById("qr").src = c.qr_png;
        document.getElementById("title").textContent = c.title + " · 签到";
        document.getElementById("status").textContent = "已签到 " + c.present + " 人 / 应到 " + c.expected + " 人";
        // renew a third of the way before expiry; clamped, because this
        // PC's clock may be minutes or hours off the server's
        setTimeout(refresh, Math.min(60000, Math.max(5000, (Date.parse(c.expires_at.replace(" ", "T")) - Date.now()) * 2 / 3)));
      })
      .catch(function (e) {
        show("获取签到码失败：" + e.message + "（5 秒后重试）");
        setTimeout(refresh, 5000);
      });
  }
  refresh();
})();
