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
      noData: "no published values", province: "Province",
      adoptTitle: "What is known to be in place", fact: "Fact", detail: "Detail", source: "Source",
      noRecord: "no record in the adoption view for this city",
      st: { in_force: "in force", not_in_force: "not in force", approved: "approved", none: "none",
            recorded: "recorded", unknown: "unknown" },
      facts: { chain_boss: "Chain-boss system", science_centre: "Comprehensive science centre",
               state_bets: "Recorded state bets", guidance_funds: "Recorded city guidance funds" },
      level: { city: "census row: the city's own", province: "census row: the province's", not_censused: "not in the census" },
      noEvidence: "no dated evidence found",
      basis: { formal: "formally dated", first_evidence: "first evidence found", listed_in_year: "listed that year",
               rollup_only: "named in a round-up only" },
      since: "year", chains: "chains", centreType: { comprehensive_national_science_centre: "national",
               regional_comprehensive_science_centre: "regional" },
      bets: "bets started by then:", funds: "funds set up by then:"
    },
    zh: {
      noMatch: "没有匹配的城市", matches: "个城市匹配", pick: "查看",
      hefeiSame: "合肥（同年）", hefeiStage: "合肥（同一发展阶段）",
      rank: "可复制性排名", of: "/", notRanked: "未排名（沿海省份或数据不足）",
      latest: "最新", compareWith: "对比", clear: "移除",
      noData: "无公开数据", province: "省份",
      adoptTitle: "已知已实施的做法", fact: "做法", detail: "说明", source: "来源",
      noRecord: "该城市在政策落实数据中没有记录",
      st: { in_force: "已实施", not_in_force: "未实施", approved: "已获批", none: "无",
            recorded: "有记录", unknown: "未知" },
      facts: { chain_boss: "产业链链长制", science_centre: "综合性科学中心",
               state_bets: "有记录的国资投资", guidance_funds: "有记录的市级引导基金" },
      level: { city: "普查记录：本市", province: "普查记录：本省", not_censused: "普查未覆盖" },
      noEvidence: "未找到有日期的证据",
      basis: { formal: "正式日期", first_evidence: "最早证据", listed_in_year: "当年列出", rollup_only: "仅见于汇总" },
      since: "年份", chains: "条产业链", centreType: { comprehensive_national_science_centre: "国家级",
               regional_comprehensive_science_centre: "区域" },
      bets: "截至当年已开始的投资：", funds: "截至当年已设立的基金："
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

  // ------------------------------------------------------------ adoption view
  // Known yes, known no and unknown look different: unknown is never shown as "no".
  var ADOPT = document.getElementById("adoption-data") ? JSON.parse(document.getElementById("adoption-data").textContent) : null;
  var KIND = { in_force: "yes", approved: "yes", recorded: "yes", not_in_force: "no", none: "no" };

  // The page the fact rests on when there is one, else the source's own address, else its row in
  // the Sources table of this page.
  function sourceLink(id, url) {
    if (!id && !url) return "–";
    var href = url || (id && ADOPT.sources[id]);
    if (href) return '<a href="' + esc(href) + '" rel="noopener noreferrer" target="_blank">' + esc(id || url) + "</a>";
    return '<a href="#source-' + esc(id) + '">' + esc(id) + "</a>";
  }

  function factDetail(fact, f) {
    if (fact === "chain_boss") {
      var parts = [t("level")[f.chain_boss_record_level] || f.chain_boss_record_level || ""];
      if (f.chain_boss_adoption_year) parts.push(f.chain_boss_adoption_year + " (" + (t("basis")[f.chain_boss_date_basis] || f.chain_boss_date_basis || "") + ")");
      else parts.push(t("noEvidence"));
      if (f.chain_boss_num_chains) parts.push(f.chain_boss_num_chains + " " + t("chains"));
      return parts.filter(Boolean).join(", ");
    }
    if (fact === "science_centre") {
      return f.science_centre_type ? (t("centreType")[f.science_centre_type] || "") + (f.science_centre_approval_year ? ", " + f.science_centre_approval_year : "") : "";
    }
    var n = f[fact + "_known_to_date"];
    return n === undefined ? "" : t(fact === "state_bets" ? "bets" : "funds") + " " + n;
  }

  function renderAdoption(c) {
    var box = document.getElementById("adoption-city");
    if (!ADOPT || !box) return;
    var rows = ADOPT.cities[c.code];
    var head = "<h3>" + esc(t("adoptTitle")) + ": " + esc(name(c)) + "</h3>";
    var cells = ["chain_boss", "science_centre", "state_bets", "guidance_funds"].map(function (fact) {
      var statuses = ADOPT.years.map(function (yr, i) {
        var f = rows && rows[i], s = (f && f[fact + "_status"]) || "unknown";
        return '<td class="st st-' + (KIND[s] || "unknown") + '" data-status="' + s + '">' + esc(t("st")[s]) + "</td>";
      }).join("");
      var last = (rows && rows[rows.length - 1]) || {};
      var url = fact === "chain_boss" ? last.chain_boss_source_url : fact === "science_centre" ? last.science_centre_source_url : null;
      return '<tr data-fact="' + fact + '"><td>' + esc(t("facts")[fact]) + "</td>" + statuses +
        "<td>" + esc(factDetail(fact, last)) + '</td><td class="url">' + sourceLink(last[fact + "_source_id"], url) + "</td></tr>";
    }).join("");
    box.innerHTML = head + (rows ? "" : '<p class="note">' + esc(t("noRecord")) + "</p>") +
      '<div class="scroll"><table class="adoption"><thead><tr><th>' + esc(t("fact")) + "</th>" +
      ADOPT.years.map(function (yr) { return "<th>" + yr + "</th>"; }).join("") +
      "<th>" + esc(t("detail")) + " (" + ADOPT.years[ADOPT.years.length - 1] + ")</th><th>" + esc(t("source")) +
      "</th></tr></thead><tbody>" + cells + "</tbody></table></div>";
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
    renderAdoption(c);
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
