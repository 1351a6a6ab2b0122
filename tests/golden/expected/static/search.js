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

const pagefind = await import(`${base}pagefind/pagefind.js`);
await pagefind.options({ baseUrl: base, excerptLength: 30 });
const available = await pagefind.filters();
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
  const options = { filters };
  if (sort.value !== "relevance") options.sort = { date: sort.value === "newest" ? "desc" : "asc" };
  const search = await pagefind.search(query || null, options);
  const results = await Promise.all(search.results.slice(0, 50).map((r) => r.data()));
  if (ticket !== latest) return; // a newer search has started
  const shown = search.results.length > 50 ? ` The first 50 are shown.` : "";
  status.textContent = search.results.length
    ? `${search.results.length} brief${search.results.length === 1 ? "" : "s"} found.${shown}`
    : `No briefs match${query ? ` “${query}”` : ""}${Object.keys(filters).length ? " with these filters" : ""}.`;
  list.replaceChildren(...results.map(item));
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
