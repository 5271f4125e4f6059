// The query editor: SPARQL highlighting under the textarea, prefix completion, Ctrl+Enter.
// Without this script the textarea and form work as they are.

const KEYWORDS = new Set(("select construct describe ask where from named prefix base distinct reduced " +
  "optional union minus graph service filter bind values as order by asc desc limit offset group " +
  "having not exists in a true false count sum min max avg sample group_concat separator str lang " +
  "langmatches datatype bound iri uri bnode isiri isuri isblank isliteral isnumeric regex replace " +
  "contains strstarts strends lcase ucase concat coalesce if year month day now").split(" "));
const TOKEN = /(#[^\n]*)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(<[^<>"{}|^`\\\s]*>)|([?$]\w+)|([A-Za-z][\w-]*)?:([\w.-]*\w)?|(\d+(?:\.\d+)?)|([A-Za-z_]\w*)/g;

/** HTML for `text` with each token wrapped in a span of its kind. */
export function highlight(text) {
  let html = "", last = 0;
  for (const m of text.matchAll(TOKEN)) {
    html += escape(text.slice(last, m.index));
    const kind = m[1] ? "comment" : m[2] ? "string" : m[3] ? "iri" : m[4] ? "variable"
      : m[7] ? "number" : m[8] ? (KEYWORDS.has(m[8].toLowerCase()) ? "keyword" : "") : "pname";
    html += kind ? `<span class="tok-${kind}">${escape(m[0])}</span>` : escape(m[0]);
    last = m.index + m[0].length;
  }
  return html + escape(text.slice(last)) + "\n";
}

function escape(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The prefixes `text` uses but does not declare. */
export function undeclared(text, known) {
  const declared = new Set([...text.matchAll(/PREFIX\s+([\w-]*):/gi)].map((m) => m[1]));
  const body = text.replace(/#[^\n]*|"(?:[^"\\\n]|\\.)*"|<[^>]*>/g, " ");
  const used = new Set([...body.matchAll(/(?:^|[\s(,;/^|!{])([A-Za-z][\w-]*):/g)].map((m) => m[1]));
  return [...used].filter((name) => !declared.has(name) && name in known);
}

function setUp(editor) {
  const known = JSON.parse(editor.dataset.prefixes);
  const area = editor.querySelector("textarea");
  const shadow = document.createElement("pre");
  shadow.className = "highlight";
  shadow.setAttribute("aria-hidden", "true");
  editor.prepend(shadow);
  editor.classList.add("enhanced");
  const status = document.createElement("p");
  status.className = "note completion";
  status.setAttribute("role", "status");
  editor.after(status);
  // The layer under the textarea follows its scroll position; both wrap alike (secgraph.css).
  const follow = () => {
    shadow.scrollTop = area.scrollTop;
    shadow.scrollLeft = area.scrollLeft;
  };
  const paint = () => {
    shadow.innerHTML = highlight(area.value);
    follow();
  };
  const complete = () => {
    const missing = undeclared(area.value, known);
    if (!missing.length) return;
    const lines = missing.map((name) => `PREFIX ${name}: <${known[name]}>\n`).join("");
    const at = area.selectionStart;
    area.value = lines + area.value;
    area.setSelectionRange(at + lines.length, at + lines.length);
    status.textContent = `Added PREFIX ${missing.join(", ")}.`;
  };
  area.addEventListener("input", (event) => {
    if (event.data === ":") complete();
    paint();
  });
  area.addEventListener("scroll", follow);
  new ResizeObserver(follow).observe(area);
  area.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      area.form.requestSubmit();
    }
  });
  paint();
}

for (const editor of document.querySelectorAll(".editor[data-prefixes]")) setUp(editor);
