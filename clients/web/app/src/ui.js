// Small DOM helpers: elements built from text (never from HTML strings), labelled fields, and screen changes that
// move focus to the new heading so keyboard and screen-reader users know where they are.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children);
  return node;
}

let fieldCount = 0;

/** A label and its input, with an optional hint tied to it for assistive technology. */
export function field(label, attributes, hint) {
  const id = `field-${++fieldCount}`;
  const input = el("input", { id, ...attributes, "aria-describedby": hint ? `${id}-hint` : null });
  return {
    input,
    node: el("div", { class: "field" }, el("label", { for: id }, label),
      ...(hint ? [el("p", { class: "hint", id: `${id}-hint` }, hint)] : []), input),
  };
}

/** Replaces the screen; the new heading takes focus. */
export function show(main, ...children) {
  main.replaceChildren(...children);
  const heading = main.querySelector("h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
}

/** A live region for errors and progress, read out when it changes. */
export function statusArea() {
  return el("p", { class: "status", role: "status", "aria-live": "polite", hidden: true });
}

export function say(area, text, kind = "info") {
  area.textContent = text;
  area.className = `status ${kind}`;
  area.hidden = !text;
  if (kind === "bad") area.setAttribute("role", "alert");
  else area.setAttribute("role", "status");
}
