// The report's city explorer: search any city (Chinese, pinyin, English or code), its key
// indicators over time beside Hefei and beside Hefei's path aligned at the same stage, and a
// second city to compare. Plain DOM and SVG, no library, nothing fetched: the data is the JSON
// block the report embeds. Deep links: #q=<search>, #city=<code>, #compare=<code>, #lang=zh.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("explorer-data").textContent);
  var HEFEI = DATA.hefei;
  var byCode = {};
  DATA.cities.forEach(function (c) { byCode[c.code] = c; });
  var state = { lang: "en", city: DATA.start, compare: null };

  var T = {
    en: {
      noMatch: "No city matches", matches: "cities match", pick: "Show",
      hefeiSame: "Hefei, same year", hefeiStage: "Hefei at the same stage",
      rank: "Replicability rank", of: "of", notRanked: "not ranked (coastal province or too few data)",
      latest: "latest", compareWith: "compared with", clear: "remove",
      noData: "no published values", province: "Province"
    },
    zh: {
      noMatch: "没有匹配的城市", matches: "个城市匹配", pick: "查看",
      hefeiSame: "合肥（同年）", hefeiStage: "合肥（同一发展阶段）",
      rank: "可复制性排名", of: "/", notRanked: "未排名（沿海省份或数据不足）",
      latest: "最新", compareWith: "对比", clear: "移除",
      noData: "无公开数据", province: "省份"
    }
  };
  function t(key) { return T[state.lang][key]; }
  function name(c) { return state.lang === "zh" ? c.zh + " " + c.en : c.en + " " + c.zh; }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch];
    });
  }
  function plain(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]/g, "");
  }
  function fmt(v, digits) {
    if (v === null || v === undefined) return "–";
    return v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  // ------------------------------------------------------------ search
  function search(query) {
    var q = query.trim();
    if (!q) return [];
    var typed = [plain(q), plain(q.replace(/ü/g, "v"))];
    var zhOnly = q.replace(/[市盟]$|地区$|自治州$/, "");
    return DATA.cities.filter(function (c) {
      if (c.code === q) return true;
      if (/[\u4e00-\u9fff]/.test(q)) {
        return c.zh.indexOf(zhOnly) >= 0 || c.former.some(function (f) { return f.indexOf(zhOnly) >= 0; });
      }
      return typed[0].length > 0 && c.keys.some(function (k) {
        return k.indexOf(typed[0]) === 0 || k.indexOf(typed[1]) === 0;
      });
    }).sort(function (a, b) { return (b.current - a.current) || (a.code < b.code ? -1 : 1); });
  }

  function showResults(box, list, query, onPick) {
    var found = search(query);
    if (!query.trim()) { list.innerHTML = ""; return; }
    if (!found.length) { list.innerHTML = '<li class="none">' + esc(t("noMatch")) + ": " + esc(query) + "</li>"; return; }
    list.innerHTML = '<li class="count">' + found.length + " " + esc(t("matches")) + "</li>" + found.slice(0, 30).map(function (c) {
      return '<li><button type="button" data-code="' + c.code + '">' + esc(name(c)) +
        ' <span class="prov">' + esc(state.lang === "zh" ? c.prov_zh : c.prov_en) + " · " + c.code + "</span></button></li>";
    }).join("");
    Array.prototype.forEach.call(list.querySelectorAll("button"), function (b) {
      b.addEventListener("click", function () { onPick(b.getAttribute("data-code")); list.innerHTML = ""; box.value = ""; });
    });
  }

  // ------------------------------------------------------------ charts
  var W = 340, H = 190, L = 46, R = 84, TOP = 12, B = 24;

  function linePath(points) {
    var d = "", pen = false;
    points.forEach(function (p) {
      if (p === null) { pen = false; return; }
      d += (pen ? "L" : "M") + p[0].toFixed(1) + " " + p[1].toFixed(1);
      pen = true;
    });
    return d;
  }

  function chart(ind, lines) {
    var years = DATA.years, y0 = years[0], y1 = years[years.length - 1];
    var values = [];
    lines.forEach(function (l) { l.values.forEach(function (v) { if (v !== null) values.push(v); }); });
    var title = '<h4>' + esc(ind[state.lang]) + ' <span class="unit">' + esc(ind["unit_" + state.lang]) + "</span></h4>";
    if (!values.length) return '<figure class="ts">' + title + '<p class="note">' + esc(t("noData")) + "</p></figure>";
    var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values);
    if (ind.zero && lo > 0) lo = 0;
    if (hi === lo) { hi += 1; lo -= 1; }
    var pad = (hi - lo) * 0.06; hi += pad; if (!(ind.zero && lo === 0)) lo -= pad;
    function x(year) { return L + (year - y0) / (y1 - y0) * (W - L - R); }
    function y(v) { return TOP + (hi - v) / (hi - lo) * (H - TOP - B); }
    var svg = ['<svg class="ts-chart" data-indicator="' + ind.column + '" viewBox="0 0 ' + W + " " + H + '" role="img" aria-label="' + esc(ind.en) + '">'];
    for (var k = 0; k <= 4; k++) {
      var v = lo + (hi - lo) * k / 4, yy = y(v);
      svg.push('<line x1="' + L + '" x2="' + (W - R) + '" y1="' + yy.toFixed(1) + '" y2="' + yy.toFixed(1) + '" class="grid"/>' +
        '<text x="' + (L - 4) + '" y="' + (yy + 3).toFixed(1) + '" class="tick" text-anchor="end">' + fmt(v, Math.abs(hi - lo) < 5 ? 2 : 0) + "</text>");
    }
    [y0, 2005, 2010, 2015, 2020, y1].forEach(function (yr) {
      svg.push('<text x="' + x(yr).toFixed(1) + '" y="' + (H - 6) + '" class="tick" text-anchor="middle">' + yr + "</text>");
    });
    var ends = [];
    lines.forEach(function (l) {
      var pts = l.values.map(function (v, i) { return v === null ? null : [x(years[i]), y(v)]; });
      svg.push('<path d="' + linePath(pts) + '" class="line ' + l.cls + '"/>');
      pts.forEach(function (p, i) {
        if (p) svg.push('<circle cx="' + p[0].toFixed(1) + '" cy="' + p[1].toFixed(1) + '" r="1.8" class="pt ' + l.cls + '"><title>' +
          esc(l.label + ", " + years[i] + (l.stageYears && l.stageYears[i] ? " (Hefei " + l.stageYears[i] + ")" : "") + ": " + fmt(l.values[i], ind.digits)) + "</title></circle>");
      });
      for (var i = l.values.length - 1; i >= 0; i--) {
        if (l.values[i] !== null) { ends.push({ y: y(l.values[i]), text: fmt(l.values[i], ind.digits) + (i < years.length - 1 ? " (" + years[i] + ")" : ""), cls: l.cls }); break; }
      }
    });
    // End labels: the latest value of each line (with its year when older than the axis end),
    // pushed apart vertically so they never overlap.
    ends.sort(function (a, b) { return a.y - b.y; });
    for (var j = 1; j < ends.length; j++) if (ends[j].y - ends[j - 1].y < 11) ends[j].y = ends[j - 1].y + 11;
    ends.forEach(function (e) {
      svg.push('<text x="' + (W - R + 4) + '" y="' + (e.y + 3).toFixed(1) + '" class="endlabel ' + e.cls + '">' + esc(e.text) + "</text>");
    });
    svg.push("</svg>");
    return '<figure class="ts">' + title + svg.join("") + "</figure>";
  }

  function render() {
    var c = byCode[state.city], h = byCode[HEFEI], other = state.compare ? byCode[state.compare] : null;
    var head = document.getElementById("explorer-city");
    var rank = c.rank ? t("rank") + " " + DATA.rankYear + ": " + c.rank[0] + " " + t("of") + " " + c.rank[1] +
      " (5–95%: " + c.rank[2] + "–" + c.rank[3] + ")" : t("notRanked");
    head.innerHTML = "<h3>" + esc(name(c)) + ' <span class="prov">' + esc(state.lang === "zh" ? c.prov_zh : c.prov_en) + " · " + c.code + "</span></h3>" +
      "<p>" + esc(rank) + "</p><p class=stage>" + esc(c["stage_" + state.lang] || "") + "</p>" +
      (other ? '<p class="comparing">' + esc(t("compareWith")) + " <b>" + esc(name(other)) +
        '</b> <button type="button" id="compare-clear">' + esc(t("clear")) + "</button></p>" : "");
    var legend = '<span class="key city"></span>' + esc(c[state.lang === "zh" ? "zh" : "en"]) +
      '<span class="key hefei"></span>' + esc(t("hefeiSame")) +
      '<span class="key stage"></span>' + esc(t("hefeiStage")) +
      (other ? '<span class="key other"></span>' + esc(other[state.lang === "zh" ? "zh" : "en"]) : "");
    document.getElementById("explorer-legend").innerHTML = legend;
    var charts = DATA.indicators.map(function (ind) {
      var s = DATA.series[c.code] || {}, hs = DATA.series[HEFEI] || {};
      var stageYears = DATA.stage[c.code] || [];
      var aligned = stageYears.map(function (sy) {
        return sy === null ? null : (hs[ind.column] || [])[sy - DATA.years[0]] === undefined ? null : hs[ind.column][sy - DATA.years[0]];
      });
      var lines = [
        { cls: "hefei", label: h.en, values: hs[ind.column] || [] },
        { cls: "stage", label: t("hefeiStage"), values: aligned, stageYears: stageYears },
        { cls: "city", label: c.en, values: s[ind.column] || [] }
      ];
      if (other) lines.push({ cls: "other", label: other.en, values: (DATA.series[other.code] || {})[ind.column] || [] });
      return chart(ind, lines);
    });
    document.getElementById("explorer-charts").innerHTML = charts.join("");
    var clear = document.getElementById("compare-clear");
    if (clear) clear.addEventListener("click", function () { state.compare = null; render(); });
  }

  function setLang(lang) {
    state.lang = lang === "zh" ? "zh" : "en";
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    document.body.className = "lang-" + state.lang;
    var b = document.getElementById("lang-switch");
    b.textContent = state.lang === "zh" ? "English" : "中文";
    render();
    ["city-search", "compare-search"].forEach(function (id) {
      var box = document.getElementById(id);
      box.placeholder = box.getAttribute("data-placeholder-" + state.lang);
    });
  }

  function wire(boxId, listId, onPick) {
    var box = document.getElementById(boxId), list = document.getElementById(listId);
    box.addEventListener("input", function () { showResults(box, list, box.value, onPick); });
    return function (query) { box.value = query; showResults(box, list, query, onPick); };
  }

  var searchCity = wire("city-search", "city-results", function (code) { state.city = code; render(); });
  wire("compare-search", "compare-results", function (code) { state.compare = code; render(); });
  document.getElementById("lang-switch").addEventListener("click", function () { setLang(state.lang === "zh" ? "en" : "zh"); });

  var params = {};
  location.hash.replace(/^#/, "").split("&").forEach(function (part) {
    var kv = part.split("=");
    if (kv[0]) params[kv[0]] = decodeURIComponent(kv.slice(1).join("="));
  });
  if (params.city && byCode[params.city]) state.city = params.city;
  if (params.compare && byCode[params.compare]) state.compare = params.compare;
  setLang(params.lang || "en");
  if (params.q) searchCity(params.q);
  // Lets the browser test check the page fits a phone screen without scrolling sideways.
  document.documentElement.setAttribute("data-fits-width", String(document.documentElement.scrollWidth <= window.innerWidth));
})();
