// The search page: Pagefind's JS API, with a filter per taxonomy and year, and sorting.
// Everything loads from this site; the results are linkable (?q=…&tags=…&sort=…).
const app = document.getElementById("search-app");
const base = app.dataset.base;
const labels = JSON.parse(app.dataset.filters); // [[key, "All tags"], …]
const form = document.getElementById("search-form");
const input = document.getElementById("search-query");
const sort = document.getElementById("search-sort");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const selects = {};

// The index comes in parts, one per year, newest first (pagefind/parts.json): the newest is loaded and the
// others merged into it, each tagged with the filter `index-part` (no taxonomy's name: those are identifiers).
// Beside them, the words index.
const PART = "index-part";
const parts = await (await fetch(`${base}pagefind/parts.json`, { cache: "no-cache" })).json();
const pagefind = parts.length ? await load(parts) : null;
const words = pagefind && pagefind.createInstance({ basePath: `${base}pagefind/words/`, baseUrl: base });
if (words) await words.filters(); // loaded, a search counts the parts it found
const available = pagefind ? await pagefind.filters() : {};
const params = new URLSearchParams(location.search);

for (const [key, all] of labels) {
  const values = Object.keys(available[key] || {}).sort((a, b) => key === "year" ? b.localeCompare(a) : a.localeCompare(b));
  if (!values.length) continue;
  const label = document.createElement("label");
  const select = document.createElement("select");
  select.name = key;
  select.add(new Option(all, ""));
  for (const value of values) select.add(new Option(`${value} (${available[key][value]})`, value));
  select.value = values.includes(params.get(key)) ? params.get(key) : "";
  label.append(all.replace(/^All /, "").replace(/^./, (c) => c.toUpperCase()), select);
  document.getElementById("search-filters").append(label);
  selects[key] = select;
  select.addEventListener("change", run);
}
input.value = params.get("q") || "";
sort.value = ["relevance", "newest", "oldest"].includes(params.get("sort")) ? params.get("sort") : "relevance";
app.hidden = false;

let latest = 0;
async function run() {
  const ticket = ++latest;
  const query = input.value.trim();
  const filters = {};
  for (const [key, select] of Object.entries(selects)) if (select.value) filters[key] = select.value;
  remember(query, filters);
  if (!query && !Object.keys(filters).length) {
    status.textContent = "Type a word, or choose a filter, to search the briefs.";
    list.replaceChildren();
    return;
  }
  const found = await find(query || null, filters, sort.value);
  const results = await Promise.all(found.slice(0, 50).map((r) => r.data()));
  if (ticket !== latest) return; // a newer search has started
  const shown = found.length > 50 ? ` The first 50 are shown.` : "";
  status.textContent = found.length
    ? `${found.length} brief${found.length === 1 ? "" : "s"} found.${shown}`
    : `No briefs match${query ? ` “${query}”` : ""}${Object.keys(filters).length ? " with these filters" : ""}.`;
  list.replaceChildren(...results.map(item));
}

async function load(parts) {
  const options = { baseUrl: base, excerptLength: 30 };
  const pagefind = await import(`${base}pagefind/${parts[0]}/pagefind.js`);
  await pagefind.options({ ...options, mergeFilter: { [PART]: parts[0] } });
  for (const part of parts.slice(1)) await pagefind.mergeIndex(`${base}pagefind/${part}/`, { ...options, mergeFilter: { [PART]: part } });
  return pagefind;
}

// The results of a search, in the order of `how` ("relevance", "newest" or "oldest").
async function find(query, filters, how) {
  const within = await matching(query);
  if (!within.length) return [];
  if (how === "relevance") return (await pagefind.search(query, { filters: { ...filters, [PART]: { any: within } } })).results;
  // Pagefind orders merged results by score, and a date sort scores each result by its place in its own
  // part: the years would interleave. The parts are disjoint spans of dates, so searching them one at a
  // time, in date order, gives the order of a single index.
  const sort = { date: how === "newest" ? "desc" : "asc" };
  const order = (how === "newest" ? parts : [...parts].reverse()).filter((part) => within.includes(part));
  const searches = await Promise.all(order.map((part) => pagefind.search(query, { filters: { ...filters, [PART]: part }, sort })));
  return searches.flatMap((search) => search.results);
}

// The parts that one index of the whole site would find `query` in. Pagefind matches a word that no page
// extends by the longest indexed word it begins with ("meixin" by "mei"): a part without "meixin" would
// find "mei". The words index, one page of each part's words, decides that for the whole site.
async function matching(query) {
  if (!pagefind) return [];
  if (query === null || /^\s*".+"\s*$/.test(query)) return parts; // filters alone, or an exact phrase: nothing widened
  const found = (await words.search(query)).filters[PART] || {};
  return parts.filter((part) => found[part] > 0);
}

function item(result) {
  const li = document.createElement("li");
  li.className = "item";
  const meta = document.createElement("p");
  meta.className = "item-meta";
  meta.textContent = [result.meta.date_label, result.meta.location].filter(Boolean).join(" · ");
  const marking = (result.filters?.audience || [])[0]; // a build above clear marks each brief
  if (marking) {
    const label = document.createElement("span");
    label.className = `tlp tlp-${marking.slice(4).toLowerCase().replace("+", "-")}`;
    label.textContent = marking;
    meta.prepend(label, " ");
  }
  const title = document.createElement("h2");
  title.className = "item-title";
  const link = document.createElement("a");
  link.href = result.url;
  link.textContent = result.meta.title;
  title.append(link);
  const excerpt = document.createElement("p");
  excerpt.className = "item-summary";
  excerpt.innerHTML = result.excerpt; // Pagefind escapes the text; only its <mark> tags are markup
  li.append(meta, title, excerpt);
  return li;
}

function remember(query, filters) {
  const next = new URLSearchParams();
  if (query) next.set("q", query);
  for (const [key, value] of Object.entries(filters)) next.set(key, value);
  if (sort.value !== "relevance") next.set("sort", sort.value);
  const url = next.toString() ? `?${next}` : location.pathname;
  history.replaceState(null, "", url);
}

let timer;
input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 200); });
sort.addEventListener("change", run);
form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
run();
