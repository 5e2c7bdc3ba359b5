/** A search box (`<input data-filter="<table id>">`) hides the rows of its table that do not contain the text. */
export function tableFilters(): void {
  for (const input of document.querySelectorAll<HTMLInputElement>("input[data-filter]")) {
    const table = document.getElementById(input.dataset.filter ?? "");
    if (!table) continue;
    const rows = [...table.querySelectorAll<HTMLTableRowElement>("tbody tr:not(.empty)")];
    const counter = document.querySelector<HTMLElement>(`[data-count-for="${table.id}"]`);
    input.addEventListener("input", () => {
      const needle = input.value.trim().toLowerCase();
      let shown = 0;
      for (const row of rows) {
        const match = needle === "" || (row.textContent ?? "").toLowerCase().includes(needle);
        row.hidden = !match;
        if (match) shown++;
      }
      if (counter) counter.textContent = needle === "" ? `(${rows.length})` : `(${shown}/${rows.length})`;
    });
  }
}

/**
 * Deleting asks for the resource's name to be typed (`<input data-confirm="<name>">`), as the AWS console
 * does: the form's submit button stays disabled until the text matches. The server checks it too.
 */
export function confirmByTyping(): void {
  for (const input of document.querySelectorAll<HTMLInputElement>("input[data-confirm]")) {
    const button = input.form?.querySelector<HTMLButtonElement>("button[type=submit]");
    if (!button) continue;
    const update = () => {
      button.disabled = input.value !== input.dataset.confirm;
    };
    input.addEventListener("input", update);
    update();
  }
}
